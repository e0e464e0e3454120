#include "host_output.hpp"

#include <gtest/gtest.h>

namespace atcoap::integration {
namespace {

const std::string kAnswer = recv_block(0, 7, "2.05", "AB", "hi");

TEST(HostOutput, ReadsAnAcknowledgedConAfterItsRetransmissions) {
    OutputReader in(
        "\r\n+QCOAPIND: 0,0,7,1,0\r\n\r\n+QCOAPACK: 0,0,7,0\r\n"
        "\r\n+QCOAPRECV: 0,7,2.05,1,AB,1,12,\"0\",2\r\nhi\r\n");
    const auto report = read_con(in, 0, 7, 4, kAnswer);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->retransmissions, 1);
    EXPECT_TRUE(report->acknowledged);
    EXPECT_TRUE(in.done());
}

TEST(HostOutput, ReadsAGiveUpOnlyAfterEveryRetransmission) {
    std::string all;
    for (int n = 1; n <= 2; ++n) {
        all += framed("+QCOAPIND: 0,0,7," + std::to_string(n) + ",0");
    }
    OutputReader full(all + framed("+QCOAPACK: 0,0,7,-11"));
    const auto report = read_con(full, 0, 7, 2, kAnswer);
    ASSERT_TRUE(report);
    EXPECT_FALSE(report->acknowledged);
    OutputReader early(framed("+QCOAPIND: 0,0,7,1,0") + framed("+QCOAPACK: 0,0,7,-11"));
    EXPECT_FALSE(read_con(early, 0, 7, 2, kAnswer));
}

TEST(HostOutput, ReadsRetransmissionsThatFoundTheLinkDown) {
    OutputReader in(framed("+QCOAPIND: 0,0,7,1,0") + framed("+QCOAPIND: 0,0,7,2,-11") +
                    framed("+QCOAPACK: 0,0,7,-11"));
    const auto report = read_con(in, 0, 7, 2, kAnswer);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->unsent, 1);
    // Once down, the link stays down until the client is closed.
    OutputReader back_up(framed("+QCOAPIND: 0,0,7,1,-11") + framed("+QCOAPIND: 0,0,7,2,0") +
                         framed("+QCOAPACK: 0,0,7,-11"));
    EXPECT_FALSE(read_con(back_up, 0, 7, 2, kAnswer));
}

TEST(HostOutput, RefusesWhatMayNotAppear) {
    // A second report of the answer, a count that skips, another message ID, a missing answer.
    OutputReader twice(framed("+QCOAPACK: 0,0,7,0") + kAnswer + kAnswer);
    ASSERT_TRUE(read_con(twice, 0, 7, 4, kAnswer));
    EXPECT_FALSE(twice.done());
    OutputReader skips(framed("+QCOAPIND: 0,0,7,2,0") + framed("+QCOAPACK: 0,0,7,0") + kAnswer);
    EXPECT_FALSE(read_con(skips, 0, 7, 4, kAnswer));
    OutputReader other(framed("+QCOAPACK: 0,0,8,0") + kAnswer);
    EXPECT_FALSE(read_con(other, 0, 7, 4, kAnswer));
    OutputReader unanswered(framed("+QCOAPACK: 0,0,7,0"));
    EXPECT_FALSE(read_con(unanswered, 0, 7, 4, kAnswer));
}

TEST(HostOutput, FramesARecvBlockAsTheModemPrintsIt) {
    EXPECT_EQ(recv_block(0, 1234, "4.04", "D204D52E814B", "Not Found", std::nullopt),
              "\r\n+QCOAPRECV: 0,1234,4.04,6,D204D52E814B,0,9\r\nNot Found\r\n");
    EXPECT_EQ(printable("a\r\n\x1b"), "a\\r\\n\\x1B");
}

}  // namespace
}  // namespace atcoap::integration

// The data phases the modem drives (docs/DIALECT.md §1, §3, §5): the rest of a `;` line after a
// phase, echo of the `> ` payload, and the CoAP clients' status and link, through the whole
// modem core in virtual time.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modem/modem.hpp"
#include "support/capturing_logger.hpp"
#include "support/scripted_random.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem {
namespace {

using test::CapturingLogger;

class DataPhaseTest : public ::testing::Test {
  protected:
    DataPhaseTest() : modem(ModemOptions{}, storage, random, logger) {
        modem.start(at_ms(0));
        output();
    }

    /// Host bytes in, then every socket the modem asks for opens at once.
    std::string send(std::string_view bytes) {
        modem.on_host_bytes(as_bytes(bytes), at_ms(0));
        for (net::Request& request : modem.take_network_requests()) {
            if (const auto* open = std::get_if<net::OpenSocket>(&request)) {
                modem.on_socket_opened(open->id, net::OpenResult::Opened, at_ms(0));
            } else if (const auto* datagram = std::get_if<net::SendDatagram>(&request)) {
                sent.push_back(datagram->bytes);
            }
        }
        return output();
    }

    std::string output() {
        const Bytes out = modem.take_host_output();
        return std::string(out.begin(), out.end());
    }

    void open_client_0() {
        send("ATE0\r\n");
        ASSERT_EQ(send("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n"),
                  "\r\nOK\r\n\r\n+QCOAPOPEN: 0,0\r\n");
        sent.clear();
    }

    ufs::MemoryStorage storage;
    test::ScriptedRandom random;
    CapturingLogger logger;
    Modem modem;
    std::vector<Bytes> sent;
};

TEST_F(DataPhaseTest, TheRestOfTheLineRunsAfterThePayload) {
    open_client_0();
    EXPECT_EQ(send("AT+QCOAPSEND=0,1,2,0,2;+CMEE?\r\n"), "\r\n> ");
    EXPECT_TRUE(modem.busy());
    EXPECT_EQ(send("hi"), "\r\n+CMEE: 1\r\n\r\nOK\r\n\r\n+QCOAPACK: 0,1,0,0\r\n");
    EXPECT_EQ(sent.size(), 1u);
    EXPECT_FALSE(modem.busy());
}

TEST_F(DataPhaseTest, TwoPhasesOnOneLineFollowEachOther) {
    open_client_0();
    EXPECT_EQ(send("AT+QCOAPSEND=0,1,2,0,1;+QCOAPSEND=0,1,2,0,1\r\n"), "\r\n> ");
    EXPECT_EQ(send("a"), "\r\n> ");
    EXPECT_EQ(send("b"), "\r\nOK\r\n\r\n+QCOAPACK: 0,1,0,0\r\n\r\n+QCOAPACK: 0,1,1,0\r\n");
    EXPECT_EQ(sent.size(), 2u);
}

TEST_F(DataPhaseTest, AFailedPhaseEndsItsLine) {
    open_client_0();
    EXPECT_EQ(send("AT+QCOAPSEND=0,1,2,0;+CMEE=0\r\n"), "\r\n> ");
    EXPECT_EQ(send(std::string(1025, 'p') + "\x1A"), "\r\nERROR\r\n");
    EXPECT_EQ(send("AT+CMEE?\r\n"), "\r\n+CMEE: 1\r\n\r\nOK\r\n");
    EXPECT_TRUE(sent.empty());
}

TEST_F(DataPhaseTest, AnOverlongPayloadIsEchoedWholeAndAnswersError) {
    send("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    EXPECT_EQ(send("AT+QCOAPSEND=0,1,2,0\r\n"), "AT+QCOAPSEND=0,1,2,0\r\r\n> ");
    const std::string payload(1030, 'p');
    EXPECT_EQ(send(payload + "\x1A"), payload + "\r\nERROR\r\n");
    EXPECT_TRUE(logger.contains("payload over 1024 bytes"));
}

TEST_F(DataPhaseTest, AnUploadIsNotEchoedAndItsAcksComeAsTheBytesDo) {
    EXPECT_EQ(send("AT+QFUPL=\"f\",2048,5,1\r\n"), "AT+QFUPL=\"f\",2048,5,1\r\r\nCONNECT\r\n");
    EXPECT_EQ(send(std::string(1500, 'u')), "A");
    EXPECT_EQ(send(std::string(548, 'u')), "A\r\n+QFUPL: 2048,0\r\n\r\nOK\r\n");
}

TEST_F(DataPhaseTest, AClientFollowsItsPdpContextAtOnce) {
    open_client_0();
    send("AT+QCOAPCFG=\"pdpcid\",0,2\r\n");  // context 2 is not active
    EXPECT_EQ(send("AT+QCOAPSEND=0,0,1,0,0\r\n"), "\r\nOK\r\n\r\n+QCOAPACK: 0,0,0,-11\r\n");
    EXPECT_TRUE(sent.empty());
    send("AT+QIACT=2\r\n");
    EXPECT_EQ(send("AT+QCOAPSEND=0,1,1,0,0\r\n"), "\r\nOK\r\n\r\n+QCOAPACK: 0,1,1,0\r\n");
    EXPECT_EQ(sent.size(), 1u);
}

TEST_F(DataPhaseTest, EveryStatusChangeIsLoggedOnce) {
    open_client_0();
    send("AT+QCOAPCLOSE=0\r\n");
    const std::vector<std::string> expected{"client 0: status 0 -> 1", "client 0: status 1 -> 3",
                                            "client 0: status 3 -> 0"};
    std::vector<std::string> changes;
    for (const std::string& line : logger.lines) {
        if (line.find(": status ") != std::string::npos) {
            changes.push_back(line);
        }
    }
    EXPECT_EQ(changes, expected);
}

}  // namespace
}  // namespace atcoap::modem

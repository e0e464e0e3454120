// atcoap on standard input and output, as in `printf 'ATI\r\n' | atcoap` (RUNNING.md).

#include <gtest/gtest.h>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

constexpr std::string_view kStartBanner = "\r\nRDY\r\n\r\nAPP RDY\r\n";

TEST(StdioTest, AnswersAtiAndExitsZeroAtTheEndOfInput) {
    TempDir dir;
    std::string error;
    auto modem = start_atcoap(dir.path(), {}, error);
    ASSERT_NE(modem, nullptr) << error;

    ASSERT_TRUE(modem->in().write_all("ATI\r\n", kAnswerBound));
    modem->in().close();
    const auto ended = modem->wait_exit(kAnswerBound);

    ASSERT_TRUE(ended.has_value()) << "still running after the end of its input";
    EXPECT_EQ(ended->code, 0);
    // Echo is on at start: the line comes back with its CR; the LF is not echoed (docs/DIALECT.md
    // §1).
    EXPECT_EQ(modem->out().unread(),
              std::string(kStartBanner) +
                  "ATI\r\r\nQuectel\r\nBG95-M3\r\nRevision: BG95M3LAR02A03\r\n\r\nOK\r\n");
}

TEST(StdioTest, PrintsTheStartBannerBeforeAnyInput) {
    // docs/DIALECT.md §1: at start the modem prints RDY then APP RDY; a host waits for them before
    // its first command, so they must not wait for host bytes.
    TempDir dir;
    std::string error;
    auto modem = start_atcoap(dir.path(), {}, error);
    ASSERT_NE(modem, nullptr) << error;

    EXPECT_TRUE(modem->out().wait_for(kStartBanner, kAnswerBound)) << modem->out().unread();
    modem->in().close();
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);
    EXPECT_EQ(modem->out().unread(), kStartBanner);
}

TEST(StdioTest, KeepsEveryByteValueThroughUploadAndDownload) {
    TempDir dir;
    std::string error;
    auto modem = start_quiet_modem(dir.path(), error);
    ASSERT_NE(modem, nullptr) << error;
    // An odd size too: its last byte counts as the high byte of a word.
    const std::vector<std::pair<std::string, std::string>> files{
        {"bytes", every_byte()},
        {"UFS:blob", pseudo_random_bytes(2048, 7)},
        {"odd", pseudo_random_bytes(999, 11)}};
    for (const auto& [name, data] : files) {
        SCOPED_TRACE(name);
        expect_upload(modem->in(), modem->out(), name, data);
        expect_download(modem->in(), modem->out(), name, data);
    }

    modem->in().close();
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);
}

TEST(StdioTest, ChecksumOfTheTestMatchesTheDocumentedExample) {
    // AT_FILES.md: "abc" gives 262; guards the test's own checksum against a silent slip.
    EXPECT_EQ(ufs_checksum("abc"), "262");
    EXPECT_EQ(ufs_checksum(""), "0");
    EXPECT_EQ(ufs_checksum(std::string("\x12\x34\x12\x35", 4)), "1");
}

}  // namespace
}  // namespace atcoap::e2e

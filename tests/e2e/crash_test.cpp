// Killing atcoap at any moment leaves the old state or the whole new file, never half a file
// (AT_FILES.md, AT+QFUPL).

#include <gtest/gtest.h>

#include <csignal>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

const std::string kListA = "+QFLST: \"UFS:fileA\",300\r\n";

/// Stores file A, opens an upload of file B and sends its first `sent` bytes, then kills the
/// modem with SIGKILL.
void kill_during_upload_of_b(const TempDir& dir, const std::string& a, const std::string& b,
                             std::size_t sent) {
    std::string error;
    auto modem = start_quiet_modem(dir.path(), error);
    ASSERT_NE(modem, nullptr) << error;
    expect_upload(modem->in(), modem->out(), "fileA", a);
    EXPECT_EQ(exchange(modem->in(), modem->out(), "AT+QFLST"), "\r\n" + kListA + "\r\nOK\r\n");

    const std::string upload = "AT+QFUPL=\"fileB\"," + std::to_string(b.size());
    ASSERT_EQ(exchange(modem->in(), modem->out(), upload, "CONNECT\r\n"), "\r\nCONNECT\r\n");
    ASSERT_TRUE(modem->in().write_all(std::string_view(b).substr(0, sent), kAnswerBound));
    modem->send_signal(SIGKILL);
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->signal, SIGKILL);
}

TEST(CrashTest, KillMidUploadKeepsOnlyTheFilesStoredBefore) {
    TempDir dir;
    const std::string a = pseudo_random_bytes(300, 1);
    const std::string b = pseudo_random_bytes(10000, 2);
    kill_during_upload_of_b(dir, a, b, 5000);

    std::string error;
    auto modem = start_quiet_modem(dir.path(), error);
    ASSERT_NE(modem, nullptr) << error;
    EXPECT_EQ(exchange(modem->in(), modem->out(), "AT+QFLST"), "\r\n" + kListA + "\r\nOK\r\n");
    expect_download(modem->in(), modem->out(), "fileA", a);
    EXPECT_EQ(dir.visible_entries(), std::vector<std::string>{"fileA"});
}

TEST(CrashTest, KillAfterTheLastByteKeepsNothingNewOrTheWholeFile) {
    TempDir dir;
    const std::string a = pseudo_random_bytes(300, 3);
    const std::string b = pseudo_random_bytes(10000, 4);
    kill_during_upload_of_b(dir, a, b, b.size());

    std::string error;
    auto modem = start_quiet_modem(dir.path(), error);
    ASSERT_NE(modem, nullptr) << error;
    const std::string list = exchange(modem->in(), modem->out(), "AT+QFLST");
    const std::string with_b = "\r\n" + kListA + "+QFLST: \"UFS:fileB\",10000\r\n\r\nOK\r\n";
    const std::string without_b = "\r\n" + kListA + "\r\nOK\r\n";
    ASSERT_TRUE(list == with_b || list == without_b) << list;
    expect_download(modem->in(), modem->out(), "fileA", a);
    if (list == with_b) {
        expect_download(modem->in(), modem->out(), "fileB", b);
        EXPECT_EQ(dir.visible_entries().size(), 2U);
    } else {
        EXPECT_EQ(dir.visible_entries(), std::vector<std::string>{"fileA"});
    }
}

}  // namespace
}  // namespace atcoap::e2e

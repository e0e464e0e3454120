// atcoap on a pseudo-terminal with a symlink, as firmware under test would open it (RUNNING.md).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

/// Opens the terminal at `path` with our side in raw mode; a closed channel on failure.
Channel open_raw(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return Channel();
    }
    termios mode{};
    if (::tcgetattr(fd, &mode) != 0) {
        ::close(fd);
        return Channel();
    }
    ::cfmakeraw(&mode);
    if (::tcsetattr(fd, TCSANOW, &mode) != 0) {
        ::close(fd);
        return Channel();
    }
    return Channel(fd);
}

bool ends_with(const std::string& text, std::string_view tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(PtyTest, ServesALinkedTerminalThatTheHostMayCloseAndReopen) {
    TempDir dir;
    const std::string link = (dir.path() / "modem").string();
    std::string error;
    auto modem = start_atcoap(dir.path() / "ufs", {"--pty", link}, error);
    ASSERT_NE(modem, nullptr) << error;

    constexpr std::string_view kAnnounce = "atcoap: AT port on /dev/pts/";
    ASSERT_TRUE(modem->err().wait_for(kAnnounce, kAnswerBound)) << modem->err().unread();
    ASSERT_TRUE(modem->err().wait_for("\n", kAnswerBound));
    std::string announced = modem->err().take_through("\n");
    announced = announced.substr(announced.find("/dev/pts/"));
    announced.pop_back();
    std::error_code code;
    EXPECT_EQ(std::filesystem::read_symlink(link, code).string(), announced);

    Channel tty = open_raw(link);
    ASSERT_GE(tty.fd(), 0) << link;
    // What came before (the start banner, the echo) depends on when the host opened the line.
    EXPECT_TRUE(ends_with(exchange(tty, tty, "ATE0"), "ATE0\r\r\nOK\r\n")) << tty.unread();
    expect_upload(tty, tty, "bytes", every_byte());
    expect_download(tty, tty, "bytes", every_byte());

    tty.close();
    tty = open_raw(link);
    ASSERT_GE(tty.fd(), 0) << link;
    EXPECT_EQ(exchange(tty, tty, "AT"), "\r\nOK\r\n");

    modem->send_signal(SIGTERM);
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);
    struct stat gone {};
    EXPECT_NE(::lstat(link.c_str(), &gone), 0);
    EXPECT_EQ(errno, ENOENT);
}

}  // namespace
}  // namespace atcoap::e2e

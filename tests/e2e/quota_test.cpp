// Two atcoap processes on one --ufs directory (docs/RUNNING.md "The file system directory"):
// while the first fills its store to the 64 MiB quota over its AT port, second processes try to
// start on the same directory (by its path, through a symlink, with `.` in the path), each with
// an upload already waiting on its standard input, in the middle of one of the first one's
// uploads. Each must refuse to start and change nothing in the directory; the first's quota is
// never exceeded (403 past it, exactly 64 MiB at the end), and its files stay whole.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kQuota = std::size_t{64} * 1024 * 1024;  // ufs::kStoreCapacity
constexpr std::size_t kLargest = 10485760;                     // one upload at most
constexpr int kLargeFiles = 6;                                 // 60 MiB
// A 10 MiB upload takes about a second in a Debug build; the sanitizer build is slower.
constexpr Millis kUploadBound{60'000};

using Listing = std::map<std::string, std::uintmax_t>;  // every entry, hidden ones too

Listing list(const fs::path& dir) {
    Listing out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        out[entry.path().filename().string()] = entry.is_regular_file() ? entry.file_size() : 0;
    }
    return out;
}

std::uintmax_t visible_bytes(const Listing& listing) {
    std::uintmax_t total = 0;
    for (const auto& [name, size] : listing) {
        total += name.starts_with('.') ? 0 : size;
    }
    return total;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Content of large file `n`: one buffer, its first bytes made distinct.
std::string large_content(const std::string& base, int n) {
    std::string data = base;
    data.replace(0, 8, "file-" + std::to_string(n) + "--");
    return data;
}

/// A second atcoap on `path` (the first's directory by some name) with an upload waiting on
/// its input: it must exit 1 naming the first, and leave the directory as it was.
void expect_refused(const fs::path& dir, const fs::path& path, const ChildProcess& first) {
    const Listing before = list(dir);
    std::string error;
    auto second = start_atcoap(path, {}, error);
    ASSERT_NE(second, nullptr) << error;
    // Written at once, before it could have refused: an intruder's upload of 2 MiB, more than
    // the first may still store once full. The write may fail once it has exited.
    const std::string upload = "AT+QFUPL=\"intruder\",2000000\r\n" + std::string(60'000, 'x');
    (void)second->in().write_all(upload, kAnswerBound);
    const auto ended = second->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value()) << "the second process did not exit";
    EXPECT_EQ(ended->code, 1);
    EXPECT_TRUE(second->err().wait_for("is in use by atcoap process " + std::to_string(first.pid()),
                                       kAnswerBound))
        << second->err().unread();
    EXPECT_EQ(second->out().unread(), "");  // it never served an AT port
    EXPECT_EQ(list(dir), before) << "the second process changed the directory";
    EXPECT_EQ(read_file(dir / ".atcoap.lock"), std::to_string(first.pid()) + "\n");
}

TEST(QuotaTest, ASecondProcessNeverWritesAndTheFirstFillsItsQuotaExactly) {
    TempDir dir;
    TempDir other;  // holds a symlink to dir
    fs::create_directory_symlink(dir.path(), other.path() / "link");
    const std::vector<fs::path> names{dir.path(), other.path() / "link", dir.path() / "."};
    std::string error;
    auto first = start_quiet_modem(dir.path(), error);
    ASSERT_NE(first, nullptr) << error;
    Channel& in = first->in();
    Channel& out = first->out();

    const std::string base = pseudo_random_bytes(kLargest, 13);
    for (int n = 0; n < kLargeFiles; ++n) {
        const std::string data = large_content(base, n);
        const std::string name = "big" + std::to_string(n);
        ASSERT_EQ(exchange(in, out, "AT+QFUPL=\"" + name + "\"," + std::to_string(kLargest),
                           "\r\nCONNECT\r\n"),
                  "\r\nCONNECT\r\n");
        // Half the data, then a second process, then the rest: the first is mid-upload.
        ASSERT_TRUE(in.write_all(std::string_view(data).substr(0, kLargest / 2), kUploadBound));
        expect_refused(dir.path(), names.at(static_cast<std::size_t>(n) % names.size()), *first);
        ASSERT_TRUE(in.write_all(std::string_view(data).substr(kLargest / 2), kUploadBound));
        ASSERT_TRUE(out.wait_for(upload_answer(data), kUploadBound)) << out.unread();
        EXPECT_EQ(out.take_all(), upload_answer(data));
    }
    const std::size_t left = kQuota - kLargeFiles * kLargest;  // 4 MiB

    // One byte more than is left: the store is not full yet, so CONNECT, and after the data
    // 403 (docs/DIALECT.md §5); nothing is stored.
    ASSERT_EQ(exchange(in, out, "AT+QFUPL=\"over\"," + std::to_string(left + 1), "\r\nCONNECT\r\n"),
              "\r\nCONNECT\r\n");
    ASSERT_TRUE(in.write_all(pseudo_random_bytes(left + 1, 15), kUploadBound));
    ASSERT_TRUE(out.wait_for("\r\n+CME ERROR: 403\r\n", kUploadBound)) << out.unread();
    EXPECT_EQ(out.take_all(), "\r\n+CME ERROR: 403\r\n");
    EXPECT_EQ(visible_bytes(list(dir.path())), kLargeFiles * kLargest);
    // Exactly what is left fits, with a second process trying meanwhile.
    const std::string rest = pseudo_random_bytes(left, 14);
    expect_refused(dir.path(), dir.path(), *first);
    expect_upload(in, out, "rest", rest);
    EXPECT_EQ(visible_bytes(list(dir.path())), kQuota);
    // Full: even one byte is refused at once, also once a second process has tried.
    expect_refused(dir.path(), other.path() / "link", *first);
    EXPECT_EQ(exchange(in, out, "AT+QFUPL=\"one\",1", "\r\n+CME ERROR: 403\r\n"),
              "\r\n+CME ERROR: 403\r\n");

    // The first's files are whole, on disk and through its AT port.
    const Listing listing = list(dir.path());
    EXPECT_EQ(visible_bytes(listing), kQuota);
    for (const auto& [name, size] : listing) {
        EXPECT_TRUE(name == ".atcoap.lock" || name.starts_with("big") || name == "rest") << name;
    }
    for (int n = 0; n < kLargeFiles; ++n) {
        EXPECT_TRUE(read_file(dir.path() / ("big" + std::to_string(n))) == large_content(base, n))
            << "big" << n;
    }
    expect_download(in, out, "rest", rest);
    EXPECT_EQ(exchange(in, out, "AT", "OK\r\n"), "\r\nOK\r\n");
}

}  // namespace
}  // namespace atcoap::e2e

#include "e2e_support.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace atcoap::e2e {

TempDir::TempDir() {
    std::string pattern = "/tmp/atcoap-e2e-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> TempDir::visible_entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with('.')) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string ufs_checksum(std::string_view data) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const unsigned high = static_cast<unsigned char>(data[i]);
        const unsigned low = i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) : 0U;
        sum ^= (high << 8U) | low;
    }
    char text[8];
    std::snprintf(text, sizeof text, "%x", sum);
    return text;
}

std::string every_byte() {
    std::string bytes(256, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<char>(static_cast<unsigned char>(i));
    }
    return bytes;
}

std::string pseudo_random_bytes(std::size_t size, std::uint32_t seed) {
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(static_cast<unsigned char>(generator() & 0xFFU));
    }
    return bytes;
}

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

namespace {}  // namespace

std::uint16_t free_tcp_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

Channel connect_tcp(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return Channel();
    }
    return Channel(fd);
}

std::unique_ptr<ChildProcess> start_atcoap(const std::filesystem::path& ufs,
                                           const std::vector<std::string>& arguments,
                                           std::string& error) {
    std::vector<std::string> all{"--ufs", ufs.string()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return ChildProcess::start(ATCOAP_BINARY, all, error);
}

std::unique_ptr<ChildProcess> start_quiet_modem(const std::filesystem::path& ufs,
                                                std::string& error) {
    return start_quiet_modem(ufs, {}, error);
}

std::unique_ptr<ChildProcess> start_quiet_modem(const std::filesystem::path& ufs,
                                                const std::vector<std::string>& arguments,
                                                std::string& error) {
    auto modem = start_atcoap(ufs, arguments, error);
    if (modem == nullptr) {
        return nullptr;
    }
    const std::string expected = "\r\nRDY\r\n\r\nAPP RDY\r\nATE0\r\r\nOK\r\n";
    const std::string got = exchange(modem->in(), modem->out(), "ATE0");
    if (got != expected) {
        error =
            "start: got \"" + got + modem->out().unread() + "\"; stderr: " + modem->err().unread();
        return nullptr;
    }
    return modem;
}

std::string upload_answer(std::string_view data) {
    return "\r\n+QFUPL: " + std::to_string(data.size()) + "," + ufs_checksum(data) +
           "\r\n\r\nOK\r\n";
}

std::string download_answer(std::string_view data) {
    return "\r\nCONNECT\r\n" + std::string(data) + "\r\n+QFDWL: " + std::to_string(data.size()) +
           "," + ufs_checksum(data) + "\r\n\r\nOK\r\n";
}

std::string exchange(Channel& port, Channel& reader, std::string_view command_line,
                     std::string_view final_text) {
    if (!port.write_all(std::string(command_line) + "\r", kAnswerBound) ||
        !reader.wait_for(final_text, kAnswerBound)) {
        return "";
    }
    return reader.take_through(final_text);
}

void expect_upload(Channel& port, Channel& reader, const std::string& name,
                   const std::string& data) {
    const std::string upload = "AT+QFUPL=\"" + name + "\"," + std::to_string(data.size());
    ASSERT_EQ(exchange(port, reader, upload, "\r\nCONNECT\r\n"), "\r\nCONNECT\r\n")
        << reader.unread();
    const std::string expected = upload_answer(data);
    ASSERT_TRUE(port.write_all(data, kAnswerBound));
    ASSERT_TRUE(reader.wait_for(expected, kAnswerBound)) << reader.unread();
    EXPECT_EQ(reader.take_all(), expected);
}

void expect_download(Channel& port, Channel& reader, const std::string& name,
                     const std::string& data) {
    const std::string expected = download_answer(data);
    EXPECT_EQ(exchange(port, reader, "AT+QFDWL=\"" + name + "\"", expected), expected)
        << reader.unread();
    EXPECT_EQ(reader.unread(), "");
}

}  // namespace atcoap::e2e

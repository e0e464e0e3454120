#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

namespace atcoap::e2e {

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

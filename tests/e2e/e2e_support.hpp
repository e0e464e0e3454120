#pragma once
// What the end-to-end tests share beside tests/support: the checksum that AT+QFUPL and
// AT+QFDWL report (AT_FILES.md), test data, and a way to start the program.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/loopback.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::e2e {

using test::Channel;
using test::ChildProcess;
using test::connect_tcp;
using test::free_tcp_port;
using test::free_udp_port;
using test::free_udp_port_pair;
using test::Millis;
using test::TempDir;

/// The bound on any single wait for an answer. Generous: the sanitizer build is slow.
inline constexpr Millis kAnswerBound{5000};

/// XOR of the data as big-endian 16-bit words (an odd last byte is a high byte), in lowercase
/// hexadecimal without padding: the checksum of AT+QFUPL and AT+QFDWL.
std::string ufs_checksum(std::string_view data);

/// The 256 byte values in order.
std::string every_byte();

/// `size` bytes from a fixed-seed generator, so that a failure can be reproduced.
std::string pseudo_random_bytes(std::size_t size, std::uint32_t seed);

/// Starts the built atcoap with `--ufs ufs` and `arguments`; nullptr on failure (see error).
std::unique_ptr<ChildProcess> start_atcoap(const std::filesystem::path& ufs,
                                           const std::vector<std::string>& arguments,
                                           std::string& error);

/// Starts atcoap on standard input and output, reads its start banner and turns echo off;
/// nullptr when any of it fails (see error).
std::unique_ptr<ChildProcess> start_quiet_modem(const std::filesystem::path& ufs,
                                                std::string& error);
/// The same, with more command-line `arguments`.
std::unique_ptr<ChildProcess> start_quiet_modem(const std::filesystem::path& ufs,
                                                const std::vector<std::string>& arguments,
                                                std::string& error);

/// The exact answer to AT+QFUPL="<name>",<size> after the data, with echo off.
std::string upload_answer(std::string_view data);
/// The exact answer to AT+QFDWL="<name>", with echo off.
std::string download_answer(std::string_view data);

/// Sends `command_line` and CR on `port`, then reads from `reader` until `final_text` arrives;
/// returns everything read through it, or an empty string when it did not come within the bound.
std::string exchange(Channel& port, Channel& reader, std::string_view command_line,
                     std::string_view final_text = "\r\nOK\r\n");

/// Uploads `data` as `name` with AT+QFUPL (echo off) and checks every byte of the answer.
void expect_upload(Channel& port, Channel& reader, const std::string& name,
                   const std::string& data);

/// Downloads `name` with AT+QFDWL (echo off) and checks that it gives back exactly `data`.
void expect_download(Channel& port, Channel& reader, const std::string& name,
                     const std::string& data);

}  // namespace atcoap::e2e

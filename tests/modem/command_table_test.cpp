// The command table is one per process, shared by every modem (modem/modem_commands.hpp): what a
// command answers still comes from the modem that runs it, and modems on several threads (a
// fleet's --threads) share it from its first use on.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "modem/modem_commands.hpp"
#include "quiet_modem.hpp"

namespace atcoap::modem {
namespace {

/// One modem with its own identity, echo off.
struct Device : test_support::QuietModem {
    explicit Device(Identity identity)
        : QuietModem(ModemOptions{.identity = std::move(identity)}) {}
};

Identity identity_of(std::string imei, std::string model = "BG95-M3") {
    Identity identity;
    identity.imei = std::move(imei);
    identity.model = std::move(model);
    return identity;
}

TEST(CommandTable, EachModemAnswersWithItsOwnIdentity) {
    Device first(identity_of("864508030012428"));
    Device second(identity_of("356938035643809", "BG77"));
    EXPECT_EQ(second.run("AT+CGSN\r\n"), "\r\n356938035643809\r\n\r\nOK\r\n");
    EXPECT_EQ(first.run("AT+CGSN\r\n"), "\r\n864508030012428\r\n\r\nOK\r\n");
    EXPECT_EQ(first.run("AT+GSN\r\n"), "\r\n864508030012428\r\n\r\nOK\r\n");
    EXPECT_EQ(second.run("ATI\r\n"),
              "\r\nQuectel\r\nBG77\r\nRevision: BG95M3LAR02A03\r\n\r\nOK\r\n");
    EXPECT_EQ(first.run("AT+CGMM\r\n"), "\r\nBG95-M3\r\n\r\nOK\r\n");
}

TEST(CommandTable, EachModemKeepsItsOwnSettings) {
    Device first(identity_of("864508030012428"));
    Device second(identity_of("356938035643809"));
    EXPECT_EQ(first.run("AT+CMEE=2;+CEREG=2\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(second.run("AT+CMEE?;+CEREG?\r\n"), "\r\n+CMEE: 1\r\n\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    EXPECT_EQ(first.run("AT+CMEE?\r\n"), "\r\n+CMEE: 2\r\n\r\nOK\r\n");
}

// Each test runs in a process of its own (gtest_discover_tests), so the threads here race to
// the table's first use.
TEST(CommandTable, ModemsOnSeveralThreadsShareOneTable) {
    constexpr std::size_t kThreads = 4;
    constexpr std::size_t kModemsPerThread = 25;
    const auto imei = [](std::size_t thread, std::size_t modem) {
        return std::to_string(864508030000000U + thread * 1000U + modem);
    };
    std::vector<std::vector<std::string>> answers(kThreads);
    std::vector<const ModemCommandTable*> tables(kThreads);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([t, &imei, &answers, &tables] {
            tables[t] = &modem_command_table();
            std::vector<std::unique_ptr<Device>> devices;
            for (std::size_t i = 0; i < kModemsPerThread; ++i) {
                devices.push_back(std::make_unique<Device>(identity_of(imei(t, i))));
            }
            for (auto& device : devices) {
                answers[t].push_back(device->run("AT+CGSN;+CFUN=4;+CFUN?\r\n"));
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (std::size_t t = 0; t < kThreads; ++t) {
        EXPECT_EQ(tables[t], &modem_command_table());
        ASSERT_EQ(answers[t].size(), kModemsPerThread);
        for (std::size_t i = 0; i < kModemsPerThread; ++i) {
            EXPECT_EQ(answers[t][i], "\r\n" + imei(t, i) + "\r\n\r\n+CFUN: 4\r\n\r\nOK\r\n");
        }
    }
}

TEST(CommandTable, HoldsEveryCommandOfTheDialect) {
    const ModemCommandTable table = make_modem_command_table();
    const std::vector<std::string> names{
        "I",           "+CGMI",        "+GMI",         "+CGMM",      "+GMM",      "+CGMR",
        "+GMR",        "+CGSN",        "+GSN",         "E",          "+CMEE",     "+CFUN",
        "+CPIN",       "+CEREG",       "+CSQ",         "+QICSGP",    "+QIACT",    "+QIDEACT",
        "+QFUPL",      "+QFDWL",       "+QFLST",       "+QFDEL",     "+QCOAPCFG", "+QCOAPOPEN",
        "+QCOAPCLOSE", "+QCOAPHEADER", "+QCOAPOPTION", "+QCOAPSEND", "+QSSLCFG"};
    for (const std::string& name : names) {
        EXPECT_NE(table.find(name), nullptr) << name;
    }
    EXPECT_EQ(table.size(), names.size());
}

}  // namespace
}  // namespace atcoap::modem

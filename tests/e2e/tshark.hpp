#pragma once
// Running tshark from the end-to-end tests (docs/TRACES.md). tshark is a dependency
// (scripts/install-deps.sh): a test that needs it skips when it is missing, but fails in CI
// (CI=true).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_support.hpp"

namespace atcoap::e2e {

/// tshark reads a trace of a few dozen packets in about a second; the sanitizer build is slow.
inline constexpr Millis kTsharkBound{60'000};

inline bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path == nullptr ? "" : path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (::access((dir + "/" + program).c_str(), X_OK) == 0) {
            return true;
        }
    }
    return false;
}

inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

/// Why a test that needs tshark cannot run; empty when it can.
inline std::string tshark_missing() {
    return on_path("tshark") ? std::string()
                             : "tshark is not installed (scripts/install-deps.sh installs it)";
}

/// tshark's field output for `arguments`, one line per packet; empty lines dropped. Fails the
/// test when tshark does not run or exits with an error.
inline std::vector<std::string> tshark_rows(const std::vector<std::string>& arguments) {
    std::string error;
    auto tshark = test::ChildProcess::start("tshark", arguments, error);
    if (tshark == nullptr) {
        ADD_FAILURE() << error;
        return {};
    }
    tshark->in().close();
    const auto ended = tshark->wait_exit(kTsharkBound);
    EXPECT_TRUE(ended && ended->exited_zero()) << tshark->err().unread();
    std::vector<std::string> rows;
    std::stringstream text(tshark->out().unread());
    for (std::string row; std::getline(text, row);) {
        if (!row.empty()) {
            rows.push_back(row);
        }
    }
    return rows;
}

}  // namespace atcoap::e2e

/// Skips the test when tshark is missing, or fails it in CI.
#define ATCOAP_REQUIRE_TSHARK()                                                              \
    do {                                                                                     \
        if (const std::string missing = ::atcoap::e2e::tshark_missing(); !missing.empty()) { \
            if (::atcoap::e2e::in_ci()) {                                                    \
                FAIL() << missing;                                                           \
            }                                                                                \
            GTEST_SKIP() << missing;                                                         \
        }                                                                                    \
    } while (false)

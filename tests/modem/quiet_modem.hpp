#pragma once
// A modem core booted at time 0 with echo off, and a way to send it bytes and read its answer
// at once: for the tests that talk to a modem without a simulated network.

#include <string>
#include <string_view>
#include <utility>

#include "modem/modem.hpp"
#include "support/capturing_logger.hpp"
#include "support/scripted_random.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem::test_support {

struct QuietModem {
    ufs::MemoryStorage storage;
    test::ScriptedRandom random;
    test::CapturingLogger logger;
    Modem modem;

    explicit QuietModem(ModemOptions options = {})
        : modem(std::move(options), storage, random, logger) {
        modem.start(at_ms(0));
        run("ATE0\r\n");
    }

    /// Sends `bytes` at time 0 and returns what the modem wrote back.
    std::string run(std::string_view bytes) {
        modem.on_host_bytes(as_bytes(bytes), at_ms(0));
        const Bytes out = modem.take_host_output();
        return std::string(out.begin(), out.end());
    }
};

}  // namespace atcoap::modem::test_support

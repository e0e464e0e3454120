// Feeds arbitrary bytes, in pieces of a size the first byte chooses, to a control-socket session
// (control/protocol.hpp) over the whole modem core. Every reply must be one JSON line holding
// "return" or "error", no session may hold more than its line bound, and afterwards the modem
// must still answer AT with OK.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/random.hpp"
#include "control/modem_control.hpp"
#include "control/protocol.hpp"
#include "modem/modem.hpp"
#include "ufs/storage.hpp"

namespace {

using namespace atcoap;

void check_replies(std::string_view replies) {
    while (!replies.empty()) {
        const std::size_t end = replies.find('\n');
        if (end == std::string_view::npos) {
            std::abort();  // a reply without its line end
        }
        const auto reply = nlohmann::json::parse(replies.substr(0, end), nullptr, false);
        if (!reply.is_object() || (!reply.contains("return") && !reply.contains("error"))) {
            std::abort();
        }
        replies.remove_prefix(end + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    ufs::MemoryStorage storage;
    NullLogger logger;
    SeededRandom random(1);
    modem::Modem modem(modem::ModemOptions{}, storage, random, logger);
    TimePoint now = at_ms(0);
    modem.start(now);
    control::ModemControl target(modem, {.now = [&now] { return now; },
                                         .wall = {},
                                         .listening = {},
                                         .event = [](std::string) {},
                                         .changed = {},
                                         .quit = {}});
    control::Session session(target);
    const std::size_t piece = std::size_t{data[0]} + 1;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    while (!input.empty()) {
        const std::string_view chunk = input.substr(0, piece);
        input.remove_prefix(chunk.size());
        check_replies(session.feed(chunk));
        if (session.buffered() > control::kMaxLineLength) {
            std::abort();
        }
        now += Duration{100};
        modem.on_timeout(now);
        modem.take_network_requests();
        modem.take_host_output();
    }
    if (!modem.set_latency(Duration{0}, Duration{0}, now).ok()) {
        std::abort();
    }
    modem.take_host_output();
    modem.on_host_bytes(as_bytes(std::string_view("AT\r\n")), now);
    const Bytes out = modem.take_host_output();
    if (!as_text(out).ends_with("\r\nOK\r\n")) {
        std::abort();
    }
    return 0;
}

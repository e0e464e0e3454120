// Feeds arbitrary host bytes, split and timed as the input says, to the whole modem core.
// Whatever came before, once every data phase has run out, the modem still answers AT with OK.
//
// Input: records of [length][advance in 100 ms units][length bytes of host input].

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/random.hpp"
#include "modem/modem.hpp"
#include "ufs/storage.hpp"

namespace {

using namespace atcoap;

bool ends_with_ok(const Bytes& out) {
    constexpr std::string_view kOk = "\r\nOK\r\n";
    return out.size() >= kOk.size() && as_text(out).substr(out.size() - kOk.size()) == kOk;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ufs::MemoryStorage storage;
    NullLogger logger;
    SeededRandom random(1);
    modem::Modem modem(modem::ModemOptions{}, storage, random, logger);
    TimePoint now = at_ms(0);
    modem.start(now);

    std::size_t pos = 0;
    while (pos + 2 <= size) {
        const std::size_t length = data[pos];
        now += Duration{100 * data[pos + 1]};
        pos += 2;
        const std::size_t take = std::min(length, size - pos);
        modem.on_timeout(now);
        modem.on_host_bytes(ByteView(data + pos, take), now);
        pos += take;
        (void)modem.take_host_output();
    }

    // Let every upload run out (its timeout is at most 65535 s), then ask.
    now += Duration{std::int64_t{65536} * 1000};
    modem.on_timeout(now);
    (void)modem.take_host_output();
    modem.on_host_bytes(as_bytes("\rAT\r"), now);
    if (!ends_with_ok(modem.take_host_output())) {
        __builtin_trap();
    }
    return 0;
}

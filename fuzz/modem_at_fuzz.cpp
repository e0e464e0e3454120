// Feeds arbitrary host bytes, split and timed as the input says, to the whole modem core.
// Whatever came before, once every data phase has been ended, the modem still answers AT with OK.
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

    // End whatever the input left open: a line waiting for its CR (which may open a data
    // phase), an upload (its timeout is at most 65535 s), a `> ` payload of up to 1024 bytes
    // (filled, or cancelled with ESC). In command mode the filler is noise without AT and
    // stays silent. Then the modem must still answer AT with OK.
    const Bytes filler(1100, 'x');
    const std::uint8_t escape = 0x1B;
    for (ByteView closing :
         {as_bytes("\r"), ByteView(filler), ByteView(&escape, 1), as_bytes("\r")}) {
        modem.on_host_bytes(closing, now);
        now += Duration{std::int64_t{65536} * 1000};
        modem.on_timeout(now);
        (void)modem.take_host_output();
    }
    modem.on_host_bytes(as_bytes("AT\r"), now);
    if (!ends_with_ok(modem.take_host_output())) {
        __builtin_trap();
    }
    return 0;
}

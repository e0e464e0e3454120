// Feeds arbitrary host bytes and modem output, split and timed as the input says, to the
// recorder (src/script/recorder.hpp). Whatever came, every pattern it writes is valid RE2 (with
// its variables given a value) and the script stays within its bound.
//
// Input: records of [length, top bit: output rather than host input][advance in 100 ms
// units][length & 0x7F bytes].

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "script/recorder.hpp"

namespace {

using namespace atcoap;

constexpr std::size_t kBound = 8192;

void check(const std::string& script) {
    static const RE2 kExpect(R"(expect(?:-urc)? (?:within \d+s )?(.*))");
    static const RE2 kVariable(R"(\$\{[A-Z0-9_]+\})");
    std::istringstream lines(script);
    std::string line;
    while (std::getline(lines, line)) {
        std::string pattern;
        if (RE2::FullMatch(line, kExpect, &pattern)) {
            RE2::GlobalReplace(&pattern, kVariable, "1");
            if (!RE2(pattern, RE2::Quiet).ok()) {
                std::abort();
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    NullLogger logger;
    script::Recorder recorder(logger, kBound);
    TimePoint now = at_ms(0);
    std::size_t pos = 0;
    while (pos + 2 <= size) {
        const bool output = (data[pos] & 0x80) != 0;
        const std::size_t length = data[pos] & 0x7F;
        now += Duration{100 * data[pos + 1]};
        pos += 2;
        const std::size_t take = std::min(length, size - pos);
        if (output) {
            recorder.on_output(ByteView(data + pos, take), now);
        } else {
            recorder.on_host_bytes(ByteView(data + pos, take), now);
        }
        pos += take;
    }
    const std::string script = recorder.script();
    if (script.size() > kBound + 256) {
        std::abort();
    }
    check(script);
    return 0;
}

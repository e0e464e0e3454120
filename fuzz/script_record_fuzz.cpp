// Feeds arbitrary host bytes and modem output, split and timed as the input says, to the
// recorder (src/script/recorder.hpp). Whatever came, the script parser takes what it writes
// (every pattern valid RE2, every variable defined before its use) and the script stays within
// its bound.
//
// Input: records of [length, top bit: output rather than host input][advance in 100 ms
// units][length & 0x7F bytes].

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "script/parser.hpp"
#include "script/recorder.hpp"

namespace {

using namespace atcoap;

constexpr std::size_t kBound = 8192;

/// The recorded script, to the parser.
class Memory final : public script::SourceLoader {
  public:
    explicit Memory(std::string text) : text_(std::move(text)) {}
    Result<std::string, std::string> load(const std::string&) override { return text_; }

  private:
    std::string text_;
};

void check(const std::string& text) {
    Memory loader(text);
    const auto parsed = script::parse_script("recorded.at", loader, [](std::string_view name) {
        return name == "HOST" || name == "PORT" || name == "DTLS_PORT";
    });
    if (!parsed) {
        std::fprintf(stderr, "%s\n%s", parsed.error().text().c_str(), text.c_str());
        std::abort();
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

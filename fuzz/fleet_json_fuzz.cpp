// Feeds arbitrary text to read_json_lines (src/fleet/json_lines.hpp), the reader of
// `atcoap fleet merge`. Whatever came: it gives records or one error line naming its line, and
// every record read re-encodes to a line that reads back equal.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fleet/json_lines.hpp"

namespace {

using namespace atcoap;

[[noreturn]] void stop(const char* what, const std::string& detail) {
    std::fprintf(stderr, "%s: %s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto read = fleet::read_json_lines(text);
    if (!read) {
        const std::string& error = read.error();
        if (!error.starts_with("line ") || error.find('\n') != std::string::npos) {
            stop("an error that is not one line naming its line", error);
        }
        return 0;
    }
    for (const fleet::Record& record : *read) {
        const std::string line = fleet::to_json_line(record);
        const auto again = fleet::read_json_lines(line);
        if (!again) {
            stop("a re-encoded record does not read", again.error() + "\n" + line);
        }
        if (again->size() != 1 || (*again)[0] != record) {
            stop("a re-encoded record reads back different", line);
        }
    }
    return 0;
}

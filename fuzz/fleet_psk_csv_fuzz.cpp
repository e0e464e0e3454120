// Arbitrary text as a fleet's `--psk-csv` file (fleet/psk_csv.hpp) and, its first line, as an
// identity pattern (fleet/identity.hpp). Every input gives an IdentitySource or one error line;
// a source's identities are valid PSK identities, and distinct when the file's are.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fleet/identity.hpp"
#include "fleet/psk_csv.hpp"

namespace {

using namespace atcoap;

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

void check_error(const std::string& error, std::string_view prefix) {
    require(error.starts_with(prefix));
    require(error.find('\n') == std::string::npos);
}

void check_source(const fleet::IdentitySource& source, std::uint64_t modems) {
    std::set<std::string> identities;
    for (std::uint64_t d = 0; d < modems; ++d) {
        const fleet::DeviceIdentity id = source.identity(d);
        require(!fleet::psk_identity_problem(id.psk_identity).has_value());
        require(!id.psk_key_hex.empty() && id.psk_key_hex.size() % 2 == 0);
        require(id.psk_key_hex.size() <= 2 * fleet::kMaxPskKeyBytes);
        require(id.imei.size() == 15);
        identities.insert(id.psk_identity);
    }
    require(identities.size() == modems);
    const std::string file = fleet::server_identity_file(source, modems);
    require(!file.empty() && file.back() == '\n');
}

void fuzz_csv(std::string_view text) {
    auto entries = fleet::parse_psk_csv(text);
    fleet::IdentityOptions options;
    options.psk_csv_text = std::string(text);
    if (!entries) {
        check_error(entries.error(), "PSK CSV");
        require(!fleet::IdentitySource::make(options, 0).ok());
        return;
    }
    const std::uint64_t count = entries->size();
    for (const std::uint64_t modems : {std::uint64_t{0}, std::uint64_t{1}, count, count + 1}) {
        auto source = fleet::IdentitySource::make(options, modems);
        require(source.ok() == (modems <= count));
        if (!source) {
            check_error(source.error(), "PSK CSV: ");
            continue;
        }
        check_source(*source, modems);
        for (std::uint64_t d = 0; d < modems; ++d) {
            require(source->identity(d).psk_identity == (*entries)[d].identity);
        }
    }
}

void fuzz_pattern(std::string_view text) {
    fleet::IdentityOptions options;
    options.psk_identity_pattern = std::string(text.substr(0, text.find('\n')));
    const std::uint64_t modems = 1 + text.size() % 50;
    auto source = fleet::IdentitySource::make(options, modems);
    if (!source) {
        check_error(source.error(), "--psk-identity: ");
        return;
    }
    check_source(*source, modems);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fuzz_csv(text);
    fuzz_pattern(text);
    return 0;
}

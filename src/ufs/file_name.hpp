#pragma once
// UFS file names (docs/DIALECT.md §5, §7): what a host may call a file, and the one canonical form
// the store keys on. A name that passes parse_name can never reach outside the store's
// directory, never names a temporary of the on-disk store, and is never mistaken for a pattern.

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace atcoap::ufs {

/// The longest name, in bytes, without the drive prefix (docs/DIALECT.md §7).
inline constexpr std::size_t kMaxNameBytes = 80;

/// The drive prefix hosts may put before a name ("UFS:0_server.psk"); it is matched without
/// regard to case ("ufs:" works too) and QFLST always prints it in uppercase.
inline constexpr std::string_view kDrivePrefix = "UFS:";

/// Why parse_name refused a name; every refusal answers `+CME ERROR: 406`.
enum class NameError {
    Empty,         // nothing left once the prefix is taken away
    TooLong,       // more than kMaxNameBytes bytes
    Separator,     // '/' or '\': a path, not a name
    ControlByte,   // NUL or another byte below 0x20, or DEL: breaks the one-line QFLST output
    DotName,       // "." or ".."
    LeadingDot,    // any other name starting with '.': hidden on the host, and the on-disk
                   // store's temporaries start with one, so a host can never name them
    ReservedByte,  // ':' (another drive, as "RAM:"), '*' or '?' (patterns), '"' (quoting)
};

/// A short English reason for the log, e.g. "contains '/' or '\\'".
std::string_view describe(NameError error);

/// A valid UFS file name, held without its prefix. Only parse_name makes one.
class FileName {
  public:
    /// The name as stored: "0_server.psk".
    const std::string& bare() const { return name_; }
    /// The name as QFLST prints it: "UFS:0_server.psk".
    std::string display() const;

    friend bool operator==(const FileName&, const FileName&) = default;
    friend std::strong_ordering operator<=>(const FileName& a, const FileName& b) {
        return a.name_.compare(b.name_) <=> 0;
    }

  private:
    explicit FileName(std::string name) : name_(std::move(name)) {}
    friend Result<FileName, NameError> parse_name(std::string_view text);

    std::string name_;
};

/// Checks a host-given name, with or without the "UFS:" prefix, and gives its canonical form.
Result<FileName, NameError> parse_name(std::string_view text);

/// `text` without a leading "UFS:" (any case), or `text` itself when it has none.
std::string_view strip_drive_prefix(std::string_view text);

}  // namespace atcoap::ufs

#pragma once
// Patterns for AT+QFLST=<pattern> (docs/DIALECT.md §5): "*" lists every file, and a pattern may
// carry the "UFS:" prefix ("UFS:*") and wildcards ("*.psk", "?_server.psk").

#include <cstddef>
#include <string_view>

#include "ufs/file_name.hpp"

namespace atcoap::ufs {

/// Glob matching on bytes: '*' matches any run of bytes (also none), '?' exactly one byte,
/// every other byte itself, case-sensitively. There are no bracket classes and no escapes:
/// valid names never contain '*' or '?' (file_name.hpp), so none is needed.
/// The work is bounded whatever the pattern: when `steps` is given, it receives the number of
/// steps taken, at most (pattern.size() + 1) × (text.size() + 1).
bool glob_match(std::string_view pattern, std::string_view text, std::size_t* steps = nullptr);

/// Whether a QFLST pattern selects `name`; the pattern's "UFS:" prefix (any case) is ignored.
/// A pattern without wildcards selects the one file of that name.
bool pattern_matches(std::string_view pattern, const FileName& name);

/// Whether a QFDEL argument means "every file": "*" or "UFS:*" (docs/DIALECT.md §5).
bool names_every_file(std::string_view text);

}  // namespace atcoap::ufs

#pragma once
// How the recorder (recorder.hpp) writes bytes and lines in the words of docs/SCRIPTS.md: text
// arguments quoted only when they must be, output lines as readable RE2 patterns, durations.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"

namespace atcoap::script::record {

/// A piece of a text argument or pattern: literal bytes, or a variable reference `${NAME}`, or
/// (patterns only) raw regular-expression text such as a capture group.
struct Piece {
    enum class Kind { Literal, Variable, Regex };
    Kind kind = Kind::Literal;
    std::string text;
};

/// Whether `bytes` is text a script can hold as it is: valid UTF-8 with no control character but
/// CR, LF and tab. Anything else is written as `write hex`.
bool is_text(std::string_view bytes);

/// A `send`/`write` argument: the bytes as they are when that is unambiguous (no control byte, no
/// `$`, no leading quote or space, no trailing space), else one quoted string with the escapes
/// of docs/SCRIPTS.md. `always_quote` forces the quoted form (the `write` steps use it).
std::string text_argument(const std::vector<Piece>& pieces, bool always_quote = false);

/// `write hex` digits: two uppercase hex digits per byte.
std::string hex_argument(std::string_view bytes);

/// An output line as an RE2 pattern matching exactly it: regex metacharacters escaped with `\`,
/// control bytes as `\xHH`, bytes that are not UTF-8 as `\C`, a leading or trailing space as
/// `\x20`; letters, digits and other punctuation stay as they are, for the reader.
std::string pattern_of(const std::vector<Piece>& pieces);
std::string quote_regex(std::string_view line);

/// A `within` duration in whole seconds, e.g. "7s".
std::string seconds_text(Duration time);

/// The comma-separated fields of `text` (no quote handling: callers look only at fields before
/// any quoted value), with their offsets in `text`.
struct Field {
    std::size_t offset = 0;
    std::string_view text;
};
std::vector<Field> split_fields(std::string_view text);

// AT command lines, as the recorder reads them.
std::string upper(std::string_view text);
/// The arguments of `command` (e.g. "+QCOAPSEND=") in an uppercase line, up to a `;` outside
/// quotes, spaces removed (V.250 §5.2.1 ignores them); nullopt when the line has no such command.
std::optional<std::string> arguments_of(std::string_view line, std::string_view command);
std::optional<long> number(std::string_view text);
/// `=`, `,`, `;` and `"`: what separates the fields of a command line.
bool is_delimiter(char c);
/// Which argument of `command` (e.g. "+QCOAPHEADER=") starts at `at` in an uppercase line, 0
/// for the first; -1 outside that command.
int command_field(std::string_view line, std::size_t at, std::string_view command);

}  // namespace atcoap::script::record

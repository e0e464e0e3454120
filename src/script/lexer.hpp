#pragma once
// The pieces of a script line (docs/SCRIPTS.md, "The format"): words, text arguments with their
// escapes and `${NAME}` references, durations, hex bytes, and the check that a file is text.
// Every error carries the 1-based byte column where it was found, so that the parser can say
// FILE:LINE:COLUMN.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "base/time.hpp"
#include "script/script.hpp"

namespace atcoap::script::lex {

/// A stretch of one line and the column of its first byte (where it would be, when empty).
struct Piece {
    std::string_view text;
    int column = 1;
};

struct Error {
    int column = 0;
    std::string message;
};
template <class T>
using Lexed = Result<T, Error>;

/// The longest duration a script may write (`wait`, `within`, `timeout`).
inline constexpr Duration kMaxDuration = std::chrono::hours(24);

bool is_blank(char c);
/// Letters, digits and `_`, not starting with a digit, not empty.
bool is_name(std::string_view text);

Piece skip_blanks(Piece piece);
/// Spaces and tabs removed at both ends.
Piece trim(Piece piece);
/// The next word (blanks skipped before it); `rest` keeps what follows the word.
Piece take_word(Piece& rest);

/// Text with its `${NAME}` references; `variable_columns[i]` is where the i-th reference's `${`
/// was written, for an "undefined variable" error there.
struct Text {
    Template value;
    std::vector<int> variable_columns;
};

/// A text argument (trimmed): one quoted string with escapes when it starts with `"`, else the
/// text as it is. Both know `${NAME}` and `$${`.
Lexed<Text> text_argument(Piece argument);
/// Text as it is with `${NAME}` and `$${` (patterns, control words).
Lexed<Text> template_of(Piece raw);

/// `250ms`, `5s`, `1.5s`, `2min`, `1h`: rounded to the millisecond, at most kMaxDuration.
Lexed<Duration> duration(Piece word);
/// Pairs of hex digits, spaces allowed between pairs.
Lexed<std::string> hex_bytes(Piece argument);

/// The first byte that makes `bytes` not text (a NUL, or not UTF-8), and where it is.
struct NotText {
    int line = 0;
    int column = 0;
    unsigned char byte = 0;
};
std::optional<NotText> check_text(std::string_view bytes);

/// `text` cut to at most `limit` bytes (at a UTF-8 boundary) and "...", for messages that
/// quote what a script wrote: a line may be 1 MiB long, a message stays short.
std::string excerpt(std::string_view text, std::size_t limit = 300);

/// The lines of a file, their LF or CR LF removed.
std::vector<std::string_view> split_lines(std::string_view bytes);

}  // namespace atcoap::script::lex

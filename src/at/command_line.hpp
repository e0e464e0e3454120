#pragma once
// Splits one AT command line into its commands and their raw arguments (ITU-T V.250 §5.2 and
// the note's §3.1): basic commands (`E0`, `I`), extended ones (`+CMEE=2`) in their test (`=?`),
// read (`?`), write (`=...`) and execution forms, concatenated with `;`.
//
// Every line passes through here, so the results are views into storage the caller keeps and
// reuses from line to line: splitting allocates only for a line longer than any before.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace atcoap::at {

enum class Form { Execute, Test, Read, Write };

struct Invocation {
    std::string_view name;  // uppercased: "E", "I", "&F", "+CMEE"
    Form form = Form::Execute;
    std::string_view args;  // after '=' for Write, the digits of a basic command; quotes kept
};

/// One argument as written: quoted strings keep their quotes off and say so.
struct RawArg {
    std::string_view text;
    bool quoted = false;
    bool present = true;  // false for an empty position: `1,,3`
};

/// A split command line. `commands` view `body`: the line after `AT`, without the spaces
/// outside quotes, with its command names uppercased. Not copyable, so that no copy's views
/// point into another's body; valid until the next split into the same SplitLine.
struct SplitLine {
    SplitLine() = default;
    SplitLine(const SplitLine&) = delete;
    SplitLine& operator=(const SplitLine&) = delete;

    std::string body;
    std::vector<Invocation> commands;
};

/// `line` is a whole command line starting with "AT"/"at". Spaces outside quotes are dropped,
/// names are case-insensitive (docs/DIALECT.md §1). An error names what is wrong, for the log.
Status<std::string> split_command_line(std::string_view line, SplitLine& out);

/// Splits a write command's arguments at commas outside quotes into `out` (cleared first);
/// the texts view `args`.
Status<std::string> split_arguments(std::string_view args, std::vector<RawArg>& out);

}  // namespace atcoap::at

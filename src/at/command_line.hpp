#pragma once
// Splits one AT command line into its commands and their raw arguments (ITU-T V.250 §5.2 and
// the note's §3.1): basic commands (`E0`, `I`), extended ones (`+CMEE=2`) in their test (`=?`),
// read (`?`), write (`=...`) and execution forms, concatenated with `;`.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace atcoap::at {

enum class Form { Execute, Test, Read, Write };

struct Invocation {
    std::string name;  // uppercased: "E", "I", "&F", "+CMEE"
    Form form = Form::Execute;
    std::string args;  // after '=' for Write, the digits of a basic command; quotes kept
};

/// One argument as written: quoted strings keep their quotes off and say so.
struct RawArg {
    std::string text;
    bool quoted = false;
    bool present = true;  // false for an empty position: `1,,3`
};

/// `line` is a whole command line starting with "AT"/"at". Spaces outside quotes are dropped,
/// names are case-insensitive (DIALECT.md §1). An error names what is wrong, for the log.
Result<std::vector<Invocation>, std::string> split_command_line(std::string_view line);

/// Splits a write command's arguments at commas outside quotes.
Result<std::vector<RawArg>, std::string> split_arguments(std::string_view args);

}  // namespace atcoap::at

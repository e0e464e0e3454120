#pragma once
// Script text to steps (docs/SCRIPTS.md). Everything wrong with a script is found here, before
// a byte is sent: an unknown step, a bad regular expression, a variable nothing defines, an
// unterminated quote, a missing or cyclic include, a file that is not text. Pure: files come
// through a SourceLoader.

#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "script/script.hpp"

namespace atcoap::script {

/// Includes deeper than this are refused (a cycle is refused at once).
inline constexpr int kMaxIncludeDepth = 16;
/// A script (its includes counted) of more steps than this is refused.
inline constexpr std::size_t kMaxSteps = 100'000;
/// A file larger than this is refused (the FileLoader reads no more than one byte past it).
inline constexpr std::size_t kMaxFileBytes = 1024 * 1024;
/// A script whose files (each include counted each time) hold more bytes than this is refused.
inline constexpr std::size_t kMaxTotalBytes = 16 * 1024 * 1024;

struct ParseError {
    SourcePos pos;
    std::string message;  // what was expected, e.g. "expected a duration such as 5s or 250ms"
    /// "FILE:LINE:COLUMN: MESSAGE".
    std::string text() const;
};

/// Reads scripts by name: the disk for the runner, memory for tests and the fuzz target.
class SourceLoader {
  public:
    virtual ~SourceLoader() = default;
    /// The file's bytes, or why it cannot be read.
    virtual Result<std::string, std::string> load(const std::string& path) = 0;
    /// `name` as written in an include of `from`: relative names are taken from `from`'s
    /// directory.
    virtual std::string resolve(const std::string& from, const std::string& name) const;
};

/// Whether a variable exists before the script runs (given on the command line, by the target
/// or in the environment). Variables a script sets or captures are tracked by the parser.
using IsDefined = std::function<bool(std::string_view name)>;

Result<Script, ParseError> parse_script(const std::string& path, SourceLoader& loader,
                                        const IsDefined& defined);

/// A control step in a script for a target without a control side: the first one, as an
/// error at its place ("radio off: this target has no control side (a real module)").
std::optional<ParseError> refuse_control(const Script& script, std::string_view target_name);

}  // namespace atcoap::script

#pragma once
// The command table and its dispatch: each command is one row (name, error style, handlers
// per form, write parameters) and each handler receives typed, validated arguments.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at/command_line.hpp"
#include "at/outcome.hpp"
#include "at/params.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "base/time.hpp"

namespace atcoap::at {

/// docs/DIALECT.md §2: the CoAP commands answer every error with plain ERROR; the others follow
/// AT+CMEE.
enum class ErrorStyle { Cme, Plain };

/// A handler gets its validated arguments and the time the command line ended.
using Handler = std::function<Outcome(const Args&, TimePoint now)>;

/// A handler that prints fixed information lines and succeeds: identity answers and the test
/// forms (`=?`) of most commands.
Handler print_lines(Responder& responder, std::vector<std::string> lines);

struct CommandRow {
    std::string name;  // as split_command_line names it: "+CMEE", "E", "I"
    ErrorStyle errors = ErrorStyle::Cme;
    std::vector<ParamSpec> params{};  // of the write form
    Handler execute{};
    Handler read{};
    Handler test{};
    Handler write{};
};

class Dispatcher {
  public:
    Dispatcher(Responder& responder, Logger& logger) : responder_(responder), logger_(logger) {}

    void add(CommandRow row);

    /// Runs one whole command line. Returns the data phase a command opened, if one did: the
    /// line stops there, and the caller ends it later with finish_phase().
    std::unique_ptr<DataPhase> run_line(std::string_view line, TimePoint now);

    /// Ends the command that opened a data phase with the phase's outcome, then runs the rest
    /// of its line; returns the data phase another command of that line opened, if any.
    std::unique_ptr<DataPhase> finish_phase(const Outcome& outcome, TimePoint now);

  private:
    std::unique_ptr<DataPhase> run_from(std::size_t index, TimePoint now);
    Outcome run_one(const Invocation& command, ErrorStyle& style, TimePoint now);
    void report_error(const Outcome& outcome, ErrorStyle style, std::string_view command);

    Responder& responder_;
    Logger& logger_;
    std::map<std::string, CommandRow, std::less<>> rows_;
    // Kept from line to line so that a line is split and checked without allocating.
    SplitLine line_;
    std::vector<RawArg> raw_args_;
    Args args_;
    std::size_t pending_index_ = 0;
    ErrorStyle pending_style_ = ErrorStyle::Cme;
};

/// The "AT+NAME" form of an invocation, for log lines.
std::string display_name(const Invocation& command);

}  // namespace atcoap::at

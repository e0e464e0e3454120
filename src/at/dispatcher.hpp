#pragma once
// The command table and its dispatch: each command is one row (name, error style, handlers
// per form, write parameters) and each handler receives typed, validated arguments.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at/command_line.hpp"
#include "at/params.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"

namespace atcoap::at {

/// DIALECT.md §2: the CoAP commands answer every error with plain ERROR; the others follow
/// AT+CMEE.
enum class ErrorStyle { Cme, Plain };

/// Standard +CME error codes used by the general commands (3GPP TS 27.007 §9.2).
namespace cme {
inline constexpr int kOperationNotAllowed = 3;
inline constexpr int kOperationNotSupported = 4;
inline constexpr int kIncorrectParameters = 50;
}  // namespace cme

/// What a handler did: finished (OK or an error with its reason for the log), or opened a
/// data phase whose end will write the final result.
struct Outcome {
    enum class Kind { Ok, Error, Pending };
    Kind kind = Kind::Ok;
    int cme_code = 0;  // 0: plain ERROR whatever the style
    std::string cme_text;
    std::string reason;

    static Outcome ok() { return {}; }
    static Outcome pending() { return {Kind::Pending, 0, {}, {}}; }
    static Outcome error(std::string why) { return {Kind::Error, 0, {}, std::move(why)}; }
    static Outcome cme_error(int code, std::string text, std::string why) {
        return {Kind::Error, code, std::move(text), std::move(why)};
    }
    static Outcome incorrect_parameters(std::string why) {
        return cme_error(cme::kIncorrectParameters, "Incorrect parameters", std::move(why));
    }
};

using Handler = std::function<Outcome(const Args&)>;

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

    /// Runs one whole command line. Returns true when a command opened a data phase: the
    /// caller ends the response later with finish_pending().
    bool run_line(std::string_view line);

    /// Ends a data phase's command with its outcome, then runs the rest of its line; returns
    /// true when another command of that line opened a data phase.
    bool finish_pending(const Outcome& outcome);

  private:
    bool run_from(std::size_t index);
    Outcome run_one(const Invocation& command, ErrorStyle& style);
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

#pragma once
// The command table and its dispatch: each command is one row (name, error style, handlers
// per form, write parameters) and each handler receives typed, validated arguments.
//
// The table is one immutable object per process, shared by every modem of a fleet: its handlers
// capture nothing of a modem, and get the modem's parts (the `Context`, a struct of references
// the modem owns) as an argument. A Dispatcher per modem keeps only its line state, the table
// and its context.

#include <algorithm>
#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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

/// What a handler gets besides its arguments: the parts of one modem, by reference. The
/// dispatcher writes its results to `responder` and logs its errors to `logger`.
template <typename Context>
concept CommandContext = requires(Context& context) {
    { context.responder } -> std::convertible_to<Responder&>;
    { context.logger } -> std::convertible_to<Logger&>;
};

/// A handler gets its modem's parts, its validated arguments and the time the command line
/// ended. It lives in a table that threads share: it captures only constants, never state.
template <typename Context>
using Handler = std::function<Outcome(Context&, const Args&, TimePoint)>;

/// A handler that prints fixed information lines and succeeds: the test forms (`=?`) of most
/// commands.
template <CommandContext Context>
Handler<Context> print_lines(std::vector<std::string> lines) {
    return [lines = std::move(lines)](Context& context, const Args&, TimePoint) {
        for (const std::string& line : lines) {
            context.responder.info(line);
        }
        return Outcome::ok();
    };
}

template <typename Context>
struct CommandRow {
    std::string name;  // as split_command_line names it: "+CMEE", "E", "I"
    ErrorStyle errors = ErrorStyle::Cme;
    std::vector<ParamSpec> params{};  // of the write form
    Handler<Context> execute{};
    Handler<Context> read{};
    Handler<Context> test{};
    Handler<Context> write{};
};

/// Throws std::invalid_argument naming the command that two rows share.
[[noreturn]] void throw_duplicate(std::string_view name);

/// The rows, sorted by name (shorter first) and fixed at construction: find() only reads, so that
/// one table serves modems on every thread.
template <typename Context>
class CommandTable {
  public:
    /// Throws std::invalid_argument when two rows share a name (a mistake in the code that
    /// builds the table, which the first modem then meets).
    explicit CommandTable(std::vector<CommandRow<Context>> rows) : rows_(std::move(rows)) {
        std::sort(rows_.begin(), rows_.end(),
                  [](const auto& a, const auto& b) { return before(a.name, b.name); });
        const auto twin =
            std::adjacent_find(rows_.begin(), rows_.end(),
                               [](const auto& a, const auto& b) { return a.name == b.name; });
        if (twin != rows_.end()) {
            throw_duplicate(twin->name);
        }
    }

    /// The row of `name`, or nullptr: a binary search over a few dozen names.
    const CommandRow<Context>* find(std::string_view name) const {
        const auto row = std::lower_bound(
            rows_.begin(), rows_.end(), name,
            [](const CommandRow<Context>& r, std::string_view key) { return before(r.name, key); });
        return row != rows_.end() && row->name == name ? &*row : nullptr;
    }

    std::size_t size() const { return rows_.size(); }

  private:
    /// The rows' order: shorter names first, then bytewise. Any strict order finds a name; this
    /// one settles most comparisons on the length alone (a lookup took 11 ns here against
    /// 17 ns for std::map's order, g++ 12 -O2, the modem's 29 names).
    static bool before(std::string_view a, std::string_view b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    }

    std::vector<CommandRow<Context>> rows_;
};

/// How a command line runs, whatever the table: splitting, the order of commands, data phases
/// and error reporting. Dispatcher<Context> adds the table lookup.
class LineDispatcher {
  public:
    LineDispatcher(const LineDispatcher&) = delete;
    LineDispatcher& operator=(const LineDispatcher&) = delete;

    /// Runs one whole command line. Returns the data phase a command opened, if one did: the
    /// line stops there, and the caller ends it later with finish_phase().
    std::unique_ptr<DataPhase> run_line(std::string_view line, TimePoint now);

    /// Ends the command that opened a data phase with the phase's outcome, then runs the rest
    /// of its line; returns the data phase another command of that line opened, if any.
    std::unique_ptr<DataPhase> finish_phase(const Outcome& outcome, TimePoint now);

  protected:
    LineDispatcher(Responder& responder, Logger& logger) : responder_(responder), logger_(logger) {}
    ~LineDispatcher() = default;

    /// Runs one command of the line, setting `style` to its row's error style.
    virtual Outcome run_one(const Invocation& command, ErrorStyle& style, TimePoint now) = 0;

    /// Splits and validates a write form's arguments against `params`: ok, and args() holds
    /// them, or the parameter error.
    Outcome parse_write(const Invocation& command, const std::vector<ParamSpec>& params);
    const Args& args() const { return args_; }

  private:
    std::unique_ptr<DataPhase> run_from(std::size_t index, TimePoint now);
    void report_error(const Outcome& outcome, ErrorStyle style, std::string_view command);

    Responder& responder_;
    Logger& logger_;
    // Kept from line to line so that a line is split and checked without allocating.
    SplitLine line_;
    std::vector<RawArg> raw_args_;
    Args args_;
    std::size_t pending_index_ = 0;
    ErrorStyle pending_style_ = ErrorStyle::Cme;
};

/// One modem's dispatcher: its line state, the shared table and the modem's parts, which each
/// handler gets. The table and the context outlive it.
template <CommandContext Context>
class Dispatcher final : public LineDispatcher {
  public:
    Dispatcher(const CommandTable<Context>& table, Context& context)
        : LineDispatcher(context.responder, context.logger), table_(&table), context_(&context) {}

  private:
    Outcome run_one(const Invocation& command, ErrorStyle& style, TimePoint now) override {
        const CommandRow<Context>* row = table_->find(command.name);
        if (row == nullptr) {
            return Outcome::error("unknown command");
        }
        style = row->errors;
        const Args none;
        switch (command.form) {
            case Form::Execute:
                return call(row->execute, none, now, "has no execution form");
            case Form::Read:
                return call(row->read, none, now, "has no read form");
            case Form::Test:
                // V.250 §5.3.1: a test command of an existing command answers OK at least.
                return row->test ? row->test(*context_, none, now) : Outcome::ok();
            case Form::Write:
                break;
        }
        if (!row->write) {
            return Outcome::error("has no write form");
        }
        if (Outcome parsed = parse_write(command, row->params); !parsed.is_ok()) {
            return parsed;
        }
        return row->write(*context_, args(), now);
    }

    Outcome call(const Handler<Context>& handler, const Args& arguments, TimePoint now,
                 const char* missing) {
        return handler ? handler(*context_, arguments, now) : Outcome::error(missing);
    }

    const CommandTable<Context>* table_;
    Context* context_;
};

/// The "AT+NAME" form of an invocation, for log lines.
std::string display_name(const Invocation& command);

}  // namespace atcoap::at

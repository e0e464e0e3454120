#include "at/dispatcher.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace atcoap::at {

std::string display_name(const Invocation& command) {
    std::string text = "AT";
    text += command.name;
    switch (command.form) {
        case Form::Execute:
            break;
        case Form::Test:
            text += "=?";
            break;
        case Form::Read:
            text += "?";
            break;
        case Form::Write:
            text += command.name[0] == '+' ? "=" : "";
            text += command.args;
            break;
    }
    return text;
}

void throw_duplicate(std::string_view name) {
    throw std::invalid_argument(fmt::format("two rows of the command table are named {}", name));
}

std::unique_ptr<DataPhase> LineDispatcher::run_line(std::string_view line, TimePoint now) {
    responder_.begin_response();
    if (auto split = split_command_line(line, line_); !split) {
        logger_.log(LogLevel::Warn, fmt::format("ERROR for '{}': {}", line, split.error()));
        line_.commands.clear();
        responder_.error();
        return nullptr;
    }
    return run_from(0, now);
}

std::unique_ptr<DataPhase> LineDispatcher::run_from(std::size_t index, TimePoint now) {
    const std::vector<Invocation>& commands = line_.commands;
    for (std::size_t i = index; i < commands.size(); ++i) {
        ErrorStyle style = ErrorStyle::Plain;
        // Each command of a line opens its own block of information lines.
        responder_.begin_response();
        Outcome outcome = run_one(commands[i], style, now);
        if (outcome.kind() == Outcome::Kind::DataPhase) {
            pending_index_ = i + 1;
            pending_style_ = style;
            return outcome.take_phase();
        }
        if (outcome.kind() == Outcome::Kind::Error) {
            // docs/DIALECT.md §1: the first failing command ends the line with its error.
            report_error(outcome, style, display_name(commands[i]));
            return nullptr;
        }
    }
    responder_.ok();
    return nullptr;
}

std::unique_ptr<DataPhase> LineDispatcher::finish_phase(const Outcome& outcome, TimePoint now) {
    if (outcome.kind() == Outcome::Kind::Error) {
        const std::string name = pending_index_ > 0
                                     ? display_name(line_.commands[pending_index_ - 1])
                                     : std::string("AT");
        report_error(outcome, pending_style_, name);
        return nullptr;
    }
    return run_from(pending_index_, now);
}

Outcome LineDispatcher::parse_write(const Invocation& command,
                                    const std::vector<ParamSpec>& params) {
    if (auto split = split_arguments(command.args, raw_args_); !split) {
        return Outcome::incorrect_parameters(split.error());
    }
    if (auto valid = validate(raw_args_, params, args_); !valid) {
        return Outcome::incorrect_parameters(
            fmt::format("parameter {}: {}", valid.error().index, valid.error().reason));
    }
    return Outcome::ok();
}

void LineDispatcher::report_error(const Outcome& outcome, ErrorStyle style,
                                  std::string_view command) {
    logger_.log(LogLevel::Warn, fmt::format("ERROR for {}: {}", command, outcome.reason()));
    if (style == ErrorStyle::Cme && outcome.cme_code() != 0) {
        responder_.cme_error(outcome.cme_code(), outcome.cme_text());
    } else {
        responder_.error();
    }
}

}  // namespace atcoap::at

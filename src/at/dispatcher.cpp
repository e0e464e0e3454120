#include "at/dispatcher.hpp"

#include <fmt/format.h>

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

Handler print_lines(Responder& responder, std::vector<std::string> lines) {
    return [out = &responder, lines = std::move(lines)](const Args&, TimePoint) {
        for (const std::string& line : lines) {
            out->info(line);
        }
        return Outcome::ok();
    };
}

void Dispatcher::add(CommandRow row) {
    std::string name = row.name;
    rows_.insert_or_assign(std::move(name), std::move(row));
}

std::unique_ptr<DataPhase> Dispatcher::run_line(std::string_view line, TimePoint now) {
    responder_.begin_response();
    if (auto split = split_command_line(line, line_); !split) {
        logger_.log(LogLevel::Warn, fmt::format("ERROR for '{}': {}", line, split.error()));
        line_.commands.clear();
        responder_.error();
        return nullptr;
    }
    return run_from(0, now);
}

std::unique_ptr<DataPhase> Dispatcher::run_from(std::size_t index, TimePoint now) {
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

std::unique_ptr<DataPhase> Dispatcher::finish_phase(const Outcome& outcome, TimePoint now) {
    if (outcome.kind() == Outcome::Kind::Error) {
        const std::string name = pending_index_ > 0
                                     ? display_name(line_.commands[pending_index_ - 1])
                                     : std::string("AT");
        report_error(outcome, pending_style_, name);
        return nullptr;
    }
    return run_from(pending_index_, now);
}

Outcome Dispatcher::run_one(const Invocation& command, ErrorStyle& style, TimePoint now) {
    const auto row = rows_.find(command.name);
    if (row == rows_.end()) {
        return Outcome::error("unknown command");
    }
    style = row->second.errors;
    const CommandRow& spec = row->second;
    const Args none;
    switch (command.form) {
        case Form::Execute:
            return spec.execute ? spec.execute(none, now) : Outcome::error("has no execution form");
        case Form::Read:
            return spec.read ? spec.read(none, now) : Outcome::error("has no read form");
        case Form::Test:
            // V.250 §5.3.1: a test command of an existing command answers OK at least.
            return spec.test ? spec.test(none, now) : Outcome::ok();
        case Form::Write:
            break;
    }
    if (!spec.write) {
        return Outcome::error("has no write form");
    }
    if (auto split = split_arguments(command.args, raw_args_); !split) {
        return Outcome::incorrect_parameters(split.error());
    }
    if (auto valid = validate(raw_args_, spec.params, args_); !valid) {
        return Outcome::incorrect_parameters(
            fmt::format("parameter {}: {}", valid.error().index, valid.error().reason));
    }
    return spec.write(args_, now);
}

void Dispatcher::report_error(const Outcome& outcome, ErrorStyle style, std::string_view command) {
    logger_.log(LogLevel::Warn, fmt::format("ERROR for {}: {}", command, outcome.reason()));
    if (style == ErrorStyle::Cme && outcome.cme_code() != 0) {
        responder_.cme_error(outcome.cme_code(), outcome.cme_text());
    } else {
        responder_.error();
    }
}

}  // namespace atcoap::at

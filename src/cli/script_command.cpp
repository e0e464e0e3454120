#include "cli/script_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

#include "base/host_port.hpp"
#include "script/assignments.hpp"
#include "script/file_loader.hpp"
#include "script/parser.hpp"
#include "script/report.hpp"
#include "script/run.hpp"
#include "server/dtls_core.hpp"
#include "server/dtls_server.hpp"

namespace atcoap::cli {
namespace {

enum class TargetKind { Builtin, Live, Port };

/// What the command line asks for, checked before any script is read.
struct Plan {
    TargetKind kind = TargetKind::Builtin;
    script::PortTarget port;
    script::BuiltinOptions builtin;
    std::map<std::string, std::string, std::less<>> variables;  // --var, then the target's
    std::set<std::string, std::less<>> target_names;            // what the target defines
};

constexpr std::string_view kTargetNames[] = {"HOST", "PORT",   "DTLS_PORT",
                                             "IMEI", "PSK_ID", "PSK_KEY"};

/// --psk or the first key of --psk-file, as identity and the key's hex as written.
Result<std::optional<std::pair<std::string, std::string>>, std::string> read_psk(
    const ScriptCommandLine& line) {
    if (!line.psk.empty() && !line.psk_file.empty()) {
        return fail(std::string("give --psk or --psk-file, not both"));
    }
    std::string text = line.psk;
    if (!line.psk_file.empty()) {
        auto lines = server::read_psk_file(line.psk_file);
        if (!lines) {
            return fail(lines.error());
        }
        if (lines->empty()) {
            return fail("--psk-file " + line.psk_file + ": no key in it");
        }
        text = lines->front();
    } else if (text.empty()) {
        return std::optional<std::pair<std::string, std::string>>{};
    } else if (auto entry = server::parse_psk(text); !entry) {
        return fail("--psk: " + entry.error());
    }
    const std::size_t colon = text.rfind(':');
    return std::optional(std::pair(text.substr(0, colon), text.substr(colon + 1)));
}

Status<std::string> choose_target(const ScriptCommandLine& line, Plan& plan) {
    const bool explicit_target = line.target != "builtin";
    if (static_cast<int>(explicit_target) + static_cast<int>(!line.serial.empty()) +
            static_cast<int>(!line.pty.empty()) >
        1) {
        return fail(std::string("choose one of --target, --serial and --pty"));
    }
    if (line.baud && line.serial.empty()) {
        return fail(std::string("--baud goes with --serial"));
    }
    if (!line.serial.empty() || !line.pty.empty()) {
        plan.kind = TargetKind::Port;
        plan.port.path = line.serial.empty() ? line.pty : line.serial;
        plan.port.baud = line.baud;
        return Done{};
    }
    if (!explicit_target) {
        plan.target_names.insert(std::begin(kTargetNames), std::end(kTargetNames));
        return Done{};
    }
    const auto where = parse_host_port(line.target);
    if (!where) {
        return fail("--target wants builtin or HOST:PORT: " + where.error());
    }
    plan.kind = TargetKind::Live;
    // The live target's variables come from here; the driver adds IMEI (docs/SCRIPTS.md).
    const std::string port = std::to_string(where->port);
    plan.variables.try_emplace("HOST", where->host);
    plan.variables.try_emplace("PORT", port);
    plan.variables.try_emplace("DTLS_PORT", port);
    plan.target_names.insert("IMEI");
    return Done{};
}

Result<Plan, std::string> make_plan(const ScriptCommandLine& line) {
    Plan plan;
    auto given = script::parse_assignments(line.variables, "--var");
    if (!given) {
        return fail(given.error());
    }
    plan.variables = std::move(*given);
    plan.builtin.seed = line.seed;
    if (auto chosen = choose_target(line, plan); !chosen) {
        return fail(chosen.error());
    }
    auto psk = read_psk(line);
    if (!psk) {
        return fail(psk.error());
    }
    if (*psk && plan.kind == TargetKind::Port) {
        return fail(std::string("--psk and --psk-file are for --target and the builtin server"));
    }
    if (*psk) {
        plan.builtin.psk_identity = (*psk)->first;
        plan.builtin.psk_key_hex = (*psk)->second;
        if (plan.kind == TargetKind::Live) {
            plan.variables.try_emplace("PSK_ID", (*psk)->first);
            plan.variables.try_emplace("PSK_KEY", (*psk)->second);
        }
    }
    return plan;
}

std::optional<std::string> environment(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
}

/// Every file parsed (and, for a port, checked for control steps) before anything runs.
std::vector<script::ScriptOutcome> parse_all(const std::vector<std::string>& files,
                                             const Plan& plan,
                                             std::vector<script::Script>& scripts) {
    script::FileLoader loader;
    const script::IsDefined defined = [&plan](std::string_view name) {
        return plan.variables.contains(name) || plan.target_names.contains(name) ||
               environment(name).has_value();
    };
    std::vector<script::ScriptOutcome> errors;
    for (const std::string& file : files) {
        auto parsed = script::parse_script(file, loader, defined);
        std::optional<script::ParseError> error;
        if (!parsed) {
            error = parsed.error();
        } else if (plan.kind == TargetKind::Port) {
            error = script::refuse_control(*parsed, "--serial/--pty");
        }
        if (error) {
            script::ScriptOutcome outcome{file, {}, error};
            outcome.result.verdict = script::Verdict::ScriptError;
            errors.push_back(std::move(outcome));
        } else {
            scripts.push_back(std::move(*parsed));
        }
    }
    return errors;
}

script::RunResult run_one(const script::Script& script, const Plan& plan,
                          const script::OnStep& on_step) {
    script::Variables variables{plan.variables, environment};
    switch (plan.kind) {
        case TargetKind::Builtin:
            return script::run_builtin(script, std::move(variables), plan.builtin, on_step);
        case TargetKind::Live:
            return script::run_live(script, std::move(variables), on_step);
        case TargetKind::Port:
            return script::run_port(script, std::move(variables), plan.port, on_step);
    }
    return {};
}

int exit_code(const std::vector<script::ScriptOutcome>& outcomes) {
    int code = 0;
    for (const script::ScriptOutcome& outcome : outcomes) {
        if (outcome.error || outcome.result.verdict == script::Verdict::ScriptError) {
            return 2;
        }
        if (outcome.result.verdict != script::Verdict::Passed) {
            code = 1;
        }
    }
    return code;
}

/// --tap and --junit: the reports of every outcome; false when the JUnit file failed.
bool write_reports(const ScriptCommandLine& line,
                   const std::vector<script::ScriptOutcome>& outcomes) {
    if (line.tap) {
        std::fputs(script::tap(outcomes).c_str(), stdout);
        std::fflush(stdout);
    }
    if (line.junit.empty()) {
        return true;
    }
    std::ofstream file(line.junit, std::ios::binary | std::ios::trunc);
    file << script::junit_xml(outcomes, "atcoap script");
    file.close();
    if (!file) {
        std::fprintf(stderr, "atcoap: --junit %s: cannot be written\n", line.junit.c_str());
        return false;
    }
    return true;
}

}  // namespace

CLI::App* add_script_command(CLI::App& app, ScriptCommandLine& line) {
    CLI::App* command =
        app.add_subcommand("script",
                           "Run AT scripts against the builtin target, a CoAP server or a port "
                           "(docs/SCRIPTS.md)");
    command->add_option("FILE", line.files, "The scripts, each run on a fresh target")->required();
    command
        ->add_option("--target", line.target,
                     "builtin: the modem and the test server in virtual time; HOST:PORT: the "
                     "modem in real time against that CoAP server")
        ->capture_default_str();
    command
        ->add_option("--psk", line.psk,
                     "The DTLS key: the builtin server's, or what ${PSK_ID} and ${PSK_KEY} give "
                     "a script against --target (KEY in hex)")
        ->type_name("ID:KEY");
    command
        ->add_option("--psk-file", line.psk_file,
                     "--psk from the first key of FILE (the format of atcoap server --psk-file)")
        ->type_name("FILE");
    command->add_option("--serial", line.serial, "Drive the serial device DEV in real time")
        ->type_name("DEV");
    command->add_option("--baud", line.baud, "--serial's line speed")->type_name("N");
    command->add_option("--pty", line.pty, "Drive the pseudo-terminal at PATH in real time")
        ->type_name("PATH");
    command->add_option("-D,--var", line.variables, "A variable for the scripts; repeatable")
        ->type_name("NAME=VALUE");
    command->add_option("--seed", line.seed, "builtin: the seed of the modem, server and link")
        ->capture_default_str();
    command->add_option("--junit", line.junit, "Write JUnit XML to FILE")->type_name("FILE");
    command->add_flag("--tap", line.tap, "TAP on standard output instead of the step lines");
    return command;
}

int run_script_command(const ScriptCommandLine& line) {
    auto plan = make_plan(line);
    if (!plan) {
        std::fprintf(stderr, "atcoap script: %s\n", plan.error().c_str());
        return 2;
    }
    std::vector<script::Script> scripts;
    std::vector<script::ScriptOutcome> outcomes = parse_all(line.files, *plan, scripts);
    if (!outcomes.empty()) {
        for (const script::ScriptOutcome& outcome : outcomes) {
            std::fprintf(stderr, "%s\n", outcome.error->text().c_str());
        }
        write_reports(line, outcomes);
        return 2;  // nothing has run
    }
    script::OnStep on_step;
    if (!line.tap) {
        on_step = [](const script::StepReport& report) {
            std::fputs((script::step_line(report) + "\n").c_str(), stdout);
            std::fflush(stdout);
        };
    }
    for (const script::Script& script : scripts) {
        script::ScriptOutcome outcome{script.file, run_one(script, *plan, on_step), std::nullopt};
        if (!line.tap) {
            std::fputs((script::summary(outcome) + "\n").c_str(), stdout);
            std::fflush(stdout);
        }
        outcomes.push_back(std::move(outcome));
    }
    const bool written = write_reports(line, outcomes);
    return written ? exit_code(outcomes) : std::max(exit_code(outcomes), 2);
}

}  // namespace atcoap::cli

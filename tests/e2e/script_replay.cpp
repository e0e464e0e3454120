#include "script_replay.hpp"

#include <poll.h>

#include <chrono>

#include "script/file_loader.hpp"
#include "script/parser.hpp"
#include "script/runner.hpp"

namespace atcoap::e2e {

std::string run_recording(const std::string& path, ChildProcess& modem,
                          const std::map<std::string, std::string>& vars) {
    script::FileLoader loader;
    const auto parsed = script::parse_script(
        path, loader, [&](std::string_view name) { return vars.contains(std::string(name)); });
    if (!parsed) {
        return parsed.error().text();
    }
    script::Variables variables;
    variables.values.insert(vars.begin(), vars.end());
    script::Runner runner(*parsed, variables, nullptr);
    const auto now = [] {
        return TimePoint(std::chrono::duration_cast<Duration>(
            std::chrono::steady_clock::now().time_since_epoch()));
    };
    runner.start(now());
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (runner.verdict() == script::Verdict::Running && std::chrono::steady_clock::now() < end) {
        const Bytes input = runner.take_input();
        if (!input.empty() && !modem.in().write_all(as_text(input), kAnswerBound)) {
            return "the modem took no more input";
        }
        const auto deadline = runner.next_deadline();
        const auto wait =
            deadline ? std::max<Duration>(*deadline - now(), Duration{0}) : Duration{100};
        pollfd ready{modem.out().fd(), POLLIN, 0};
        ::poll(&ready, 1, static_cast<int>(std::min<Duration>(wait, Duration{100}).count()));
        modem.out().read_ready();
        const std::string output = modem.out().take_all();
        if (!output.empty()) {
            runner.on_output(as_bytes(output), now());
        }
        if (deadline && now() >= *deadline) {
            runner.on_timeout(now());
        }
    }
    for (const script::StepReport& report : runner.take_reports()) {
        if (!report.ok) {
            return report.text + ": " + report.detail;
        }
    }
    return runner.verdict() == script::Verdict::Passed ? "" : "did not pass";
}

}  // namespace atcoap::e2e

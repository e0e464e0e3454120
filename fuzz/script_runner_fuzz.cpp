// Feeds arbitrary bytes, in pieces and at times the first two bytes choose, as the AT port's
// output to the script runner (script/runner.hpp) running a script that captures from it and
// matches captured values again. The runner must stay within its bounds, report steps in order
// of time, hold no deadline once it has a verdict, and reach one when its deadlines pass.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "script/runner.hpp"

namespace {

using namespace atcoap;
using namespace atcoap::script;

Template literal(std::string text) {
    return Template{{TemplatePart{false, std::move(text)}}};
}

Template variable(std::string name) {
    return Template{{TemplatePart{true, std::move(name)}}};
}

Step step(int line, Action action) {
    return Step{SourcePos{"fuzz.at", line, 1}, "step", std::move(action)};
}

Script make_script() {
    const Duration second{1000};
    Script script{"fuzz.at", {}};
    script.steps.push_back(step(1, Send{literal("AT+QCOAPSEND=0,1,2,1,5")}));
    script.steps.push_back(
        step(2, Expect{Expect::Kind::Urc,
                       {literal(R"(\+URC: (?P<A>[^,]*),(?P<B>.*))"), {}, {}, std::nullopt},
                       second}));
    Template prefix = variable("A");
    prefix.parts.push_back(TemplatePart{false, ".*"});
    script.steps.push_back(
        step(3, Expect{Expect::Kind::Next, {prefix, {}, {}, std::nullopt}, second}));
    script.steps.push_back(
        step(4, Expect{Expect::Kind::None, {variable("B"), {}, {}, std::nullopt}, second}));
    Template payload = variable("A");
    payload.parts.push_back(TemplatePart{true, "B"});
    script.steps.push_back(step(5, Write{payload}));
    script.steps.push_back(step(
        6,
        Expect{Expect::Kind::Next, {literal(">|OK|.*x.*"), {}, {}, std::nullopt}, std::nullopt}));
    return script;
}

void check(const Runner& runner) {
    if (runner.failure_context().size() > kContextLines) {
        std::abort();
    }
    if (runner.verdict() != Verdict::Running && runner.next_deadline()) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    static const Script script = make_script();
    const std::size_t piece = 1 + data[0] % 64;
    const std::int64_t step_ms = data[1] % 200;
    std::string_view output(reinterpret_cast<const char*>(data + 2), size - 2);

    Runner runner(script, Variables{}, nullptr);
    TimePoint now = at_ms(0);
    runner.start(now);
    Duration last{};
    std::size_t reports = 0;
    const auto collect = [&] {
        (void)runner.take_input();
        for (const auto& report : runner.take_reports()) {
            if (report.at < last) {
                std::abort();  // reports go in order of time
            }
            last = report.at;
            ++reports;
        }
        if (reports > script.steps.size()) {
            std::abort();
        }
        check(runner);
    };
    while (!output.empty()) {
        const auto bytes = output.substr(0, piece);
        output.remove_prefix(bytes.size());
        now += Duration{step_ms};
        if (const auto deadline = runner.next_deadline(); deadline && *deadline <= now) {
            runner.on_timeout(now);
        }
        runner.on_output(as_bytes(bytes), now);
        collect();
    }
    for (int i = 0; i < 16 && runner.next_deadline(); ++i) {
        runner.on_timeout(*runner.next_deadline());
        collect();
    }
    if (runner.verdict() == Verdict::Running) {
        std::abort();  // every deadline passed: the script must have ended
    }
    return 0;
}

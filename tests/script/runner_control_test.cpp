// The runner's control steps (docs/SCRIPTS.md "Faults", docs/CONTROL.md) against a target that
// records every call: words with variables, a refusal, a usage error, no control side.

#include <gtest/gtest.h>

#include "control/ctl_request.hpp"
#include "control/target.hpp"
#include "runner_harness.hpp"
#include "script/runner.hpp"

namespace atcoap::script {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

class FakeTarget final : public control::Target {
  public:
    Status<std::string> radio(bool on) override { return note(on ? "radio on" : "radio off"); }
    Status<std::string> pdp(int cid, bool active) override {
        return note("pdp " + std::to_string(cid) + (active ? " restore" : " drop"));
    }
    Status<std::string> signal(int rssi, int ber) override {
        return note("signal " + std::to_string(rssi) + " " + std::to_string(ber));
    }
    Status<std::string> urc(std::string_view line) override {
        return note("urc " + std::string(line));
    }
    Status<std::string> reboot() override { return note("reboot"); }
    Status<std::string> latency(Duration fixed, Duration jitter) override {
        return note("latency " + std::to_string(fixed.count()) + " " +
                    std::to_string(jitter.count()));
    }
    Status<std::string> netem(control::NetemDirections, std::optional<int>,
                              std::optional<netem::Spec> spec) override {
        return note(spec ? "netem set" : "netem clear");
    }
    nlohmann::json status() override { return nlohmann::json::object(); }
    void quit() override { calls.emplace_back("quit"); }

    std::vector<std::string> calls;
    std::string refuse;

  private:
    Status<std::string> note(std::string call) {
        calls.push_back(std::move(call));
        if (!refuse.empty()) {
            return fail(refuse);
        }
        return Done{};
    }
};

TEST(RunnerControl, ControlStepsCallTheTargetAndChain) {
    FakeTarget target;
    Variables variables;
    variables.values["CID"] = "1";
    Drive drive{Builder{}
                    .control({"radio", "off"})
                    .control({"pdp", "drop", "${CID}"})
                    .control({"latency", "200ms", "50ms"})
                    .control({"netem", "up", "loss", "30%"})
                    .control({"urc", "+QIND: \"x\""})
                    .send("AT"),
                variables, &target};
    drive.start();
    EXPECT_EQ(target.calls, (Lines{"radio off", "pdp 1 drop", "latency 200 50", "netem set",
                                   "urc +QIND: \"x\""}));
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@0", "3@0", "4@0", "5@0", "6@0"}));
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

TEST(RunnerControl, ARefusalFailsTheStepWithItsReason) {
    FakeTarget target;
    target.refuse = "the radio is already off";
    Drive drive{Builder{}.send("AT").control({"radio", "off"}).send("AT"), {}, &target};
    drive.start(50);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Failed);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@0", "2@0 FAILED: the target refused it: the radio is already off"}));
    EXPECT_EQ(drive.take_sent(), "AT\r\n");
    EXPECT_EQ(drive.runner.failure_context(), (Lines{"> AT"}));
}

TEST(RunnerControl, ABadArgumentFromAVariableIsAScriptError) {
    FakeTarget target;
    Variables variables;
    variables.values["RSSI"] = "strong";
    Drive drive{Builder{}.control({"signal", "${RSSI}", "99"}), variables, &target};
    drive.start();
    const std::vector<std::string> words{"signal", "strong", "99"};
    const auto usage = control::ctl_request(words);
    ASSERT_FALSE(usage);
    EXPECT_EQ(drive.runner.verdict(), Verdict::ScriptError);
    EXPECT_EQ(drive.lines(), (Lines{"1@0 FAILED: script error: " + usage.error()}));
    EXPECT_TRUE(target.calls.empty());
}

TEST(RunnerControl, ArgumentsTheProtocolRefusesFailTheStep) {
    // Well-formed words, a value out of range: the protocol answers with an error, unchanged.
    FakeTarget target;
    Drive drive{Builder{}.control({"signal", "40", "0"}), {}, &target};
    drive.start();
    EXPECT_EQ(drive.runner.verdict(), Verdict::Failed);
    ASSERT_EQ(drive.reports.size(), 1u);
    EXPECT_TRUE(drive.last().detail.starts_with("the target refused it: ")) << drive.last().detail;
    EXPECT_TRUE(target.calls.empty());
}

TEST(RunnerControl, WordsThatAreNotUtf8GoOutWithReplacementCharacters) {
    FakeTarget target;
    Variables variables;
    variables.values["LINE"] = "\xFF\xFE";
    Drive drive{Builder{}.control({"urc", "${LINE}"}), variables, &target};
    drive.start();
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
    EXPECT_EQ(target.calls, (Lines{"urc \xEF\xBF\xBD\xEF\xBF\xBD"}));  // U+FFFD twice
}

TEST(RunnerControl, WithoutAControlSideAControlStepIsAScriptError) {
    Drive drive{Builder{}.control({"reboot"})};
    drive.start();
    EXPECT_EQ(drive.runner.verdict(), Verdict::ScriptError);
    EXPECT_EQ(drive.lines(), (Lines{"1@0 FAILED: script error: this target has no control side"}));
}

}  // namespace
}  // namespace atcoap::script

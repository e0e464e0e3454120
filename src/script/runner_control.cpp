// The runner's control steps (docs/SCRIPTS.md, "Faults"): the words of `atcoap ctl`, as the
// control socket would take them (docs/CONTROL.md), straight to the target's control side.

#include <nlohmann/json.hpp>

#include "control/ctl_request.hpp"
#include "control/protocol.hpp"
#include "script/runner.hpp"

namespace atcoap::script {

Runner::Progress Runner::run_control(const Control& control) {
    if (control_ == nullptr) {
        // The CLI refuses such a script before it runs (refuse_control); a driver that did not
        // still gets an error, not a crash.
        stop(Verdict::ScriptError, "script error: this target has no control side");
        return Progress::Stopped;
    }
    std::vector<std::string> words;
    for (const auto& word : control.words) {
        auto text = resolve(word);
        if (!text) {
            return Progress::Stopped;
        }
        words.push_back(std::move(*text));
    }
    auto request = control::ctl_request(words);
    if (!request) {
        // The parser checks the words as written; this one got bad through a variable.
        stop(Verdict::ScriptError, "script error: " + request.error());
        return Progress::Stopped;
    }
    // A variable may hold bytes that are not UTF-8: replaced, the request still goes out and
    // the target refuses the word it cannot read.
    const std::string line =
        request->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const auto reply = nlohmann::json::parse(control::answer(line, *control_), nullptr, false);
    if (reply.is_object() && reply.contains("error")) {
        const auto& error = reply["error"];
        const std::string desc =
            error.is_object() ? error.value("desc", std::string("refused")) : "refused";
        stop(Verdict::Failed, "the target refused it: " + desc);
        return Progress::Stopped;
    }
    return Progress::Done;
}

}  // namespace atcoap::script

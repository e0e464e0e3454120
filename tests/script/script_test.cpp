#include "script/script.hpp"

#include <gtest/gtest.h>

namespace atcoap::script {
namespace {

Step step_of(Action action) {
    return Step{SourcePos{"t.at", 1, 1}, "", std::move(action)};
}

TEST(ScriptTest, UsesControlOnlyWithAControlStep) {
    Script script;
    script.steps.push_back(step_of(Send{}));
    script.steps.push_back(step_of(Wait{std::chrono::seconds(1)}));
    EXPECT_FALSE(script.uses_control());
    script.steps.push_back(step_of(Control{}));
    EXPECT_TRUE(script.uses_control());
}

}  // namespace
}  // namespace atcoap::script

#include "script/script.hpp"

#include <algorithm>

namespace atcoap::script {

bool Script::uses_control() const {
    return std::any_of(steps.begin(), steps.end(), [](const Step& step) {
        return std::holds_alternative<Control>(step.action);
    });
}

}  // namespace atcoap::script

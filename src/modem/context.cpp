#include "modem/context.hpp"

namespace atcoap::modem {

at::Handler print_lines(ModemContext& ctx, std::vector<std::string> lines) {
    return [&ctx, lines = std::move(lines)](const at::Args&) {
        for (const std::string& line : lines) {
            ctx.responder.info(line);
        }
        return at::Outcome::ok();
    };
}

}  // namespace atcoap::modem

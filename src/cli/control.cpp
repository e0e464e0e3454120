#include "cli/control.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "io/clock.hpp"

namespace atcoap::cli {

namespace {

control::Timestamp wall_clock() {
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since).count();
    return {micros / 1'000'000, micros % 1'000'000};
}

}  // namespace

std::string default_control_path() {
    if (const char* path = std::getenv("ATCOAP_CONTROL"); path != nullptr && *path != '\0') {
        return path;
    }
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR");
        runtime != nullptr && *runtime != '\0') {
        return std::string(runtime) + "/atcoap-control.sock";
    }
    return "/tmp/atcoap-control-" + std::to_string(::getuid()) + ".sock";
}

ControlSocket::ControlSocket(io::Shell& shell, modem::Modem& modem)
    : shell_(shell),
      control_(modem, control::ControlHooks{
                          .now = [] { return io::monotonic_now(); },
                          .wall = wall_clock,
                          .listening = [this] { return server_ && server_->has_clients(); },
                          .event = [this](std::string line) { server_->broadcast(line); },
                          .changed = [this] { shell_.core_changed(); },
                          .quit = [this] { server_->drain_then([this] { shell_.stop(0); }); },
                      }) {}

Result<std::unique_ptr<ControlSocket>, std::string> ControlSocket::start(io::Shell& shell,
                                                                         modem::Modem& modem,
                                                                         const std::string& path,
                                                                         Logger& log) {
    std::unique_ptr<ControlSocket> socket(new ControlSocket(shell, modem));
    if (!socket->control_.watching()) {
        return fail(std::string("--control: the modem has no room for another observer"));
    }
    control::ModemControl& target = socket->control_;
    io::ControlServerOptions options{
        .path = path,
        .greeting = control::greeting(ATCOAP_VERSION),
        .new_session =
            [&target] {
                auto session = std::make_shared<control::Session>(target);
                return [session](std::string_view bytes) { return session->feed(bytes); };
            },
    };
    auto server = io::ControlServer::open(shell.context(), std::move(options), log);
    if (!server) {
        return fail(server.error());
    }
    socket->server_ = std::move(*server);
    return socket;
}

}  // namespace atcoap::cli

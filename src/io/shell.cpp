#include "io/shell.hpp"

#include <csignal>

#include "io/clock.hpp"

namespace atcoap::io {

Shell::Shell(HostCore& core, PortOptions options) : Shell(core, std::move(options), stderr_log_) {}

Shell::Shell(HostCore& core, PortOptions options, Logger& log)
    : core_(core),
      options_(std::move(options)),
      log_(log),
      timer_(context_),
      signals_(context_),
      port_(make_port(context_, options_, log_)),
      network_(context_, *this, log_) {}

Shell::Shell(HostCore& core, const PortFactory& make, Logger& log)
    : core_(core),
      log_(log),
      timer_(context_),
      signals_(context_),
      port_(make(context_, log_)),
      network_(context_, *this, log_) {}

Shell::~Shell() {
    life_.reset();
    port_->close();
}

Status<std::string> Shell::open() {
    if (opened_) {
        return Done{};
    }
    // A host that closes its end of a pipe must give us EPIPE to report, not a silent death.
    std::signal(SIGPIPE, SIG_IGN);
    if (auto opening = port_->open(*this); !opening) {
        return opening;
    }
    opened_ = true;
    if (options_.kind != PortKind::Stdio) {
        // The one line a host script reads to learn where to connect (--pty, --tcp ...:0).
        // Straight to standard error whatever logger the shell was given: scripts wait for it.
        stderr_log_.log(LogLevel::Info, "AT port on " + port_name());
    }
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.add(SIGHUP);
    wait_for_signal();
    // What the core wrote before the port opened (RDY, APP RDY) goes out now, and a core may
    // want time from the start.
    after_core_call();
    return Done{};
}

int Shell::run() {
    if (auto opening = open(); !opening) {
        log_.log(LogLevel::Error, opening.error());
        return 1;
    }
    context_.restart();
    context_.run();
    if (!exit_code_) {
        // Cannot happen while the signal wait is pending; never report success by accident.
        log_.log(LogLevel::Error, "the event loop ran out of work");
        finish(1);
    }
    return *exit_code_;
}

bool Shell::run_until(const std::function<bool()>& done, std::chrono::milliseconds bound) {
    if (auto opening = open(); !opening) {
        log_.log(LogLevel::Error, opening.error());
        return done();
    }
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
        // Zero handlers run: the bound passed or the loop stopped (finished).
        if (context_.run_one_until(deadline) == 0) {
            return done();
        }
    }
    return true;
}

std::string Shell::port_name() const {
    return opened_ ? port_->name() : std::string();
}

void Shell::on_port_bytes(ByteView bytes) {
    if (exit_code_) {
        return;
    }
    core_.on_host_bytes(bytes, monotonic_now());
    after_core_call();
}

void Shell::on_port_end(std::error_code error) {
    if (exit_code_) {
        return;
    }
    if (error) {
        log_.log(LogLevel::Error, "the AT port failed: " + error.message());
        finish(1);
        return;
    }
    log_.log(LogLevel::Debug, "end of host input");
    input_ended_ = true;
    maybe_finish();
}

void Shell::on_port_drained() {
    if (host_stalled_) {
        resume_after_stall();
    }
    if (finishing_) {
        finish(0);
    }
}

void Shell::on_host_attached() {
    if (exit_code_) {
        return;
    }
    core_.on_host_attached(monotonic_now());
    after_core_call();
}

void Shell::on_socket_opened(net::SocketId socket, net::OpenResult result) {
    if (exit_code_) {
        return;
    }
    core_.on_socket_opened(socket, result, monotonic_now());
    after_core_call();
}

void Shell::on_datagram(net::SocketId socket, ByteView datagram) {
    if (exit_code_) {
        return;
    }
    core_.on_datagram(socket, datagram, monotonic_now());
    after_core_call();
}

// The one place the core's outboxes are drained: network requests first, so a request's
// datagram leaves before the host is woken by its OK and the server's work overlaps the host's.
// The order the host sees is unchanged: an answer is read on a later turn of the loop, after
// this OK is queued, and UdpNetwork never calls back from inside handle().
void Shell::after_core_call() {
    for (net::Request& request : core_.take_network_requests()) {
        network_.handle(std::move(request));
    }
    Bytes output = core_.take_host_output();
    if (!output.empty()) {
        write_to_host(std::move(output));
    }
    arm_timer();
    maybe_finish();
}

// Output is written whole, as the core made it, so no URC is ever cut in half; what bounds the
// queue is that nothing more is read while it is over the limit (kHostOutputLimit).
void Shell::write_to_host(Bytes output) {
    port_->write(std::move(output));
    const std::size_t queued = port_->queued_bytes();
    if (host_stalled_ || queued <= kHostOutputLimit) {
        return;
    }
    host_stalled_ = true;
    port_->pause_input();
    network_.pause_receiving();
    log_.log(LogLevel::Warn, "the host is not reading: " + std::to_string(queued) +
                                 " bytes wait for it; host input and datagrams are not read "
                                 "until it has read them");
}

void Shell::resume_after_stall() {
    host_stalled_ = false;
    log_.log(LogLevel::Info, "the host read its output: reading host input and datagrams again");
    port_->resume_input();
    network_.resume_receiving();
}

// Arms the timer lazily: re-arming costs a system call (timerfd_settime), and every CON moves
// the core's deadline a little later. A wait that ends no later than the deadline still stands;
// when it fires early, on_timer re-arms for the deadline of that moment. Only a deadline earlier
// than the armed one re-arms at once.
void Shell::arm_timer() {
    const std::optional<TimePoint> deadline = core_.next_deadline();
    if (!deadline || (armed_ && *armed_ <= *deadline)) {
        return;
    }
    armed_ = deadline;
    ++timer_generation_;
    timer_.expires_at(to_steady(*deadline));
    timer_.async_wait(
        [this, generation = timer_generation_, life = std::weak_ptr(life_)](std::error_code error) {
            if (!life.expired() && !error) {
                on_timer(generation);
            }
        });
}

void Shell::on_timer(unsigned generation) {
    // A completion queued before the deadline moved belongs to a wait nobody wants any more.
    if (generation != timer_generation_ || exit_code_) {
        return;
    }
    armed_.reset();
    // The core hears of time only at its deadline, as if the timer had always followed it.
    const TimePoint now = monotonic_now();
    if (const auto deadline = core_.next_deadline(); deadline && *deadline <= now) {
        core_.on_timeout(now);
        after_core_call();
    } else {
        arm_timer();
    }
}

void Shell::wait_for_signal() {
    signals_.async_wait([this, life = std::weak_ptr(life_)](std::error_code error, int number) {
        if (life.expired() || error) {
            return;
        }
        log_.log(LogLevel::Info, "signal " + std::to_string(number) + ": closing");
        finish(0);
    });
}

// At the end of host input, what is in flight may still finish: keep the timers running while
// the core is busy and has a deadline to wait for (a busy core without one could wait forever).
void Shell::maybe_finish() {
    if (!input_ended_ || finishing_ || exit_code_) {
        return;
    }
    if (core_.busy() && core_.next_deadline()) {
        return;
    }
    finishing_ = true;
    if (port_->drained()) {
        finish(0);
    }
}

void Shell::finish(int code) {
    if (exit_code_) {
        return;
    }
    exit_code_ = code;
    ++timer_generation_;
    timer_.cancel();
    std::error_code ignored;
    signals_.clear(ignored);  // back to the default dispositions
    port_->close();
    core_.on_exit(monotonic_now());
    for (net::Request& request : core_.take_network_requests()) {
        network_.handle(std::move(request));  // a send goes out at once, before the close
    }
    network_.close_all();
    context_.stop();
}

}  // namespace atcoap::io

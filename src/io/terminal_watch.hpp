#pragma once
// Who has a pseudo-terminal's slave open. Linux gives the master no sign of a host opening or
// closing the slave (the port keeps a slave fd of its own, so reads never fail), but inotify
// reports every open and close of the slave's device node, by any process.

#include <array>
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace atcoap::io {

class TerminalWatch {
  public:
    /// `on_first_open`: the count of open descriptors went from 0 to 1 (a host attached);
    /// `on_last_close`: from 1 to 0 (the last host went away).
    TerminalWatch(asio::io_context& context, std::function<void()> on_first_open,
                  std::function<void()> on_last_close);

    /// Starts watching `path`; opens made before this call are not counted.
    Status<std::string> start(const std::string& path);
    void stop();
    /// Takes the events already queued, at once. Call it before handling bytes a host wrote:
    /// the kernel queued that host's open before its write, so the bytes are then seen as
    /// coming from the host the watch last counted, whatever order the loop woke in.
    void poll_now();
    int open_count() const { return opens_; }

  private:
    void read_next();
    void on_events(std::size_t size);

    asio::posix::stream_descriptor notify_;
    std::function<void()> on_first_open_;
    std::function<void()> on_last_close_;
    alignas(8) std::array<char, 4096> buffer_{};
    int opens_ = 0;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace atcoap::io

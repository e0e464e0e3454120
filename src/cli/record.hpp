#pragma once
// `atcoap --record FILE`: the session on the AT port, whatever the port, written as a script
// (docs/SCRIPTS.md, "Recording a session") when atcoap exits.

#include <cstdio>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "io/host_core.hpp"
#include "script/recorder.hpp"

namespace atcoap::cli {

/// The core as the shell drives it, with the recorder listening to the host's bytes and the
/// core's output, at the time of the call that brought them.
class RecordingHost final : public io::HostCore {
  public:
    RecordingHost(io::HostCore& inner, script::Recorder& recorder)
        : inner_(inner), recorder_(recorder) {}

    void on_host_bytes(ByteView bytes, TimePoint now) override;
    void on_timeout(TimePoint now) override;
    std::optional<TimePoint> next_deadline() const override { return inner_.next_deadline(); }
    Bytes take_host_output() override;
    bool busy() const override { return inner_.busy(); }
    void on_host_attached(TimePoint now) override;
    void on_exit(TimePoint now) override;
    std::vector<net::Request> take_network_requests() override {
        return inner_.take_network_requests();
    }
    void on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now) override;
    void on_datagram(net::SocketId socket, ByteView datagram, TimePoint now) override;

  private:
    io::HostCore& inner_;
    script::Recorder& recorder_;
    TimePoint now_{};
};

/// The file the script goes to: created (emptied) at start, so that a path that cannot be
/// written is an error before the modem serves; written at exit.
class RecordFile {
  public:
    static Result<std::unique_ptr<RecordFile>, std::string> create(const std::string& path);
    /// Writes `script`; false (and a line on standard error) when that fails.
    bool write(const std::string& script);

  private:
    RecordFile(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
    struct Closer {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    std::string path_;
    std::unique_ptr<std::FILE, Closer> file_;
};

}  // namespace atcoap::cli

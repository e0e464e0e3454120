#include "cli/record.hpp"

#include <cerrno>
#include <cstring>

namespace atcoap::cli {

void RecordingHost::on_host_bytes(ByteView bytes, TimePoint now) {
    now_ = now;
    recorder_.on_host_bytes(bytes, now);
    inner_.on_host_bytes(bytes, now);
}

void RecordingHost::on_timeout(TimePoint now) {
    now_ = now;
    inner_.on_timeout(now);
}

Bytes RecordingHost::take_host_output() {
    Bytes output = inner_.take_host_output();
    recorder_.on_output(output, now_);
    return output;
}

void RecordingHost::on_host_attached(TimePoint now) {
    now_ = now;
    recorder_.on_host_attached(now);
    inner_.on_host_attached(now);
}

void RecordingHost::on_exit(TimePoint now) {
    now_ = now;
    inner_.on_exit(now);
}

void RecordingHost::on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now) {
    now_ = now;
    inner_.on_socket_opened(socket, result, now);
}

void RecordingHost::on_datagram(net::SocketId socket, ByteView datagram, TimePoint now) {
    now_ = now;
    inner_.on_datagram(socket, datagram, now);
}

Result<std::unique_ptr<RecordFile>, std::string> RecordFile::create(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (file == nullptr) {
        return fail("--record " + path + ": " + std::strerror(errno));
    }
    return std::unique_ptr<RecordFile>(new RecordFile(path, file));
}

bool RecordFile::write(const std::string& script) {
    std::FILE* file = file_.release();
    const bool written = std::fwrite(script.data(), 1, script.size(), file) == script.size();
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) {
        std::fprintf(stderr, "atcoap: --record %s: %s\n", path_.c_str(), std::strerror(errno));
        return false;
    }
    return true;
}

}  // namespace atcoap::cli

#pragma once
// What the plain and the DTLS measurements of the exchange benchmark share: the timed loop with
// its CPU readings, and a fresh file system directory for each atcoap.

#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "exchange_process.hpp"
#include "exchange_runs.hpp"

namespace atcoap::bench {

struct CpuMarks {
    CpuTime client;
    CpuTime host;
};

inline CpuMarks cpu_marks(pid_t client) {
    return CpuMarks{read_cpu(client).value_or(CpuTime{}), read_cpu(::getpid()).value_or(CpuTime{})};
}

/// Untimed warm-up, then `count` timed exchanges. `client` is the process that does the CoAP
/// work; when it is this process, there is no separate host.
template <class Exchange>
Result<Rate, std::string> timed(std::size_t warmup, std::size_t count, pid_t client,
                                Exchange&& exchange) {
    for (std::size_t i = 0; i < warmup; ++i) {
        if (auto done = exchange(); !done) {
            return fail(done.error());
        }
    }
    const CpuMarks before = cpu_marks(client);
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        if (auto done = exchange(); !done) {
            return fail(done.error());
        }
    }
    const std::chrono::duration<double> elapsed = Clock::now() - start;
    const CpuMarks after = cpu_marks(client);
    const double n = static_cast<double>(count);
    const bool own_host = client == ::getpid();
    return Rate{n / elapsed.count(), elapsed.count(),
                (after.client.on_cpu_ns - before.client.on_cpu_ns) / n / 1000,
                own_host ? 0.0 : (after.host.on_cpu_ns - before.host.on_cpu_ns) / n / 1000,
                (after.client.waiting_ns - before.client.waiting_ns) / n / 1000};
}

/// A fresh, empty directory under the system's temporary directory, removed with everything in
/// it when this goes out of scope. path() is empty when it could not be made.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }

    /// Writes `content` to the file `name` in the directory; false when that fails.
    bool write_file(std::string_view name, std::string_view content) const;

  private:
    std::string path_;
};

}  // namespace atcoap::bench

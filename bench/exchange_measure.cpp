#include <cstdio>
#include <fstream>
#include <sstream>

#include "exchange.hpp"

namespace atcoap::bench {

namespace {

/// The number after `key` ("Name:" then a count of kB) in a /proc file.
long proc_value(const std::string& path, std::string_view key) {
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
        if (line.starts_with(key)) {
            return std::stol(line.substr(key.size()));
        }
    }
    throw Failure("no " + std::string(key) + " in " + path);
}

}  // namespace

std::string_view name_of(Transport transport) {
    return transport == Transport::udp ? "udp" : "dtls";
}

CpuTime read_cpu(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/schedstat");
    CpuTime time;
    if (!(file >> time.on_cpu_ns >> time.waiting_ns)) {
        return CpuTime{};
    }
    return time;
}

Json read_memory(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    return Json{{"rss_kib", proc_value(proc + "/status", "VmRSS:")},
                {"hwm_kib", proc_value(proc + "/status", "VmHWM:")},
                {"pss_kib", proc_value(proc + "/smaps_rollup", "Pss:")},
                {"anon_kib", proc_value(proc + "/smaps_rollup", "Anonymous:")}};
}

Json rate_fields(const Rate& rate) {
    return Json{{"per_second", rate.per_second},
                {"seconds", rate.seconds},
                {"cpu_us", rate.cpu_us},
                {"host_cpu_us", rate.host_cpu_us},
                {"wait_us", rate.wait_us}};
}

void print_row(const Json& base, const Json& fields) {
    Json row = base;
    row.update(fields);
    std::printf("%s\n", row.dump().c_str());
    std::fflush(stdout);
}

}  // namespace atcoap::bench

#include "server/dtls_server.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <utility>
#include <vector>

#include "io/clock.hpp"

namespace atcoap::server {

namespace {

// One PSK per line (IDENTITY:HEXKEY); blank lines and lines starting with '#' are skipped.
// Each error names the line, never its content: the file holds secrets.
Result<std::vector<std::string>, std::string> read_psk_file(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (!error && size > kMaxPskFileBytes) {
        return fail("--psk-file " + path + ": larger than " + std::to_string(kMaxPskFileBytes) +
                    " bytes");
    }
    std::ifstream file(path);
    if (!file) {
        return fail("--psk-file " + path + ": cannot be read");
    }
    std::vector<std::string> lines;
    std::string line;
    for (std::size_t number = 1; std::getline(file, line); ++number) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (lines.size() == kMaxPskFileEntries) {
            return fail("--psk-file " + path + ": more than " + std::to_string(kMaxPskFileEntries) +
                        " keys");
        }
        if (auto entry = parse_psk(line); !entry) {
            return fail("--psk-file " + path + " line " + std::to_string(number) + ": " +
                        entry.error());
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

Result<std::vector<PskEntry>, std::string> parse_keys(const std::vector<std::string>& texts) {
    std::vector<PskEntry> keys;
    std::set<std::string> seen;
    for (const std::string& text : texts) {
        auto entry = parse_psk(text);
        if (!entry) {
            return fail("--psk: " + entry.error());
        }
        if (!seen.insert(entry->identity).second) {
            return fail("the identity \"" + entry->identity + "\" has two keys");
        }
        keys.push_back(std::move(*entry));
    }
    return keys;
}

}  // namespace

Result<std::optional<DtlsListenerPlan>, std::string> plan_dtls_listener(
    const ServerOptions& options) {
    if (options.dtls.empty()) {
        if (!options.psks.empty() || !options.hint.empty() || !options.psk_file.empty()) {
            return fail(std::string("--psk, --psk-file and --hint need --dtls HOST:PORT"));
        }
        return std::optional<DtlsListenerPlan>{};
    }
    auto where = parse_host_port(options.dtls);
    if (!where) {
        return fail("--dtls: " + where.error());
    }
    std::vector<std::string> psks = options.psks;
    if (!options.psk_file.empty()) {
        auto from_file = read_psk_file(options.psk_file);
        if (!from_file) {
            return fail(from_file.error());
        }
        psks.insert(psks.end(), from_file->begin(), from_file->end());
    }
    if (psks.empty()) {
        return fail(std::string("--dtls needs at least one --psk IDENTITY:HEXKEY or --psk-file"));
    }
    // RFC 4279 §2 allows longer hints; mbedTLS's server side, as set up in src/dtls, does not.
    if (options.hint.size() > 255) {
        return fail(std::string("--hint must be at most 255 bytes"));
    }
    auto keys = parse_keys(psks);
    if (!keys) {
        return fail(keys.error());
    }
    DtlsOptions dtls;
    dtls.keys = std::move(*keys);
    dtls.hint = options.hint;
    return std::optional<DtlsListenerPlan>{DtlsListenerPlan{std::move(*where), std::move(dtls)}};
}

DtlsServer::DtlsServer(asio::io_context& context, const DtlsOptions& options, Random& random,
                       Logger& log, CoreOptions core, const ServerImpairment& impairment)
    : core_(random, log, core),
      dtls_(options, core_, random, log),
      link_(dtls_),
      impaired_(link_, impairment, log, "DTLS "),
      transport_(context, impaired_, log, "DTLS ") {}

void DtlsServer::close() {
    // close_notify (RFC 5246 §7.2.1) must leave before the socket closes; once it is closed,
    // the sessions were told already.
    if (transport_.is_open()) {
        dtls_.close_all(io::monotonic_now());
        transport_.flush();
    }
    transport_.close();
}

}  // namespace atcoap::server

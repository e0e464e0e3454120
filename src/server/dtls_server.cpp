#include "server/dtls_server.hpp"

#include <set>
#include <utility>
#include <vector>

#include "io/clock.hpp"

namespace atcoap::server {

namespace {

Result<std::vector<PskEntry>, std::string> parse_keys(const std::vector<std::string>& texts) {
    std::vector<PskEntry> keys;
    std::set<std::string> seen;
    for (const std::string& text : texts) {
        auto entry = parse_psk(text);
        if (!entry) {
            return fail(entry.error());
        }
        if (!seen.insert(entry->identity).second) {
            return fail("--psk names the identity \"" + entry->identity + "\" twice");
        }
        keys.push_back(std::move(*entry));
    }
    return keys;
}

}  // namespace

Result<std::optional<DtlsListenerPlan>, std::string> plan_dtls_listener(
    const ServerOptions& options) {
    if (options.dtls.empty()) {
        if (!options.psks.empty() || !options.hint.empty()) {
            return fail(std::string("--psk and --hint need --dtls HOST:PORT"));
        }
        return std::optional<DtlsListenerPlan>{};
    }
    auto where = parse_host_port(options.dtls);
    if (!where) {
        return fail("--dtls: " + where.error());
    }
    if (options.psks.empty()) {
        return fail(std::string("--dtls needs at least one --psk IDENTITY:HEXKEY"));
    }
    // RFC 4279 §2 allows longer hints; mbedTLS's server side, as set up in src/dtls, does not.
    if (options.hint.size() > 255) {
        return fail(std::string("--hint must be at most 255 bytes"));
    }
    auto keys = parse_keys(options.psks);
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

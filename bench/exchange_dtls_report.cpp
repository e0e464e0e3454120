// What bench_exchanges --dtls prints: Markdown tables ready for docs/PERFORMANCE.md, with each
// round, the median and the spread, and the two DTLS goals of the issue checked.

#include <algorithm>
#include <cstdio>
#include <functional>

#include "exchange_report.hpp"
#include "exchange_server.hpp"

namespace atcoap::bench {

namespace {

std::vector<double> collect(const DtlsReport& report,
                            const std::function<double(const DtlsRound&)>& of) {
    std::vector<double> values;
    for (const DtlsRound& round : report.rounds) {
        values.push_back(of(round));
    }
    return values;
}

// Rates in whole numbers, times and ratios with three or four significant digits.
void print_value(double value) {
    if (value >= 1000) {
        std::printf(" %.0f |", value);
    } else {
        std::printf(" %.3g |", value);
    }
}

void print_summary_rows(const std::vector<std::vector<double>>& columns) {
    std::printf("| median |");
    for (const auto& column : columns) {
        print_value(median(column));
    }
    std::printf("\n| min-max |");
    for (const auto& column : columns) {
        const auto [low, high] = std::minmax_element(column.begin(), column.end());
        std::printf(*high >= 1000 ? " %.0f-%.0f |" : " %.3g-%.3g |", *low, *high);
    }
    std::printf("\n");
}

void print_table(const char* header, const std::vector<std::vector<double>>& columns,
                 std::size_t rounds) {
    std::printf("%s\n| --- |", header);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        std::printf(" ---: |");
    }
    std::printf("\n");
    for (std::size_t i = 0; i < rounds; ++i) {
        std::printf("| %zu |", i + 1);
        for (const auto& column : columns) {
            print_value(column[i]);
        }
        std::printf("\n");
    }
    print_summary_rows(columns);
}

std::pair<double, double> spread(const std::vector<double>& values) {
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    return {*low, *high};
}

void print_handshakes(const DtlsReport& report) {
    std::printf(
        "\nHandshakes, milliseconds, %zu per client and round: the median of each round, and "
        "the fastest and slowest of the round:\n\n",
        report.options.handshakes);
    const std::vector<std::vector<double>> columns = {
        collect(report, [](const DtlsRound& r) { return median(r.atcoap.handshake_ms); }),
        collect(report, [](const DtlsRound& r) { return spread(r.atcoap.handshake_ms).first; }),
        collect(report, [](const DtlsRound& r) { return spread(r.atcoap.handshake_ms).second; }),
        collect(report, [](const DtlsRound& r) { return median(r.libcoap.handshake_ms); }),
        collect(report, [](const DtlsRound& r) { return spread(r.libcoap.handshake_ms).first; }),
        collect(report, [](const DtlsRound& r) { return spread(r.libcoap.handshake_ms).second; }),
    };
    print_table(
        "| round | (a) atcoap median | (a) min | (a) max | (b) libcoap median | (b) min | (b) max "
        "|",
        columns, report.rounds.size());
}

void print_rates(const DtlsReport& report) {
    const std::vector<std::vector<double>> columns = {
        collect(report, [](const DtlsRound& r) { return r.atcoap.rate.per_second; }),
        collect(report, [](const DtlsRound& r) { return r.libcoap.rate.per_second; }),
        collect(report,
                [](const DtlsRound& r) {
                    return r.atcoap.rate.per_second / r.libcoap.rate.per_second;
                }),
        collect(report, [](const DtlsRound& r) { return r.atcoap.rate.client_cpu_us; }),
        collect(report, [](const DtlsRound& r) { return r.atcoap.rate.host_cpu_us; }),
        collect(report, [](const DtlsRound& r) { return r.libcoap.rate.client_cpu_us; }),
        collect(report, [](const DtlsRound& r) { return r.atcoap.rate.client_wait_us; }),
        collect(report, [](const DtlsRound& r) { return r.libcoap.rate.client_wait_us; }),
    };
    std::printf(
        "\nExchanges per second over DTLS, and per exchange (schedstat, microseconds) the time "
        "on a CPU and the time runnable but waiting for one:\n\n");
    print_table(
        "| round | (a) atcoap /s | (b) libcoap /s | a/b | atcoap cpu | host of (a) cpu | "
        "libcoap cpu | atcoap waited | libcoap waited |",
        columns, report.rounds.size());
}

void print_memory(const DtlsReport& report) {
    std::vector<MemoryRow> rows{{"idle after start and DTLS configuration", {}},
                                {"six DTLS sessions open, one exchange each", {}},
                                {"after the timed run (one session)", {}}};
    for (const DtlsRound& round : report.rounds) {
        rows[0].per_round.push_back(round.atcoap.idle);
        rows[1].per_round.push_back(round.atcoap.six_sessions);
        rows[2].per_round.push_back(round.atcoap.after_run);
    }
    print_memory_table(rows);
    std::printf("\nbench_libcoap_dtls (libcoap's DTLS client library, one session), VmHWM KiB:");
    for (const DtlsRound& round : report.rounds) {
        std::printf(" %ld", round.libcoap.hwm_kib);
    }
    std::printf("\n");
    if (report.libcoap_client_peak_kib) {
        std::printf(
            "coap-client-openssl observing /%s over DTLS for 1 s: peak resident %ld KiB "
            "(VmHWM)\n",
            kResource, *report.libcoap_client_peak_kib);
    }
}

void print_goals(const DtlsReport& report) {
    const double ratio = median(collect(report, [](const DtlsRound& r) {
        return r.atcoap.rate.per_second / r.libcoap.rate.per_second;
    }));
    long peak_six = 0;
    for (const DtlsRound& round : report.rounds) {
        peak_six = std::max(peak_six, round.atcoap.six_sessions.hwm_kib);
    }
    std::printf("\ngoal, an exchange rate at least libcoap's: median a/b %.3f: %s\n", ratio,
                ratio >= kDtlsRateGoal ? "met" : "MISSED");
    std::printf("goal, six DTLS sessions at %ld KiB resident or less: highest VmHWM %ld KiB: %s\n",
                kDtlsMemoryGoalKib, peak_six, peak_six <= kDtlsMemoryGoalKib ? "met" : "MISSED");
}

}  // namespace

void print_dtls_report(const DtlsReport& report) {
    std::printf(
        "bench_exchanges --dtls: CON GET /%s over DTLS 1.2 (PSK), %zu timed exchanges after %zu "
        "untimed, %zu rounds\n",
        kResource, report.options.count, report.options.warmup, report.rounds.size());
    std::printf("load average before: %s; after: %s\n", report.load_before.c_str(),
                report.load_after.c_str());
    print_handshakes(report);
    print_rates(report);
    print_memory(report);
    print_goals(report);
}

}  // namespace atcoap::bench

#include "exchange_report.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "exchange_server.hpp"

namespace atcoap::bench {

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

namespace {

std::vector<double> collect(const Report& report, const std::function<double(const Round&)>& of) {
    std::vector<double> values;
    for (const Round& round : report.rounds) {
        values.push_back(of(round));
    }
    return values;
}

void print_summary_rows(const std::vector<std::vector<double>>& columns) {
    std::printf("| median |");
    for (const auto& column : columns) {
        std::printf(" %.3g |", median(column));
    }
    std::printf("\n| min-max |");
    for (const auto& column : columns) {
        const auto [low, high] = std::minmax_element(column.begin(), column.end());
        std::printf(" %.3g-%.3g |", *low, *high);
    }
    std::printf("\n");
}

void print_rates(const Report& report) {
    const std::vector<std::vector<double>> columns = {
        collect(report, [](const Round& r) { return r.atcoap.rate.per_second; }),
        collect(report, [](const Round& r) { return r.libcoap.per_second; }),
        collect(report, [](const Round& r) { return r.floor.per_second; }),
        collect(report,
                [](const Round& r) { return r.atcoap.rate.per_second / r.floor.per_second; }),
        collect(report,
                [](const Round& r) { return r.atcoap.rate.per_second / r.libcoap.per_second; }),
    };
    std::printf("| round | (a) atcoap /s | (b) libcoap /s | (c) floor /s | a/c | a/b |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (std::size_t i = 0; i < report.rounds.size(); ++i) {
        std::printf("| %zu | %.0f | %.0f | %.0f | %.3f | %.3f |\n", i + 1, columns[0][i],
                    columns[1][i], columns[2][i], columns[3][i], columns[4][i]);
    }
    print_summary_rows(columns);
}

void print_cpu(const Report& report) {
    const std::vector<std::vector<double>> columns = {
        collect(report, [](const Round& r) { return r.atcoap.rate.client_cpu_us; }),
        collect(report, [](const Round& r) { return r.atcoap.rate.host_cpu_us; }),
        collect(report, [](const Round& r) { return r.libcoap.client_cpu_us; }),
        collect(report, [](const Round& r) { return r.floor.client_cpu_us; }),
        collect(report, [](const Round& r) { return r.floor.host_cpu_us; }),
        collect(report, [](const Round& r) { return r.atcoap.rate.client_wait_us; }),
        collect(report, [](const Round& r) { return r.floor.client_wait_us; }),
    };
    std::printf(
        "\nPer exchange, microseconds (schedstat): time on a CPU, and time runnable but waiting "
        "for one:\n\n| round | atcoap | host of (a) | libcoap loop | relay | host of (c) | "
        "atcoap waited | relay waited |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "|\n");
    for (std::size_t i = 0; i < report.rounds.size(); ++i) {
        std::printf("| %zu |", i + 1);
        for (const auto& column : columns) {
            std::printf(" %.1f |", column[i]);
        }
        std::printf("\n");
    }
    print_summary_rows(columns);
}

void print_memory(const Report& report) {
    std::vector<MemoryRow> rows{{"idle after start", {}},
                                {"six clients open, one exchange each", {}},
                                {"after the timed run (one client)", {}}};
    for (const Round& round : report.rounds) {
        rows[0].per_round.push_back(round.atcoap.idle);
        rows[1].per_round.push_back(round.atcoap.six_clients);
        rows[2].per_round.push_back(round.atcoap.after_run);
    }
    print_memory_table(rows);
    if (report.libcoap_client_peak_kib) {
        std::printf("\ncoap-client-notls observing /%s for 1 s: peak resident %ld KiB (VmHWM)\n",
                    kResource, *report.libcoap_client_peak_kib);
    }
}

void print_goals(const Report& report) {
    const double ratio = median(collect(
        report, [](const Round& r) { return r.atcoap.rate.per_second / r.floor.per_second; }));
    long peak_six = 0;
    for (const Round& round : report.rounds) {
        peak_six = std::max(peak_six, round.atcoap.six_clients.hwm_kib);
    }
    std::printf("\ngoal, atcoap at %.1f of the floor or better: median a/c %.3f: %s\n", kFloorGoal,
                ratio, ratio >= kFloorGoal ? "met" : "MISSED");
    std::printf("goal, six open clients at %ld KiB resident or less: highest VmHWM %ld KiB: %s\n",
                kMemoryGoalKib, peak_six, peak_six <= kMemoryGoalKib ? "met" : "MISSED");
}

}  // namespace

void print_report(const Report& report) {
    std::printf("bench_exchanges: CON GET /%s, %zu timed exchanges after %zu untimed, %zu rounds\n",
                kResource, report.options.count, report.options.warmup, report.rounds.size());
    std::printf("load average before: %s; after: %s\n\n", report.load_before.c_str(),
                report.load_after.c_str());
    print_rates(report);
    print_cpu(report);
    print_memory(report);
    print_goals(report);
}

void print_memory_table(const std::vector<MemoryRow>& rows) {
    const std::size_t rounds = rows.empty() ? 0 : rows.front().per_round.size();
    std::printf("\natcoap memory, KiB, VmRSS / VmHWM / Pss / Anonymous, per round:\n\n| state |");
    for (std::size_t i = 0; i < rounds; ++i) {
        std::printf(" round %zu |", i + 1);
    }
    std::printf("\n| --- |");
    for (std::size_t i = 0; i < rounds; ++i) {
        std::printf(" ---: |");
    }
    std::printf("\n");
    for (const MemoryRow& row : rows) {
        std::printf("| %s |", row.label);
        for (const Memory& memory : row.per_round) {
            std::printf(" %ld / %ld / %ld / %ld |", memory.rss_kib, memory.hwm_kib, memory.pss_kib,
                        memory.anon_kib);
        }
        std::printf("\n");
    }
}

}  // namespace atcoap::bench

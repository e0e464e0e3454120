#pragma once
// What bench_exchanges prints: one Markdown table per figure, ready for docs/PERFORMANCE.md,
// with each round, the median and the spread, and the two goals of the issue checked.

#include <optional>
#include <string>
#include <vector>

#include "exchange_dtls.hpp"
#include "exchange_runs.hpp"

namespace atcoap::bench {

struct Round {
    AtcoapRun atcoap;
    Rate libcoap;
    Rate floor;
};

struct Report {
    RunOptions options;
    std::string load_before;
    std::string load_after;
    std::vector<Round> rounds;
    std::optional<long> libcoap_client_peak_kib;
};

/// The goals: atcoap at 0.9 of the floor's rate or better; the whole modem with six open
/// clients at 4 MiB resident or less.
inline constexpr double kFloorGoal = 0.9;
inline constexpr long kMemoryGoalKib = 4096;

void print_report(const Report& report);

/// The median of `values` (the mean of the middle two when their number is even).
double median(std::vector<double> values);

struct DtlsRound {
    AtcoapDtlsRun atcoap;
    LibcoapDtlsRun libcoap;
};

struct DtlsReport {
    RunOptions options;
    std::string load_before;
    std::string load_after;
    std::vector<DtlsRound> rounds;
    std::optional<long> libcoap_client_peak_kib;
};

/// The DTLS goals: an exchange rate at least libcoap's DTLS client's; the whole modem with six
/// DTLS sessions open at 6.5 MiB resident or less (libcoap's DTLS client with one session
/// peaks there).
inline constexpr double kDtlsRateGoal = 1.0;
inline constexpr long kDtlsMemoryGoalKib = 6656;

void print_dtls_report(const DtlsReport& report);

/// One row of the memory table: a state and atcoap's memory in it, per round.
struct MemoryRow {
    const char* label;
    std::vector<Memory> per_round;
};
void print_memory_table(const std::vector<MemoryRow>& rows);

}  // namespace atcoap::bench

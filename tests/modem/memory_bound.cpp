// The heap a modem holds (docs/TESTING.md, "Memory per modem"): a fleet keeps thousands of them
// resident (ISSUE: 16 KiB or less per UDP modem), so the bytes each part of a booted modem keeps
// on the heap are counted here and the total is pinned, so that it cannot creep back unnoticed.
// A binary of its own: it links the heap counter (tests/support/allocation_counter.hpp), which
// replaces the global operator new and delete to count live bytes.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <vector>

#include "at/dispatcher.hpp"
#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "coap/expected_tokens.hpp"
#include "modem/coap_clients.hpp"
#include "modem/modem.hpp"
#include "modem/modem_commands.hpp"
#include "modem/network_impairment.hpp"
#include "script/file_loader.hpp"
#include "script/parser.hpp"
#include "script/runner.hpp"
#include "support/allocation_counter.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem {
namespace {

constexpr int kCount = 100;

/// Live heap bytes per object that `make` adds, over kCount objects kept alive together
/// (what a fleet keeps), the per-process parts made once by a first object outside the count.
template <typename Make>
double heap_per_object(Make make) {
    auto first = make();
    std::vector<decltype(make())> kept;
    kept.reserve(kCount);
    const long long before = test::live_heap_bytes();
    for (int i = 0; i < kCount; ++i) {
        kept.push_back(make());
    }
    const long long after = test::live_heap_bytes();
    return static_cast<double>(after - before -
                               static_cast<long long>(kCount) *
                                   static_cast<long long>(sizeof(*first))) /
           kCount;
}

ModemOptions fleet_options() {
    ModemOptions options;  // as fleet::Device makes them
    options.identity.imei = "864508030012428";
    options.impairment_seed = 7;
    return options;
}

/// The modem, as a fleet device has it: its storage, randomness and logger beside it.
struct Booted {
    ufs::MemoryStorage storage;
    SeededRandom random{1};
    NullLogger log;
    Modem modem;
    explicit Booted(bool boot) : modem(fleet_options(), storage, random, log) {
        if (boot) {
            modem.start(TimePoint{});
            (void)modem.take_host_output();
        }
    }
};

/// A modem's share of the command table: its dispatcher over the process's table (built once,
/// outside the count), with the parts its handlers refer to.
struct Table {
    NullLogger log;
    SeededRandom random{1};
    ufs::MemoryStorage storage;
    ufs::FileStore files{storage};
    at::Responder responder;
    at::Framer framer;
    RadioState radio;
    Observers observers;
    Identity identity;
    SslContexts ssl{};
    CoapClients coap{random, log, responder, radio, observers};
    ModemParts parts{responder, framer, radio, identity, files, coap, ssl, log};
    at::Dispatcher<ModemParts> dispatcher{modem_command_table(), parts};
};

/// The heap of the command table itself, which one process holds once.
double shared_table_heap() {
    const long long before = test::live_heap_bytes();
    const ModemCommandTable table = make_modem_command_table();
    return static_cast<double>(test::live_heap_bytes() - before);
}

struct Clients {
    NullLogger log;
    SeededRandom random{1};
    at::Responder responder;
    RadioState radio;
    Observers observers;
    CoapClients coap{random, log, responder, radio, observers};
};

struct Impairment {
    NullLogger log;
    NetworkImpairment netem{7, log};
};

/// The runner of one iteration, as fleet::Device::begin() makes it, for the note's example 5.1:
/// the script and the device's variables (which outlive its iterations) are read where they
/// are, not copied.
struct Iteration {
    std::unique_ptr<script::Runner> runner;
    explicit Iteration(const script::Script& script) {
        static const std::map<std::string, std::string, std::less<>> device{{"HOST", "127.0.0.1"},
                                                                            {"PORT", "5683"}};
        script::Variables variables{{}, [](std::string_view name) -> std::optional<std::string> {
                                        const auto it = device.find(name);
                                        return it == device.end() ? std::nullopt
                                                                  : std::optional(it->second);
                                    }};
        runner = std::make_unique<script::Runner>(script, std::move(variables), nullptr,
                                                  script::Keep::Verdict);
        runner->start(TimePoint{});
    }
};

script::Script example_script() {
    script::FileLoader loader;
    auto parsed = script::parse_script(ATCOAP_EXAMPLE_SCRIPT, loader, [](std::string_view name) {
        return name == "HOST" || name == "PORT";
    });
    EXPECT_TRUE(static_cast<bool>(parsed)) << (parsed ? "" : parsed.error().text());
    return parsed ? std::move(*parsed) : script::Script{};
}

struct Parts {
    double modem = 0;
    double booted = 0;
    double table = 0;
    double clients = 0;
    double netem = 0;
    double responder = 0;
    double runner = 0;
};

Parts measure() {
    Parts parts;
    parts.modem = heap_per_object([] { return std::make_unique<Booted>(false); });
    parts.booted = heap_per_object([] { return std::make_unique<Booted>(true); });
    parts.table = heap_per_object([] { return std::make_unique<Table>(); });
    parts.clients = heap_per_object([] { return std::make_unique<Clients>(); });
    parts.netem = heap_per_object([] { return std::make_unique<Impairment>(); });
    parts.responder = heap_per_object([] { return std::make_unique<at::Responder>(); });
    const script::Script script = example_script();
    parts.runner = heap_per_object([&script] { return std::make_unique<Iteration>(script); });
    std::printf(
        "per modem (sizeof, then heap bytes beyond it):\n"
        "  Modem             sizeof %zu, heap constructed %.0f, booted %.0f\n"
        "  command table     heap %.0f once per process; per modem heap %.0f (its parts' "
        "heap included)\n"
        "  CoapClients       sizeof %zu, heap %.0f\n"
        "  NetworkImpairment sizeof %zu, heap %.0f\n"
        "  Responder         sizeof %zu, heap %.0f\n"
        "  Runner (note 5.1) sizeof %zu, heap %.0f\n",
        sizeof(Modem), parts.modem, parts.booted, shared_table_heap(), parts.table,
        sizeof(CoapClients), parts.clients, sizeof(NetworkImpairment), parts.netem,
        sizeof(at::Responder), parts.responder, sizeof(script::Runner), parts.runner);
    return parts;
}

// Measured at 7,160 bytes with g++ 12 and libstdc++: its sizeof and nothing on the heap, since
// the command table is one per process and the CoAP clients make their endpoints at their first
// open (29,028 before both). The bound leaves room for another toolchain's layout, not for a
// kilobyte-sized part.
constexpr double kMaxBootedModemBytes = 8 * 1024;

TEST(ModemMemory, ABootedModemStaysWithinItsBound) {
    const Parts parts = measure();
    const double total = static_cast<double>(sizeof(Modem)) + parts.booted;
    std::printf("  booted modem total %.0f bytes (bound %.0f)\n", total, kMaxBootedModemBytes);
    EXPECT_GT(shared_table_heap(), 0.0);  // the counter counts: the shared table is on the heap
    EXPECT_LT(total, kMaxBootedModemBytes);
}

// Measured at 18.1 bytes per token with 1,024 held (18 bytes an entry, see
// expected_tokens.cpp, and the object itself) and 19.2 past the bound, where the block may hold
// a sixteenth more; a std::map took 56.1 (a node each, 64 with malloc's header). The issue's
// target is 24 bytes, the container included.
constexpr double kMaxBytesPerExpectedToken = 24;

/// The heap bytes per request token an ExpectedTokens holds, the object itself included.
double bytes_per_expected_token(const coap::ExpectedTokens& expected, long long before) {
    return static_cast<double>(test::live_heap_bytes() - before) /
           static_cast<double>(expected.request_count());
}

TEST(ModemMemory, AnExpectedRequestTokenStaysWithinItsBound) {
    constexpr std::size_t kBound = coap::ExpectedTokens::kMaxRequests;
    const long long before = test::live_heap_bytes();
    auto expected = std::make_unique<coap::ExpectedTokens>();
    coap::Message request;
    request.type = coap::Type::Non;
    request.code = coap::codes::kGet;
    // A fast host: a fresh 8-byte token every millisecond, each expected for 247 s; the second
    // half drives past the bound, each new token forgetting the one expiring first.
    for (std::uint32_t i = 0; i < 2 * kBound; ++i) {
        const std::array<std::uint8_t, 8> bytes{0xA5,
                                                0,
                                                0,
                                                0,
                                                static_cast<std::uint8_t>(i >> 24),
                                                static_cast<std::uint8_t>(i >> 16),
                                                static_cast<std::uint8_t>(i >> 8),
                                                static_cast<std::uint8_t>(i)};
        request.token = coap::Token(ByteView(bytes));
        (void)expected->request_sent(request, at_ms(247'000 + i));
        if (i + 1 == kBound) {
            ASSERT_EQ(expected->request_count(), kBound);
            const double held = bytes_per_expected_token(*expected, before);
            std::printf("  expected token: %.1f bytes each with %zu held (bound %.0f)\n", held,
                        kBound, kMaxBytesPerExpectedToken);
            EXPECT_LE(held, kMaxBytesPerExpectedToken);
        }
    }
    ASSERT_EQ(expected->request_count(), kBound);
    const double past = bytes_per_expected_token(*expected, before);
    std::printf("  expected token: %.1f bytes each past the bound\n", past);
    EXPECT_LE(past, kMaxBytesPerExpectedToken);
}

/// Opens client `id` and closes it again, taking what that leaves for the shell and the host.
void open_and_close(CoapClients& clients, at::Responder& responder, int id) {
    clients.open(id, "127.0.0.1", 5683);
    (void)clients.take_requests();
    clients.close(id, TimePoint{});
    (void)clients.take_requests();
    (void)responder.take_output();
}

TEST(ModemMemory, AClientNeverOpenedHoldsNothingOnTheHeap) {
    const long long before = test::live_heap_bytes();
    auto parts = std::make_unique<Clients>();
    CoapClients& clients = parts->coap;
    const auto own_size = static_cast<long long>(sizeof(Clients));
    EXPECT_EQ(test::live_heap_bytes() - before, own_size);
    // Every walk over the clients passes the ones never opened.
    clients.on_data_path_change();
    clients.on_timeout(at_ms(1000));
    EXPECT_FALSE(clients.next_deadline().has_value());
    EXPECT_FALSE(clients.busy());
    clients.say_goodbye(at_ms(1000));
    clients.restart();
    EXPECT_TRUE(clients.take_requests().empty());
    EXPECT_EQ(test::live_heap_bytes() - before, own_size);
    // The first open makes that client's endpoint and tap, and no other's; they stay after
    // the close, so that a reopen allocates nothing.
    open_and_close(clients, parts->responder, 2);
    const long long opened = test::live_heap_bytes();
    EXPECT_GT(opened - before, own_size);
    for (int id = 0; id < kClientCount; ++id) {
        EXPECT_EQ(clients.client(id).endpoint != nullptr, id == 2) << "client " << id;
    }
    open_and_close(clients, parts->responder, 2);
    EXPECT_EQ(test::live_heap_bytes(), opened);
}

TEST(ModemMemory, NetworkImpairmentsCostNothingUntilSet) {
    NullLogger log;
    const long long before = test::live_heap_bytes();
    auto netem = std::make_unique<NetworkImpairment>(7, log);
    EXPECT_EQ(test::live_heap_bytes() - before, static_cast<long long>(sizeof(NetworkImpairment)));
    EXPECT_LT(sizeof(NetworkImpairment), 1024U);  // the 14 stages are not inline
    // A stage set is on the heap from then on.
    ASSERT_TRUE(netem->set(NetemDirection::Up, 2, netem::Spec{}));
    EXPECT_GT(test::live_heap_bytes() - before, static_cast<long long>(sizeof(NetworkImpairment)));
}

/// A fleet iteration's runner half-way through the note's example 5.1: five answers read and the
/// URC of the open, now at `expect \+QCOAPOPEN: 0,"${HOST}",${PORT},3`, whose pattern (it has
/// variables) the runner compiled for this run.
struct HalfWay {
    Iteration iteration;
    explicit HalfWay(const script::Script& script) : iteration(script) {
        for (const char* answer : {"ATE0\r\r\nOK\r\n", "\r\nOK\r\n", "\r\nOK\r\n", "\r\nOK\r\n",
                                   "\r\nOK\r\n", "\r\n+QCOAPOPEN: 0,0\r\n"}) {
            iteration.runner->on_output(as_bytes(answer), TimePoint{});
        }
        (void)iteration.runner->take_input();
    }
};

// A fleet iteration's runner shares the parsed script and reads the device's variables where
// they are, and keeps neither step reports nor traffic (script::Keep::Verdict). Measured with
// g++ 12 and libstdc++ (heap bytes, the runner's own sizeof of 464 included): 512 once
// started, where a runner that copied the script and its variables held 11,350; 4,809
// half-way, most of it the RE2 of the pattern with variables. The bounds leave room for
// another toolchain's layout, not for a copy of the script.
constexpr double kMaxStartedRunnerBytes = 2 * 1024;
constexpr double kMaxHalfWayRunnerBytes = 8 * 1024;

TEST(ModemMemory, AFleetIterationsRunnerStaysWithinItsBound) {
    const script::Script script = example_script();
    const double started =
        heap_per_object([&script] { return std::make_unique<Iteration>(script); });
    const double half_way =
        heap_per_object([&script] { return std::make_unique<HalfWay>(script); });
    std::printf(
        "  fleet iteration's Runner: started %.0f (bound %.0f), half-way %.0f (bound %.0f)\n",
        started, kMaxStartedRunnerBytes, half_way, kMaxHalfWayRunnerBytes);
    EXPECT_EQ(HalfWay(script).iteration.runner->verdict(), script::Verdict::Running);
    EXPECT_GT(started, static_cast<double>(sizeof(script::Runner)));  // the counter counts
    EXPECT_LT(started, kMaxStartedRunnerBytes);
    EXPECT_LT(half_way, kMaxHalfWayRunnerBytes);
}

}  // namespace
}  // namespace atcoap::modem

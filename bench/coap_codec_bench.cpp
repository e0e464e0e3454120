// Micro benchmarks of the CoAP codec (RFC 7252 §3) beside libcoap's parser and PDU builder, on
// the same datagram bytes and the same message values. See docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>
#include <coap3/coap.h>

#include <cstdio>

#include "coap/codec.hpp"
#include "cross_check.hpp"
#include "fixtures.hpp"
#include "libcoap_build.hpp"

namespace atcoap::bench {

namespace {

using MakeFixture = Fixture (*)();

/// One item is one message decoded or encoded; bytes are its datagram size.
void count(benchmark::State& state, const Fixture& fixture) {
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(fixture.wire.size()));
}

// ---- decode ----

void atcoap_decode(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    const ByteView wire = fixture.wire;
    for (auto _ : state) {
        auto message = coap::decode(wire);
        benchmark::DoNotOptimize(message);
        if (!message) {
            state.SkipWithError("atcoap decode failed");
            break;
        }
    }
    count(state, fixture);
}

/// atcoap's receive path: one Message kept by the receiver, decoded into again and again, so
/// its payload buffer is reused (the counterpart of libcoap_parse_reused_pdu below).
void atcoap_decode_into(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    const ByteView wire = fixture.wire;
    coap::Message message;
    for (auto _ : state) {
        auto status = coap::decode_into(wire, message);
        benchmark::DoNotOptimize(message);
        if (!status) {
            state.SkipWithError("atcoap decode_into failed");
            break;
        }
    }
    count(state, fixture);
}

/// libcoap's receive path for a datagram: a new PDU, coap_pdu_parse into it, coap_delete_pdu.
void libcoap_parse(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    for (auto _ : state) {
        coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, kLibcoapPduSize);
        const int ok =
            coap_pdu_parse(COAP_PROTO_UDP, fixture.wire.data(), fixture.wire.size(), pdu);
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(pdu);
        benchmark::ClobberMemory();
        coap_delete_pdu(pdu);
        if (ok == 0) {
            state.SkipWithError("libcoap parse failed");
            break;
        }
    }
    count(state, fixture);
}

/// One PDU made before the loop and parsed into again and again: coap_pdu_parse rewrites every
/// field it reads and grows the buffer only when too small, so the reuse is sound. This is not
/// what libcoap's own receive path does; it shows the parse alone, without two mallocs and frees.
void libcoap_parse_reused_pdu(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, kLibcoapPduSize);
    for (auto _ : state) {
        const int ok =
            coap_pdu_parse(COAP_PROTO_UDP, fixture.wire.data(), fixture.wire.size(), pdu);
        benchmark::DoNotOptimize(ok);
        benchmark::ClobberMemory();
        if (ok == 0) {
            state.SkipWithError("libcoap parse failed");
            break;
        }
    }
    coap_delete_pdu(pdu);
    count(state, fixture);
}

/// The receive path plus reading what atcoap's decode hands out: every option's number and
/// value through the option iterator, and the payload.
void libcoap_parse_and_walk(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    for (auto _ : state) {
        coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, kLibcoapPduSize);
        const int ok =
            coap_pdu_parse(COAP_PROTO_UDP, fixture.wire.data(), fixture.wire.size(), pdu);
        coap_opt_iterator_t it;
        coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
        while (const coap_opt_t* opt = coap_option_next(&it)) {
            benchmark::DoNotOptimize(it.number);
            benchmark::DoNotOptimize(coap_opt_value(opt));
            benchmark::DoNotOptimize(coap_opt_length(opt));
        }
        std::size_t length = 0;
        const uint8_t* data = nullptr;
        benchmark::DoNotOptimize(coap_get_data(pdu, &length, &data));
        benchmark::DoNotOptimize(data);
        coap_delete_pdu(pdu);
        if (ok == 0) {
            state.SkipWithError("libcoap parse failed");
            break;
        }
    }
    count(state, fixture);
}

// ---- encode ----

/// Into one buffer cleared each time: after the first pass its capacity suffices, so this is
/// encoding without allocation.
void atcoap_encode_into(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    Bytes out;
    for (auto _ : state) {
        out.clear();
        auto status = coap::encode_into(fixture.message, out);
        benchmark::DoNotOptimize(status);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
        if (!status) {
            state.SkipWithError("atcoap encode_into failed");
            break;
        }
    }
    count(state, fixture);
}

/// A fresh buffer per message, grown as encode appends.
void atcoap_encode(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    for (auto _ : state) {
        auto bytes = coap::encode(fixture.message);
        benchmark::DoNotOptimize(bytes);
        if (!bytes) {
            state.SkipWithError("atcoap encode failed");
            break;
        }
    }
    count(state, fixture);
}

/// coap_pdu_init, coap_add_token, coap_add_option per option, coap_add_data, coap_delete_pdu.
void libcoap_build(benchmark::State& state, MakeFixture make) {
    const Fixture fixture = make();
    for (auto _ : state) {
        coap_pdu_t* pdu = build_libcoap_pdu(fixture.message);
        benchmark::DoNotOptimize(pdu);
        benchmark::ClobberMemory();
        if (pdu == nullptr) {
            state.SkipWithError("libcoap build failed");
            break;
        }
        coap_delete_pdu(pdu);
    }
    count(state, fixture);
}

}  // namespace

// Registration order is report order: each message's decoders side by side, then its encoders.
BENCHMARK_CAPTURE(atcoap_decode, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(atcoap_decode_into, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(libcoap_parse, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(libcoap_parse_reused_pdu, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(libcoap_parse_and_walk, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(atcoap_decode, B_content, &make_content_response);
BENCHMARK_CAPTURE(atcoap_decode_into, B_content, &make_content_response);
BENCHMARK_CAPTURE(libcoap_parse, B_content, &make_content_response);
BENCHMARK_CAPTURE(libcoap_parse_reused_pdu, B_content, &make_content_response);
BENCHMARK_CAPTURE(libcoap_parse_and_walk, B_content, &make_content_response);
BENCHMARK_CAPTURE(atcoap_encode_into, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(atcoap_encode, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(libcoap_build, A_get, &make_get_with_path_and_query);
BENCHMARK_CAPTURE(atcoap_encode_into, B_content, &make_content_response);
BENCHMARK_CAPTURE(atcoap_encode, B_content, &make_content_response);
BENCHMARK_CAPTURE(libcoap_build, B_content, &make_content_response);

}  // namespace atcoap::bench

namespace ab = atcoap::bench;

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 2;
    }
    coap_startup();
    // Refuse to time anything unless both implementations read and write the fixtures alike.
    bool agree = true;
    for (const ab::MakeFixture make :
         {&ab::make_get_with_path_and_query, &ab::make_content_response}) {
        for (const std::string& problem : ab::cross_check(make())) {
            std::fprintf(stderr, "disagreement: %s\n", problem.c_str());
            agree = false;
        }
    }
    if (agree) {
        benchmark::RunSpecifiedBenchmarks();
    }
    benchmark::Shutdown();
    coap_cleanup();
    return agree ? 0 : 1;
}

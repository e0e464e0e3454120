#include "netem/spec.hpp"

#include <gtest/gtest.h>

namespace atcoap::netem {
namespace {

using namespace std::chrono_literals;

Spec parsed(std::string_view text) {
    auto spec = parse_spec(text);
    EXPECT_TRUE(spec.ok()) << text << ": " << (spec.ok() ? "" : spec.error());
    return spec.ok() ? *spec : Spec{};
}

std::string refusal(std::string_view text) {
    auto spec = parse_spec(text);
    EXPECT_FALSE(spec.ok()) << text;
    return spec.ok() ? "" : spec.error();
}

TEST(NetemSpec, ReadsLossAsAFraction) {
    EXPECT_DOUBLE_EQ(*parsed("loss 30%").loss, 0.3);
    EXPECT_DOUBLE_EQ(*parsed("loss 0.5%").loss, 0.005);
    EXPECT_DOUBLE_EQ(*parsed("loss random 7").loss, 0.07);
}

TEST(NetemSpec, RefusesAPercentageOutOfRangeNamingTheClause) {
    EXPECT_EQ(refusal("loss 120%"), "\"loss 120%\": a percentage is 0 to 100");
    EXPECT_EQ(refusal("duplicate -1%"), "\"duplicate -1%\": a percentage is 0 to 100");
    EXPECT_EQ(refusal("loss"), "\"loss\": expected a percentage such as 5%");
    EXPECT_EQ(refusal("corrupt 5 %"),
              "\"%\": unknown clause; expected loss, delay, "
              "distribution, duplicate, reorder, gap, corrupt, rate, "
              "limit or blackhole")
        << "the % alone is read as the next clause";
}

TEST(NetemSpec, ReadsGilbertElliottWithTcDefaults) {
    const GilbertElliott only_p = *parsed("loss gemodel 5%").gemodel;
    EXPECT_DOUBLE_EQ(only_p.p, 0.05);
    EXPECT_DOUBLE_EQ(only_p.r, 0.95);
    EXPECT_DOUBLE_EQ(only_p.bad_loss, 1.0);
    EXPECT_DOUBLE_EQ(only_p.good_loss, 0.0);
    const GilbertElliott all = *parsed("loss gemodel 1% 10% 70% 0.1%").gemodel;
    EXPECT_EQ(all, (GilbertElliott{0.01, 0.1, 0.7, 0.001}));
    EXPECT_EQ(refusal("loss gemodel 1% 2% 3% 4% 5%"),
              "\"loss gemodel 1% 2% 3% 4% 5%\": gemodel takes at most four numbers: p, r, 1-h "
              "and 1-k");
    EXPECT_EQ(refusal("loss state 1%"),
              "\"loss state\": the 4-state loss model is not supported; use loss gemodel");
}

TEST(NetemSpec, ReadsTimesInTcUnitsToTheNanosecond) {
    EXPECT_EQ(parsed("delay 100ms").delay, 100ms);
    EXPECT_EQ(parsed("delay 1s").delay, 1s);
    EXPECT_EQ(parsed("delay 250us").delay, 250us);
    EXPECT_EQ(parsed("delay 250").delay, 250us) << "a bare number is microseconds, as in tc";
    EXPECT_EQ(parsed("delay 1.5ms").delay, 1500us);
    const Spec jittered = parsed("delay 100ms 20ms distribution normal");
    EXPECT_EQ(jittered.jitter, 20ms);
    EXPECT_EQ(jittered.distribution, Distribution::Normal);
    EXPECT_EQ(refusal("delay 10parsecs"),
              "\"delay 10parsecs\": expected a time such as 100ms (s, ms or us; a bare number is "
              "us)");
    EXPECT_EQ(refusal("delay 2h"),
              "\"delay 2h\": expected a time such as 100ms (s, ms or us; a bare number is us)");
    EXPECT_EQ(refusal("delay 3601s"), "\"delay 3601s\": a time is 0 to 3600s");
    EXPECT_EQ(refusal("delay 10ms 1ms 25%"),
              "\"delay 10ms 1ms 25%\": a correlation is not supported (tc's optional last number)");
    EXPECT_EQ(refusal("delay 10ms distribution normal"),
              "\"distribution\": a distribution needs a delay with jitter");
    EXPECT_EQ(refusal("delay 10ms 1ms distribution pareto"),
              "\"distribution pareto\": expected uniform or normal");
}

TEST(NetemSpec, ReadsRatesInBitsAndTheLimit) {
    EXPECT_EQ(*parsed("rate 64kbit").rate, 64'000u);
    EXPECT_EQ(*parsed("rate 1.5mbit").rate, 1'500'000u);
    EXPECT_EQ(*parsed("rate 300").rate, 300u);
    EXPECT_EQ(parsed("rate 1mbit").limit, kDefaultLimit);
    EXPECT_EQ(parsed("rate 1mbit limit 20").limit, 20u);
    EXPECT_EQ(refusal("rate 64kbps"),
              "\"rate 64kbps\": expected a rate such as 64kbit (bit, kbit, mbit or gbit)");
    EXPECT_EQ(refusal("rate 0bit"), "\"rate 0bit\": a rate is 1bit to 100gbit");
    EXPECT_EQ(refusal("limit 0"), "\"limit 0\": a limit is 1 to 10000");
    EXPECT_EQ(refusal("limit 10001"), "\"limit 10001\": a limit is 1 to 10000");
    EXPECT_EQ(refusal("limit ten"), "\"limit ten\": expected a whole number");
}

TEST(NetemSpec, ReorderFollowsTcRules) {
    const Spec spec = parsed("delay 10ms reorder 25%");
    EXPECT_DOUBLE_EQ(*spec.reorder, 0.25);
    EXPECT_EQ(spec.gap, 1u) << "tc: gap 1 when not given";
    EXPECT_EQ(parsed("delay 10ms reorder 25% gap 5").gap, 5u);
    EXPECT_EQ(refusal("reorder 25%"), "\"reorder\": reordering needs a delay (delay T)");
    EXPECT_EQ(refusal("delay 1ms gap 3"), "\"gap\": a gap needs reorder P%");
}

TEST(NetemSpec, TakesSeveralClausesOnceEach) {
    const Spec spec = parsed("loss 1% delay 50ms 10ms duplicate 2% corrupt 0.1% rate 1mbit");
    EXPECT_DOUBLE_EQ(*spec.loss, 0.01);
    EXPECT_EQ(spec.delay, 50ms);
    EXPECT_DOUBLE_EQ(*spec.duplicate, 0.02);
    EXPECT_DOUBLE_EQ(*spec.corrupt, 0.001);
    EXPECT_EQ(*spec.rate, 1'000'000u);
    EXPECT_EQ(refusal("loss 1% loss 2%"), "\"loss\": given twice; each clause at most once");
    EXPECT_EQ(refusal("loss 1% loss gemodel 2%"),
              "\"loss\": given twice; each clause at most once");
}

TEST(NetemSpec, BlackholeStandsAlone) {
    EXPECT_TRUE(parsed("blackhole").blackhole);
    EXPECT_EQ(refusal("blackhole loss 5%"),
              "\"blackhole\": blackhole drops everything; give it alone");
}

TEST(NetemSpec, RefusesEmptyAndUnknownSpecs) {
    EXPECT_EQ(refusal("  "),
              "\"\": an empty spec; expected loss, delay, distribution, duplicate, "
              "reorder, gap, corrupt, rate, limit or blackhole");
    EXPECT_EQ(refusal("seed 5"),
              "\"seed\": unknown clause; expected loss, delay, distribution, "
              "duplicate, reorder, gap, corrupt, rate, limit or blackhole");
}

TEST(NetemSpec, PrintsWhatReadsBackTheSame) {
    for (const char* text :
         {"loss 30%", "loss gemodel 1% 10% 70% 0.1%",
          "delay 100ms 20ms distribution normal reorder 25% gap 3",
          "duplicate 5% corrupt 1% rate 64kbit limit 20", "blackhole", "delay 250us"}) {
        const Spec spec = parsed(text);
        EXPECT_EQ(parsed(to_string(spec)), spec) << text << " -> " << to_string(spec);
    }
    EXPECT_EQ(to_string(parsed("loss 30% delay 100ms")), "loss 30% delay 100ms");
    EXPECT_EQ(to_string(Spec{}), "none");
}

}  // namespace
}  // namespace atcoap::netem

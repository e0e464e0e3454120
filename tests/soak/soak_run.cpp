// The soak's main loop (soak.hpp): one host action at a time, at random moments of virtual
// time, the output of each interval read and checked before the next action.

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "soak_driver.hpp"

namespace atcoap::soak {
namespace {

constexpr Duration kMaxPause{6'000};    // between two host actions
constexpr Duration kQuietEnd{300'000};  // at the end, for every exchange to end

Duration hours_to_duration(double hours) {
    return Duration{static_cast<Duration::rep>(hours * 3'600'000.0)};
}

}  // namespace

double warm_up_hours(double hours) {
    return hours >= 3 ? 1.0 : hours / 3;
}

void Soak::act_on_open(int client) {
    const auto roll = draw(0, 99);
    if (roll < 25) {
        send(client, 0, 1, 0, Answers::One, {});  // CON GET /
    } else if (roll < 35) {
        send(client, 1, 1, 0, Answers::AtMostOne, {});  // NON GET /
    } else if (roll < 43) {
        std::string payload(draw(1, 64), 'x');
        for (char& byte : payload) {
            byte = static_cast<char>('a' + draw(0, 25));
        }
        send(client, 0, 2, 0b10000, Answers::One, payload);  // CON POST /echo
    } else if (roll < 49) {
        send(client, 0, 1, 0b1000, Answers::AtMostOne, {});  // CON GET /separate
    } else if (roll < 57) {
        observe(client);
    } else if (roll < 61) {
        cancel(client);
    } else if (roll < 64) {
        model_.closing(client, sim_.now());
        command(fmt::format("AT+QCOAPCLOSE={}", client), {"OK"});
    } else if (roll < 72) {
        command("AT", {"OK"});
        ++result_.tally.at_pings;
    } else if (roll < 75) {
        radio();
    } else if (roll < 78) {
        pdp();
    } else if (roll < 88) {
        upload();
    } else if (roll < 95) {
        remove();
    } else {
        list();
    }
}

void Soak::act() {
    ++result_.tally.actions;
    // Outages are short: a down data path comes back soon.
    if (!model_.path_up() && draw(0, 2) == 0) {
        if (!sim_.modem().radio().network_radio()) {
            radio();
        } else {
            pdp();
        }
        return;
    }
    const int client = static_cast<int>(draw(0, kClients - 1));
    if (model_.open(client)) {
        act_on_open(client);
    } else if (draw(0, 9) == 0) {
        command("AT", {"OK"});
        ++result_.tally.at_pings;
    } else {
        open(client);
    }
}

void Soak::sample() {
    const double hour = static_cast<double>(sim_.now().time_since_epoch().count()) / 3.6e6;
    result_.samples.push_back(HeapSample{hour, heap_counts()});
    if (options_.verbose) {
        const auto& heap = result_.samples.back().heap;
        std::cout << fmt::format("hour {:6.2f}: {} live blocks, {} live bytes, {} actions\n", hour,
                                 heap.live_blocks, heap.live_bytes, result_.tally.actions)
                  << std::flush;
    }
}

SoakResult Soak::run() {
    const auto wall_start = std::chrono::steady_clock::now();
    sim_.modem();  // the simulation started the modem at 0
    start();
    const TimePoint end = at_ms(0) + hours_to_duration(options_.hours);
    const Duration interval = hours_to_duration(warm_up_hours(options_.hours) / 2);
    TimePoint next_sample = at_ms(0) + hours_to_duration(warm_up_hours(options_.hours));
    while (!failed()) {
        const TimePoint next = sim_.now() + Duration{draw(1, kMaxPause.count())};
        if (next_sample <= next) {
            sim_.advance_to(next_sample);
            read_urcs();
            model_.check(sim_.now());
            sample();
            next_sample += interval;
        }
        if (next > end) {
            break;
        }
        sim_.advance_to(next);
        read_urcs();
        model_.check(sim_.now());
        if (!failed()) {
            act();
        }
    }
    if (!failed()) {
        sim_.advance(kQuietEnd);
        read_urcs();
        model_.finish(sim_.now());
    }
    result_.failure = model_.failure();
    if (!result_.failure.empty()) {
        result_.failure = fmt::format(
            "seed {}, at {:.3f} s of virtual time: {}", options_.seed,
            static_cast<double>(sim_.now().time_since_epoch().count()) / 1000.0, result_.failure);
    }
    result_.tally.datagrams = sim_.link().stats(sim::Direction::Forward).sent +
                              sim_.link().stats(sim::Direction::Backward).sent;
    result_.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    return result_;
}

SoakResult run_soak(const SoakOptions& options) {
    Soak soak(options);
    return soak.run();
}

}  // namespace atcoap::soak

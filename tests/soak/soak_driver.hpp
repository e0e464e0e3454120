#pragma once
// The soak's host (soak.hpp): the simulation, the seeded generator of its actions, and the
// model every output byte is checked against. soak_actions.cpp has the actions, soak_run.cpp
// the main loop.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "sim/simulation.hpp"
#include "soak.hpp"
#include "soak_model.hpp"

namespace atcoap::soak {

using Lines = std::vector<std::string>;

sim::SimulationOptions simulation_options(std::uint64_t seed);

class Soak {
  public:
    explicit Soak(const SoakOptions& options)
        : options_(options),
          sim_(simulation_options(options.seed)),
          random_(options.seed * 7919 + 17),
          model_(result_.tally) {}

    SoakResult run();

  private:
    bool failed() const { return !model_.failure().empty(); }
    std::uint32_t draw(std::uint32_t low, std::uint32_t high) { return random_.uniform(low, high); }
    void read(std::string_view text, Lines* responses, bool* prompt);
    void read_urcs() { read(sim_.take_output(), nullptr, nullptr); }
    /// Types `line`; its output must hold exactly `expected` besides URCs.
    void command(const std::string& line, const Lines& expected, bool prompt = false);
    void type_data(const std::string& bytes, const Lines& expected);
    void start();
    void act();
    void act_on_open(int client);
    void open(int client);
    void send(int client, int type, int code, int mask, Answers answers, std::string payload);
    void observe(int client);
    void cancel(int client);
    void radio();
    void pdp();
    void upload();
    void remove();
    void list();
    void sample();

    SoakOptions options_;
    SoakResult result_;
    sim::Simulation sim_;
    SeededRandom random_;
    HostModel model_;
    std::array<int, kClients> message_ids_{};
    std::uint32_t tokens_ = 0;
    std::uint32_t file_names_ = 0;
    std::map<std::string, std::size_t> files_;
};

}  // namespace atcoap::soak

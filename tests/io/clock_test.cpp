// The system side shared by the shell and the test server: the OS seed and the stderr logger
// (monotonic_now, to_steady and OsRandom are checked in port_test.cpp).

#include "io/clock.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <set>
#include <string>

#include "io/stderr_logger.hpp"

namespace atcoap::io {
namespace {

/// A pipe whose read end never blocks, to read back what a logger wrote.
class Pipe {
  public:
    Pipe() {
        EXPECT_EQ(::pipe(fds_.data()), 0);
        EXPECT_EQ(::fcntl(fds_[0], F_SETFL, O_NONBLOCK), 0);
    }
    ~Pipe() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    int write_end() const { return fds_[1]; }
    std::string drain() {
        std::string text;
        char buffer[256];
        ssize_t got = 0;
        while ((got = ::read(fds_[0], buffer, sizeof buffer)) > 0) {
            text.append(buffer, static_cast<std::size_t>(got));
        }
        return text;
    }

  private:
    std::array<int, 2> fds_{-1, -1};
};

TEST(RandomSeed, DiffersFromCallToCall) {
    std::set<std::uint64_t> seeds;
    for (int i = 0; i < 8; ++i) {
        seeds.insert(random_seed());
    }
    // Eight equal 64-bit draws from the kernel would mean the seed is not drawn at all.
    EXPECT_GT(seeds.size(), 1u);
}

TEST(StderrLogger, WritesThePrefixAndTheLineWithOneNewlineOffATerminal) {
    Pipe pipe;
    StderrLogger log("atcoap server: ", LogLevel::Debug, pipe.write_end());
    log.log(LogLevel::Info, "listening on 127.0.0.1:5683");
    log.log(LogLevel::Error, "cannot listen");
    EXPECT_EQ(pipe.drain(),
              "atcoap server: listening on 127.0.0.1:5683\natcoap server: cannot listen\n");
}

TEST(StderrLogger, DropsLinesBelowItsLeastLevelAndSaysSoThroughEnabled) {
    Pipe pipe;
    StderrLogger log("atcoap server: ", LogLevel::Info, pipe.write_end());
    log.log(LogLevel::Debug, "duplicate GET / from 127.0.0.1:40000");
    log.log(LogLevel::Warn, "kept");
    EXPECT_EQ(pipe.drain(), "atcoap server: kept\n");
    EXPECT_FALSE(log.enabled(LogLevel::Debug));
    EXPECT_TRUE(log.enabled(LogLevel::Info));
    EXPECT_TRUE(log.enabled(LogLevel::Error));
}

TEST(StderrLogger, ByDefaultKeepsEveryLevel) {
    Pipe pipe;
    StderrLogger log("atcoap: ", LogLevel::Debug, pipe.write_end());
    log.log(LogLevel::Debug, "a");
    EXPECT_TRUE(log.enabled(LogLevel::Debug));
    EXPECT_EQ(pipe.drain(), "atcoap: a\n");
}

}  // namespace
}  // namespace atcoap::io

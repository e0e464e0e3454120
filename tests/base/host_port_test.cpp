#include "base/host_port.hpp"

#include <gtest/gtest.h>

namespace atcoap {
namespace {

TEST(ParseHostPort, ReadsAHostAndAPort) {
    EXPECT_EQ(parse_host_port("127.0.0.1:5683").value(), (HostPort{"127.0.0.1", 5683}));
    EXPECT_EQ(parse_host_port("localhost:65535").value(), (HostPort{"localhost", 65535}));
    EXPECT_EQ(parse_host_port("0.0.0.0:0").value(), (HostPort{"0.0.0.0", 0}));
}

TEST(ParseHostPort, TakesAnIpv6HostInBrackets) {
    EXPECT_EQ(parse_host_port("[::1]:7").value(), (HostPort{"::1", 7}));
    EXPECT_EQ(parse_host_port("[::1]:7", "127.0.0.1").value(), (HostPort{"::1", 7}));
}

TEST(ParseHostPort, WithADefaultHostTheHostMayBeLeftOut) {
    EXPECT_EQ(parse_host_port("5683", "127.0.0.1").value(), (HostPort{"127.0.0.1", 5683}));
    EXPECT_EQ(parse_host_port(":0", "127.0.0.1").value(), (HostPort{"127.0.0.1", 0}));
    EXPECT_EQ(parse_host_port("example.org:1", "127.0.0.1").value(), (HostPort{"example.org", 1}));
}

TEST(ParseHostPort, WithoutADefaultHostTheHostIsRequired) {
    const auto bare = parse_host_port("5683");
    ASSERT_FALSE(bare.ok());
    EXPECT_EQ(bare.error(), "expected HOST:PORT, got \"5683\"");
    EXPECT_FALSE(parse_host_port(":5683").ok());
}

TEST(ParseHostPort, RefusesAPortThatIsNotANumberUpTo65535) {
    for (const char* text :
         {"host:", "host:65536", "host:80x", "host:-1", "host:+1", "host: 1", ""}) {
        EXPECT_FALSE(parse_host_port(text, "127.0.0.1").ok()) << text;
    }
    EXPECT_EQ(parse_host_port("h:65536").error(),
              "invalid port in \"h:65536\": a number from 0 to 65535 is expected");
}

TEST(ParseHostPort, RefusesUnbalancedBrackets) {
    for (const char* text : {"[::1:5683", "::1]:5683", "[]:5683", "[:5683"}) {
        const auto parsed = parse_host_port(text);
        ASSERT_FALSE(parsed.ok()) << text;
        EXPECT_NE(parsed.error().find("unbalanced brackets"), std::string::npos) << text;
    }
}

TEST(IsLoopbackHost, KnowsTheLoopbackAddressesAndNamesNothingElse) {
    for (const char* loopback :
         {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "localhost", "LocalHost"}) {
        EXPECT_TRUE(is_loopback_host(loopback)) << loopback;
    }
    for (const char* other : {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1",
                              "example.com", "localhost.example.com", "", "127.0.0.1 "}) {
        EXPECT_FALSE(is_loopback_host(other)) << other;
    }
}

}  // namespace
}  // namespace atcoap

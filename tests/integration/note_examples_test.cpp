// The note's §5.1 and §5.2, command for command (echo off first, so that the output does not
// depend on echo), against the test server's cores in virtual time: the whole host output is
// checked byte for byte, and the server's side of it through its public state.

#include <gtest/gtest.h>

#include <string>

#include "base/hex.hpp"
#include "coap/codec.hpp"
#include "host_output.hpp"
#include "sim/simulation.hpp"
#include "support/capturing_logger.hpp"

namespace atcoap::integration {
namespace {

using sim::Record;
using sim::Simulation;
using sim::SimulationOptions;

constexpr Duration kBound{60'000};

/// The token of the last CoAP request client 0 sent in plain UDP.
std::string last_token(const Simulation& sim) {
    for (auto it = sim.records().rbegin(); it != sim.records().rend(); ++it) {
        if (it->kind == Record::Kind::ModemSent) {
            const auto message = coap::decode(it->bytes);
            return message ? to_hex_upper(message->token.view()) : std::string("malformed");
        }
    }
    return "none";
}

/// The note's commands from the header to the NON POST of "Hello, CoAP Message!".
void send_note_request(Simulation& sim) {
    sim.command("AT+QCOAPHEADER=0,1234,1");
    sim.command("AT+QCOAPOPTION=0,0,0,11,\"19\"");
    sim.command("AT+QCOAPOPTION=0,0,1,12,40");
    sim.command("AT+QCOAPSEND=0,1,2,1,20");
    sim.type("Hello, CoAP Message!");
}

const std::string kRequestOutput = framed("OK") + framed("OK") + framed("OK") + "\r\n> " +
                                   framed("OK") + framed("+QCOAPACK: 0,1,1234,0");

TEST(NoteExample, Section5_1RunsAgainstTheServerCore) {
    SimulationOptions options;
    options.server_port = 8028;
    options.to_server.delay = Duration{40};
    options.to_modem.delay = Duration{40};
    test::CapturingLogger server_log(LogLevel::Info);
    options.server_log = &server_log;
    Simulation sim(options);
    sim.command("ATE0");
    sim.command("AT+QCOAPCFG=\"pdpcid\",0,1");
    sim.command("AT+QCOAPCFG=\"trans\",0,4,5");
    sim.command("AT+QCOAPOPEN=0,\"220.180.239.212\",8028");
    sim.command("AT+QCOAPOPEN?");
    send_note_request(sim);
    ASSERT_TRUE(sim.run_until_output("Not Found\r\n", kBound)) << printable(sim.output());
    sim.command("AT+QCOAPCLOSE=0");
    sim.advance(Duration{10'000});

    const std::string token = last_token(sim);
    EXPECT_EQ(token.size(), 12u);  // mode 1: a fresh 6-byte token, as in the note
    EXPECT_EQ(sim.output(),
              "\r\nRDY\r\n\r\nAPP RDY\r\n"
              "ATE0\r\r\nOK\r\n" +
                  framed("OK") + framed("OK") + framed("OK") + framed("+QCOAPOPEN: 0,0") +
                  framed("+QCOAPOPEN: 0,\"220.180.239.212\",8028,3") + framed("OK") +
                  kRequestOutput + recv_block(0, 1234, "4.04", token, "Not Found", std::nullopt) +
                  framed("OK") + framed("+QCOAPCLOSE: 0,0"));
    EXPECT_TRUE(server_log.contains("POST /19 from 10.0.0.2:40000 -> 4.04"));
}

TEST(NoteExample, Section5_2RunsOverDtlsWithThePskFileUploaded) {
    SimulationOptions options;
    options.to_server.delay = Duration{40};
    options.to_modem.delay = Duration{40};
    test::CapturingLogger server_log(LogLevel::Info);
    options.server_log = &server_log;
    options.dtls = server::DtlsOptions{};
    options.dtls->keys.push_back(server::PskEntry{"864508030012428", to_bytes("12344FG89")});
    Simulation sim(options);
    sim.command("ATE0");
    sim.command("AT+QCOAPCFG=\"pdpcid\",0,1");
    sim.command("AT+QCOAPCFG=\"trans\",0,4,5");
    sim.command("AT+QCOAPCFG=\"dtls\",0,1,0");
    sim.command("AT+QSSLCFG=\"dtls\",0,1");
    sim.command("AT+QSSLCFG=\"dtlsversion\",0,1");
    // The note announces 39 bytes and sends 34: the upload ends at its 5 s timeout.
    sim.command("AT+QFUPL=\"UFS:0_server.psk\",39");
    sim.type("864508030012428&313233343446473839");
    ASSERT_TRUE(sim.run_until_output("+QFUPL:", Duration{6000})) << printable(sim.output());
    sim.command("AT+QCOAPOPEN=0,\"leshan.eclipseprojects.io\",5684");
    ASSERT_TRUE(sim.run_until_output("+QCOAPOPEN:", kBound)) << printable(sim.output());
    ASSERT_EQ(sim.dtls()->session_count(), 1u);
    send_note_request(sim);
    ASSERT_TRUE(sim.run_until_output("Not Found\r\n", kBound)) << printable(sim.output());
    sim.command("AT+QCOAPCLOSE=0");
    sim.advance(Duration{10'000});

    // The token is random and the records are encrypted: take it from the report, whose every
    // other byte is checked.
    const std::string line = sim.output().substr(sim.output().find("+QCOAPRECV: "));
    const std::string token = line.substr(line.find("4.04,6,") + 7, 12);
    EXPECT_EQ(token.find_first_not_of("0123456789ABCDEF"), std::string::npos) << token;
    EXPECT_EQ(sim.output(),
              "\r\nRDY\r\n\r\nAPP RDY\r\n"
              "ATE0\r\r\nOK\r\n" +
                  framed("OK") + framed("OK") + framed("OK") + framed("OK") + framed("OK") +
                  framed("CONNECT") + framed("+QFUPL: 34,322e") + framed("OK") + framed("OK") +
                  framed("+QCOAPOPEN: 0,0") + kRequestOutput +
                  recv_block(0, 1234, "4.04", token, "Not Found", std::nullopt) + framed("OK") +
                  framed("+QCOAPCLOSE: 0,0"));
    // The modem ended the session with close_notify: the server holds none.
    EXPECT_EQ(sim.dtls()->session_count(), 0u);
    EXPECT_TRUE(server_log.contains("POST /19 from 10.0.0.2:40000 -> 4.04"));
}

TEST(NoteExample, Section5_2WithAWrongKeyFailsTheOpenAndPrintsNothingElse) {
    SimulationOptions options;
    options.dtls = server::DtlsOptions{};
    options.dtls->keys.push_back(server::PskEntry{"864508030012428", to_bytes("wrong key")});
    Simulation sim(options);
    sim.command("ATE0");
    sim.command("AT+QCOAPCFG=\"dtls\",0,1,0");
    sim.command("AT+QSSLCFG=\"dtls\",0,1");
    sim.command("AT+QFUPL=\"UFS:0_server.psk\",34");
    sim.type("864508030012428&313233343446473839");
    sim.take_output();
    sim.command("AT+QCOAPOPEN=0,\"leshan.eclipseprojects.io\",5684");
    ASSERT_TRUE(sim.run_until_output("+QCOAPOPEN:", kBound)) << printable(sim.output());
    sim.advance(Duration{60'000});
    EXPECT_EQ(sim.take_output(), framed("OK") + framed("+QCOAPOPEN: 0,-9"));
}

}  // namespace
}  // namespace atcoap::integration

#include "at/responder.hpp"

#include <gtest/gtest.h>

namespace atcoap::at {
namespace {

std::string drain(Responder& r) {
    const Bytes out = r.take_output();
    return std::string(out.begin(), out.end());
}

TEST(Responder, FramesInformationLinesThenTheFinalResult) {
    Responder r;
    r.begin_response();
    r.info("Quectel");
    r.info("BG95-M3");
    r.ok();
    EXPECT_EQ(drain(r), "\r\nQuectel\r\nBG95-M3\r\n\r\nOK\r\n");
}

TEST(Responder, WritesCmeErrorsAsCmeeSays) {
    Responder r;
    r.begin_response();
    r.cme_error(50, "Incorrect parameters");
    r.set_cmee(CmeeMode::Verbose);
    r.begin_response();
    r.cme_error(50, "Incorrect parameters");
    r.set_cmee(CmeeMode::Plain);
    r.begin_response();
    r.cme_error(50, "Incorrect parameters");
    EXPECT_EQ(drain(r),
              "\r\n+CME ERROR: 50\r\n\r\n+CME ERROR: Incorrect parameters\r\n\r\nERROR\r\n");
}

TEST(Responder, HoldsUrcsWhileAResponseIsOpenAndFlushesThemInOrderAfterIt) {
    Responder r;
    r.begin_response();
    r.urc("+QCOAPOPEN: 0,0");
    r.urc("+QCOAPCLOSE: 0,0");
    EXPECT_EQ(drain(r), "");
    r.ok();
    EXPECT_EQ(drain(r), "\r\nOK\r\n\r\n+QCOAPOPEN: 0,0\r\n\r\n+QCOAPCLOSE: 0,0\r\n");
}

TEST(Responder, FlushesHeldUrcsOnceAndHoldsTheNextResponsesAnew) {
    Responder r;
    r.begin_response();
    r.urc_with_payload("+QCOAPRECV: 0,1,2.05,0,,0,2", as_bytes("hi"));
    r.ok();
    EXPECT_EQ(drain(r), "\r\nOK\r\n\r\n+QCOAPRECV: 0,1,2.05,0,,0,2\r\nhi\r\n");
    r.begin_response();
    r.urc("+QCOAPACK: 0,0,2,0");
    r.error();
    EXPECT_EQ(drain(r), "\r\nERROR\r\n\r\n+QCOAPACK: 0,0,2,0\r\n");
}

TEST(Responder, WritesAUrcAtOnceWhenNothingIsOpen) {
    Responder r;
    r.urc("+QCOAPACK: 0,1,1234,0");
    EXPECT_EQ(drain(r), "\r\n+QCOAPACK: 0,1,1234,0\r\n");
}

TEST(Responder, FollowsAUrcLineWithItsPayload) {
    Responder r;
    r.urc_with_payload("+QCOAPRECV: 0,1234,4.04,6,D204D52E814B,0,9", as_bytes("Not Found"));
    EXPECT_EQ(drain(r), "\r\n+QCOAPRECV: 0,1234,4.04,6,D204D52E814B,0,9\r\nNot Found\r\n");
}

TEST(Responder, ClosesAnEmptyPayloadWithItsOwnCrLf) {
    // docs/DIALECT.md §3: <payload_length> bytes, then CR LF, whatever the length.
    Responder r;
    r.urc_with_payload("+QCOAPRECV: 0,7,2.03,0,,0,0", {});
    r.urc("+QCOAPACK: 0,0,8,0");
    EXPECT_EQ(drain(r), "\r\n+QCOAPRECV: 0,7,2.03,0,,0,0\r\n\r\n\r\n+QCOAPACK: 0,0,8,0\r\n");
}

TEST(Responder, HoldsUrcsThroughADataPhase) {
    Responder r;
    r.begin_response();
    r.prompt();
    r.urc("+QCOAPIND: 0,0,1,1,0");
    EXPECT_EQ(drain(r), "\r\n> ");
    r.ok();
    EXPECT_EQ(drain(r), "\r\nOK\r\n\r\n+QCOAPIND: 0,0,1,1,0\r\n");
}

TEST(Responder, StartsAFreshInformationBlockAfterRawData) {
    Responder r;
    r.begin_response();
    r.connect();
    r.raw(as_bytes("abc"));
    r.info("+QFDWL: 3,262");
    r.ok();
    EXPECT_EQ(drain(r), "\r\nCONNECT\r\nabc\r\n+QFDWL: 3,262\r\n\r\nOK\r\n");
}

TEST(Responder, EchoIsWrittenEvenWhileAResponseIsOpen) {
    Responder r;
    r.begin_response();
    r.echo(as_bytes("AT\r"));
    EXPECT_EQ(drain(r), "AT\r");
}

}  // namespace
}  // namespace atcoap::at

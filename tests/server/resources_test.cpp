// What each resource answers, through the core so that types and tokens are checked too.

#include <gtest/gtest.h>

#include "server_harness.hpp"

namespace atcoap::server {
namespace {

using coap::Type;
using testing::Harness;
using testing::request;
using testing::text_of;
using testing::uint_of;
namespace codes = coap::codes;
namespace option = coap::option;

coap::Message only_reply(Harness& h, const coap::Message& m) {
    const auto out = h.send(m, at_ms(0));
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? coap::Message{} : out[0];
}

TEST(ServerResources, RootAnswersTheBannerAsPlainText) {
    Harness h;
    const auto reply = only_reply(h, request(Type::Con, codes::kGet, 1, {}));
    EXPECT_EQ(reply.code, codes::kContent);
    EXPECT_EQ(text_of(reply), "atcoap test server");
    EXPECT_EQ(uint_of(reply, option::kContentFormat), 0u);
}

TEST(ServerResources, RootRefusesPostWithMethodNotAllowed) {
    Harness h;
    EXPECT_EQ(only_reply(h, request(Type::Con, codes::kPost, 1, {})).code,
              codes::kMethodNotAllowed);
}

TEST(ServerResources, WellKnownCoreListsTheResourcesInLinkFormat) {
    Harness h;
    const auto reply = only_reply(h, request(Type::Con, codes::kGet, 1, {".well-known", "core"}));
    EXPECT_EQ(reply.code, codes::kContent);
    EXPECT_EQ(uint_of(reply, option::kContentFormat), 40u);
    EXPECT_NE(text_of(reply).find("</large>"), std::string::npos);
}

TEST(ServerResources, TestGetDescribesTheRequestItGot) {
    Harness h;
    const auto reply = only_reply(h, request(Type::Non, codes::kGet, 258, {"test"}));
    EXPECT_EQ(reply.type, Type::Non);
    EXPECT_EQ(reply.code, codes::kContent);
    EXPECT_EQ(text_of(reply), "Type: NON\nCode: GET\nMID: 258\nToken: A1B2");
}

TEST(ServerResources, TestPostCreatesWithALocationPath) {
    Harness h;
    const auto reply = only_reply(h, request(Type::Con, codes::kPost, 1, {"test"}));
    EXPECT_EQ(reply.code, codes::kCreated);
    ASSERT_EQ(reply.options.size(), 2u);
    EXPECT_EQ(reply.options[0], (coap::Option{option::kLocationPath, to_bytes("test")}));
    EXPECT_EQ(reply.options[1], (coap::Option{option::kLocationPath, to_bytes("created")}));
}

TEST(ServerResources, TestPutAnswersChangedAndDeleteAnswersDeleted) {
    Harness h;
    EXPECT_EQ(only_reply(h, request(Type::Con, codes::kPut, 1, {"test"})).code, codes::kChanged);
    EXPECT_EQ(only_reply(h, request(Type::Con, codes::kDelete, 2, {"test"})).code, codes::kDeleted);
}

TEST(ServerResources, EchoReturnsThePayloadAndItsContentFormat) {
    Harness h;
    auto post = request(Type::Con, codes::kPost, 1, {"echo"});
    testing::add_uint(post, option::kContentFormat, 50);
    post.payload = to_bytes("{\"a\":1}");
    const auto reply = only_reply(h, post);
    EXPECT_EQ(reply.code, codes::kContent);
    EXPECT_EQ(text_of(reply), "{\"a\":1}");
    EXPECT_EQ(uint_of(reply, option::kContentFormat), 50u);
}

TEST(ServerResources, EchoWithoutPayloadListsTheRequestOptions) {
    Harness h;
    auto get = request(Type::Con, codes::kGet, 1, {"echo"});
    testing::add_uint(get, option::kAccept, 0);
    get.options.push_back(coap::Option{option::kETag, Bytes{0xBE, 0xEF}});
    const auto reply = only_reply(h, get);
    EXPECT_EQ(text_of(reply), "GET\nETag: BEEF\nUri-Path: echo\nAccept: 0");
    EXPECT_EQ(uint_of(reply, option::kContentFormat), 0u);
}

TEST(ServerResources, AnUnknownPathIsNotFoundWithoutOptions) {
    Harness h;
    const auto reply = only_reply(h, request(Type::Con, codes::kGet, 1, {"no", "such"}));
    EXPECT_EQ(reply.code, codes::kNotFound);
    EXPECT_EQ(text_of(reply), "Not Found");
    EXPECT_TRUE(reply.options.empty());
}

TEST(ServerResources, AProxyRequestIsAnsweredProxyingNotSupported) {
    Harness h;
    auto get = request(Type::Con, codes::kGet, 1, {});
    get.options.push_back(coap::Option{option::kProxyUri, to_bytes("coap://example.org/")});
    EXPECT_EQ(only_reply(h, get).code, coap::Code::of(5, 5));
}

TEST(ServerResources, PathOfJoinsTheUriPathSegments) {
    EXPECT_EQ(path_of(request(Type::Con, codes::kGet, 1, {})), "/");
    EXPECT_EQ(path_of(request(Type::Con, codes::kGet, 1, {"a", "b"})), "/a/b");
}

}  // namespace
}  // namespace atcoap::server

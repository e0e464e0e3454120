#pragma once
// The resources of the test server, as pure functions of the request. The message layer
// (types, message IDs, deduplication, timing, observers) lives in server_core; this file only
// says what each resource answers.
//
//   /                   GET: 2.05 "atcoap test server"
//   /.well-known/core   GET: 2.05, link format (RFC 6690) listing the resources below
//   /test               ETSI plugtest style: GET 2.05 with a text description of the request,
//                       POST 2.01 Created with Location-Path "test/created", PUT 2.04 Changed,
//                       DELETE 2.02 Deleted
//   /separate           GET: an empty ACK at once, then 2.05 "separate response" one second
//                       later as a CON (a NON request gets a NON response one second later)
//   /obs                GET: 2.05 "tick N"; with Observe 0 the client is registered and gets a
//                       notification every second (RFC 7641), Observe 1 deregisters
//   /large              GET: 2000 bytes of text in Block2 (RFC 7959); see block2.hpp
//   /echo               any method: 2.05 with the request's payload and Content-Format; a
//                       request without payload gets a text/plain list of its options instead
//   anything else       4.04 with the payload "Not Found" and no options, as libcoap's server
//                       answers (the note's example, §5.1)
// A method a resource does not serve gets 4.05; Proxy-Uri or Proxy-Scheme gets 5.05.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coap/message.hpp"

namespace atcoap::server {

/// How the core delivers a reply.
enum class Delivery : std::uint8_t { Now, Separate };
/// What the core does with the observer registry (RFC 7641 §3.1, §3.6).
enum class ObserveAction : std::uint8_t { None, Register, Deregister };

/// Whatever container coap::Message holds its options in.
using OptionList = decltype(coap::Message::options);

struct Reply {
    coap::Code code;
    OptionList options;
    Bytes payload;
    Delivery delivery = Delivery::Now;
    ObserveAction observe = ObserveAction::None;
};

/// "/" when the request has no Uri-Path, else "/" and the segments joined with "/".
std::string path_of(const coap::Message& request);

/// "GET", "POST", "PUT", "DELETE", "FETCH", "PATCH", "iPATCH", or "c.dd" for another code.
std::string method_name(coap::Code code);

/// What the request's resource answers. Precondition: request.code.is_request().
Reply handle_request(const coap::Message& request);

/// The state of /obs that the notification with Observe value `sequence` carries.
Reply observe_state(std::uint32_t sequence);

/// `phrase` as a diagnostic payload without options, as libcoap's servers send errors.
Reply error_reply(coap::Code code, std::string_view phrase);

/// The first option `number` of `m`, or nullptr.
const coap::Option* first_option(const coap::Message& m, std::uint16_t number);

/// An option with an unsigned integer value in its shortest form (RFC 7252 §3.2).
coap::Option uint_option(std::uint16_t number, std::uint32_t value);

}  // namespace atcoap::server

#include "dtls_harness.hpp"

#include <algorithm>

namespace atcoap::modem::testing {

DtlsModemHarness::DtlsModemHarness() : modem_(ModemOptions{}, storage_, modem_random_, log_) {
    modem_.start(now_);
}

void DtlsModemHarness::send(std::string_view line) {
    send_bytes(std::string(line) + "\r\n");
}

void DtlsModemHarness::send_bytes(std::string_view bytes) {
    modem_.on_host_bytes(as_bytes(bytes), now_);
    settle();
}

std::string DtlsModemHarness::take_output() {
    const Bytes out = modem_.take_host_output();
    output_.append(as_text(out));
    std::string taken;
    taken.swap(output_);
    return taken;
}

void DtlsModemHarness::configure_note_example() {
    send("ATE0");
    send("AT+QCOAPCFG=\"pdpcid\",0,1");
    send("AT+QCOAPCFG=\"trans\",0,4,5");
    send("AT+QCOAPCFG=\"dtls\",0,1,0");
    send("AT+QSSLCFG=\"dtls\",0,1");
    send("AT+QSSLCFG=\"dtlsversion\",0,1");
    send("AT+QFUPL=\"UFS:0_server.psk\"," + std::to_string(kNotePskFile.size()));
    send_bytes(kNotePskFile);
    const std::string out = take_output();
    ASSERT_NE(out.find("+QFUPL: 34,"), std::string::npos) << out;
}

void DtlsModemHarness::advance(Duration by) {
    const TimePoint target = now_ + by;
    settle();  // what a test made a session produce directly goes out first
    for (auto deadline = next_deadline(); deadline && *deadline <= target;
         deadline = next_deadline()) {
        now_ = std::max(now_, *deadline);
        modem_.on_timeout(now_);
        if (server_) {
            server_->on_timeout(now_);
        }
        settle();
    }
    now_ = target;
}

std::optional<TimePoint> DtlsModemHarness::next_deadline() const {
    auto modem = modem_.next_deadline();
    auto server = server_ ? server_->next_deadline() : std::nullopt;
    if (modem && server) {
        return std::min(*modem, *server);
    }
    return modem ? modem : server;
}

void DtlsModemHarness::settle() {
    // Each round moves what one side produced to the other; a handshake needs a few rounds.
    for (int round = 0; round < 100; ++round) {
        const bool moved_requests = move_modem_requests();
        const bool moved_output = move_server_output();
        if (!moved_requests && !moved_output) {
            return;
        }
    }
    ADD_FAILURE() << "the modem and the server kept exchanging datagrams";
}

bool DtlsModemHarness::move_modem_requests() {
    bool moved = false;
    for (net::Request& request : modem_.take_network_requests()) {
        moved = true;
        if (auto* open = std::get_if<net::OpenSocket>(&request)) {
            socket_ = open->id;
            socket_closed = false;
            server_.reset();
            modem_.on_socket_opened(open->id, net::OpenResult::Opened, now_);
        } else if (auto* datagram = std::get_if<net::SendDatagram>(&request)) {
            ++records_to_server;
            if (!server_) {
                dtls::ServerSettings settings;
                settings.key_for_identity = [this](ByteView identity) -> std::optional<Bytes> {
                    if (as_text(identity) == kNoteIdentity) {
                        return server_key;
                    }
                    return std::nullopt;
                };
                server_ = dtls::Session::server(settings, cookies_, as_bytes("modem:1"),
                                                server_random_, server_log_);
            }
            server_->on_datagram(datagram->bytes, now_);
        } else if (std::get_if<net::CloseSocket>(&request) != nullptr) {
            socket_closed = true;
        }
    }
    return moved;
}

bool DtlsModemHarness::move_server_output() {
    if (!server_) {
        return false;
    }
    bool moved = false;
    for (const Bytes& plaintext : server_->take_plaintext()) {
        moved = true;
        auto message = coap::decode(plaintext);
        if (!message) {
            ADD_FAILURE() << "the modem sent a malformed CoAP message";
            continue;
        }
        received.push_back(*message);
        const auto reply = answer ? answer(*message) : std::nullopt;
        if (reply) {
            const auto bytes = coap::encode(*reply);
            EXPECT_TRUE(static_cast<bool>(bytes));
            EXPECT_TRUE(bytes && server_->send(*bytes, now_));
        }
    }
    for (const Bytes& record : server_->take_datagrams()) {
        moved = true;
        if (!drop_server_output && socket_ && !socket_closed) {
            modem_.on_datagram(*socket_, record, now_);
        }
    }
    return moved;
}

}  // namespace atcoap::modem::testing

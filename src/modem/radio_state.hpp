#pragma once
// The radio and packet-data state the CoAP clients depend on (docs/DIALECT.md §6).

#include <array>
#include <cstdint>
#include <functional>
#include <string>

namespace atcoap::modem {

inline constexpr int kMinContextId = 1;
inline constexpr int kMaxContextId = 16;

/// AT+QICSGP settings of one PDP context.
struct PdpContext {
    int type = 1;  // 1 IPv4, 2 IPv6, 3 IPv4v6
    std::string apn;
    std::string username;
    std::string password;
    int authentication = 0;  // 0 none, 1 PAP, 2 CHAP, 3 PAP or CHAP
};

/// The radio (AT+CFUN) and the PDP contexts. Whoever depends on the data path (the CoAP
/// clients) registers one listener and hears of every change, instead of polling.
class RadioState {
  public:
    RadioState() { active_[0] = true; }  // docs/DIALECT.md §6: context 1 is active from start

    /// Called after each change of the radio or of a context's activation.
    void on_change(std::function<void()> listener) { listener_ = std::move(listener); }

    /// AT+CFUN: 1 full functionality; 0 and 4 turn the radio off.
    int functionality() const { return functionality_; }
    void set_functionality(int level) {
        functionality_ = level;
        notify();
    }
    /// The radio works when the host wants it on (AT+CFUN=1) and the network has not taken it
    /// away (the control socket's `radio off`, docs/CONTROL.md).
    bool radio_on() const { return functionality_ == 1 && network_radio_; }
    bool network_radio() const { return network_radio_; }
    void set_network_radio(bool on) {
        network_radio_ = on;
        notify();
    }

    PdpContext& context(int id) { return contexts_.at(index(id)); }
    const PdpContext& context(int id) const { return contexts_.at(index(id)); }

    /// AT+QIACT / AT+QIDEACT.
    bool active(int id) const { return active_.at(index(id)); }
    void set_active(int id, bool active) {
        active_.at(index(id)) = active;
        notify();
    }

    /// A client bound to context `id` can send only while the radio is on and it is active.
    bool data_path_up(int id) const { return radio_on() && active(id); }

    /// AT+CEREG's <n>: which unsolicited registration reports the host asked for.
    int cereg_mode = 0;

    /// What AT+CSQ reports with the radio on (3GPP TS 27.007 §8.5): <rssi> 0-31 or 99, <ber>
    /// 0-7 or 99. Set by the control socket's `signal`; the network's, so a restart keeps it.
    int rssi = 24;
    int ber = 99;

    /// A restart (the control socket's `reboot`): the host's settings go back to their
    /// defaults (full functionality, context 1 active, no PDP settings, AT+CEREG=0); what the
    /// network decides (its radio, the signal) stays. No listener is called: the caller
    /// tells the clients once everything is reset.
    void restart() {
        functionality_ = 1;
        contexts_ = {};
        active_ = {};
        active_[0] = true;
        cereg_mode = 0;
    }

  private:
    static std::size_t index(int id) { return static_cast<std::size_t>(id - kMinContextId); }
    void notify() const {
        if (listener_) {
            listener_();
        }
    }

    int functionality_ = 1;
    bool network_radio_ = true;
    std::array<PdpContext, kMaxContextId> contexts_{};
    std::array<bool, kMaxContextId> active_{};
    std::function<void()> listener_;
};

}  // namespace atcoap::modem

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
    bool radio_on() const { return functionality_ == 1; }

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

  private:
    static std::size_t index(int id) { return static_cast<std::size_t>(id - kMinContextId); }
    void notify() const {
        if (listener_) {
            listener_();
        }
    }

    int functionality_ = 1;
    std::array<PdpContext, kMaxContextId> contexts_{};
    std::array<bool, kMaxContextId> active_{};
    std::function<void()> listener_;
};

}  // namespace atcoap::modem

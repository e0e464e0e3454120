#pragma once
// The radio and packet-data state the CoAP clients depend on (DIALECT.md §6).

#include <array>
#include <cstdint>
#include <string>

namespace atcoap::modem {

inline constexpr int kMinContextId = 1;
inline constexpr int kMaxContextId = 16;

/// AT+QICSGP settings and the activation state of one PDP context.
struct PdpContext {
    int type = 1;  // 1 IPv4, 2 IPv6, 3 IPv4v6
    std::string apn;
    std::string username;
    std::string password;
    int authentication = 0;  // 0 none, 1 PAP, 2 CHAP, 3 PAP or CHAP
    bool active = false;
};

class RadioState {
  public:
    RadioState() { contexts_[0].active = true; }  // DIALECT.md §6: context 1 is active from start

    /// AT+CFUN: 1 full functionality; 0 and 4 turn the radio off.
    int functionality() const { return functionality_; }
    void set_functionality(int level) { functionality_ = level; }
    bool radio_on() const { return functionality_ == 1; }

    PdpContext& context(int id) { return contexts_.at(static_cast<std::size_t>(id - 1)); }
    const PdpContext& context(int id) const {
        return contexts_.at(static_cast<std::size_t>(id - 1));
    }

    /// A client bound to context `id` can send only while the radio is on and it is active.
    bool data_path_up(int id) const { return radio_on() && context(id).active; }

    /// AT+CEREG's <n>: which unsolicited registration reports the host asked for.
    int cereg_mode = 0;

  private:
    int functionality_ = 1;
    std::array<PdpContext, kMaxContextId> contexts_{};
};

}  // namespace atcoap::modem

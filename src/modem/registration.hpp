#pragma once
// The network registration AT+CEREG reports (3GPP TS 27.007 §10.1.22, docs/DIALECT.md §6): the
// read form's line and the unsolicited one, with the fixed cell of the virtual network.

#include <fmt/format.h>

#include <string>

namespace atcoap::modem {

// The virtual network's one cell: tracking area code, cell ID, and <AcT> 8, LTE Cat M1 in
// Quectel's numbering for BG95.
inline constexpr const char* kTrackingArea = "1A2B";
inline constexpr const char* kCellId = "01A2B3C4";
inline constexpr int kAccessTechnology = 8;

/// <stat> 1: registered, home network; 0: not registered, not searching.
inline std::string registration_fields(int mode, bool registered) {
    if (mode >= 2 && registered) {
        return fmt::format("1,\"{}\",\"{}\",{}", kTrackingArea, kCellId, kAccessTechnology);
    }
    return registered ? "1" : "0";
}

/// AT+CEREG?: `+CEREG: <n>,<stat>[,<tac>,<ci>,<AcT>]`.
inline std::string registration_read(int mode, bool registered) {
    return fmt::format("+CEREG: {},{}", mode, registration_fields(mode, registered));
}

/// The URC with <n> 1 or more: `+CEREG: <stat>[,<tac>,<ci>,<AcT>]`.
inline std::string registration_urc(int mode, bool registered) {
    return "+CEREG: " + registration_fields(mode, registered);
}

}  // namespace atcoap::modem

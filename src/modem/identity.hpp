#pragma once
// What the modem says about itself (docs/DIALECT.md §6): ATI, AT+CGMI, AT+CGMM, AT+CGMR, AT+CGSN.

#include <string>

namespace atcoap::modem {

struct Identity {
    std::string manufacturer = "Quectel";
    std::string model = "BG95-M3";
    std::string revision = "BG95M3LAR02A03";
    std::string imei = "864508030012428";  // the IMEI-shaped identity of the note's §5.2
};

}  // namespace atcoap::modem

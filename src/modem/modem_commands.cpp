#include "modem/modem_commands.hpp"

#include "modem/coap_commands.hpp"
#include "modem/file_commands.hpp"
#include "modem/general_commands.hpp"
#include "modem/ssl_commands.hpp"

namespace atcoap::modem {

ModemCommandTable make_modem_command_table() {
    CommandRows rows;
    add_general_commands(rows);
    add_file_commands(rows);
    add_coap_commands(rows);
    add_ssl_commands(rows);
    return ModemCommandTable(std::move(rows));
}

const ModemCommandTable& modem_command_table() {
    // A function-local static: initialised once, by the first caller, while others wait
    // (C++ [stmt.dcl]/4); const, so only ever read afterwards.
    static const ModemCommandTable table = make_modem_command_table();
    return table;
}

}  // namespace atcoap::modem

// atcoap: a virtual Quectel BG95/BG77/BG600L module for CoAP, driven over an AT port.

#include <CLI/CLI.hpp>
#include <cstdio>

int main(int argc, char** argv) {
    CLI::App app{"atcoap: a virtual Quectel BG95/BG77/BG600L module speaking the CoAP AT commands"};
    app.set_version_flag("--version", std::string("atcoap ") + ATCOAP_VERSION);
    CLI11_PARSE(app, argc, argv);
    std::puts("atcoap " ATCOAP_VERSION ": the AT port is not built yet; see --help.");
    return 0;
}

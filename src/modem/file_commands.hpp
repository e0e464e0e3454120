#pragma once
// The file commands of the module's UFS (docs/DIALECT.md §5): AT+QFUPL, AT+QFDWL, AT+QFLST,
// AT+QFDEL.

#include "at/dispatcher.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "ufs/file_store.hpp"

namespace atcoap::modem {

/// What the file commands work with.
struct FileParts {
    ufs::FileStore& files;
    at::Responder& responder;
    Logger& logger;
};

void add_file_commands(at::Dispatcher& dispatcher, const FileParts& parts);

}  // namespace atcoap::modem

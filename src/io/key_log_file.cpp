#include "io/key_log_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace atcoap::io {

std::unique_ptr<KeyLogFile> KeyLogFile::from_environment(Logger& log) {
    const char* path = std::getenv("SSLKEYLOGFILE");
    if (path == nullptr || *path == '\0') {
        return nullptr;
    }
    std::FILE* file = std::fopen(path, "a");
    if (file == nullptr) {
        log.log(LogLevel::Warn, std::string("SSLKEYLOGFILE ") + path + " cannot be opened: " +
                                    std::strerror(errno) + "; DTLS keys are not logged");
        return nullptr;
    }
    log.log(LogLevel::Info, std::string("DTLS session keys are appended to ") + path);
    return std::unique_ptr<KeyLogFile>(new KeyLogFile(file));
}

KeyLogFile::~KeyLogFile() {
    std::fclose(file_);
}

void KeyLogFile::write_line(std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fputc('\n', file_);
    std::fflush(file_);
}

}  // namespace atcoap::io

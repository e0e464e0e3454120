#include "script/file_loader.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace atcoap::script {

Result<std::string, std::string> FileLoader::load(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        return fail(std::string("it is a directory"));
    }
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                               &std::fclose);
    if (!file) {
        return fail(std::string(std::strerror(errno)));
    }
    std::string bytes(kMaxFileBytes + 1, '\0');
    const std::size_t read = std::fread(bytes.data(), 1, bytes.size(), file.get());
    if (std::ferror(file.get())) {
        return fail(std::string(std::strerror(errno)));
    }
    if (read > kMaxFileBytes) {
        return fail(fmt::format("larger than {} bytes (1 MiB)", kMaxFileBytes));
    }
    bytes.resize(read);
    return bytes;
}

}  // namespace atcoap::script

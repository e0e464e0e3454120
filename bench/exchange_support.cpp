#include "exchange_support.hpp"

#include <cstdlib>
#include <fstream>

namespace atcoap::bench {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "atcoap-bench-XXXXXX");
    if (::mkdtemp(pattern.data()) != nullptr) {
        path_ = pattern;
    }
}

TempDir::~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) {
        std::filesystem::remove_all(path_, ignored);
    }
}

bool TempDir::write_file(std::string_view name, std::string_view content) const {
    if (path_.empty()) {
        return false;
    }
    std::ofstream file(std::filesystem::path(path_) / name, std::ios::binary);
    file.write(content.data(), static_cast<std::streamsize>(content.size()));
    file.close();
    return !file.fail();
}

}  // namespace atcoap::bench

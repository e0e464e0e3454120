#pragma once
// A fresh directory per test or per benchmark run (atcoap's file system, a log, a key file).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace atcoap::test {

/// A directory made by mkdtemp under the system's temporary directory, removed with everything
/// in it on destruction. The constructor throws std::runtime_error when it cannot make one.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

    /// Names of the entries that do not start with '.', sorted.
    std::vector<std::string> visible_entries() const;

    /// Writes `content` to the file `name` in the directory; false when that fails.
    bool write_file(std::string_view name, std::string_view content) const;

  private:
    std::filesystem::path path_;
};

}  // namespace atcoap::test

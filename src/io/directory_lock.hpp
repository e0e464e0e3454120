#pragma once
// One atcoap process per file system directory: a module never shares its flash, and two
// processes on one directory would delete each other's uploads in progress (each removes the
// temporaries a crash left at start) and race past the store's quota. The lock is an advisory
// flock(2) on a hidden file in the directory, so it ends with the process however it ends.

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace atcoap::io {

/// The name of the lock file. It starts with '.', so no host can name, list or delete it
/// (ufs::parse_name refuses such names).
inline constexpr const char* kLockFileName = ".atcoap.lock";

class DirectoryLock {
  public:
    /// Takes the lock of the directory open at `directory_fd` and writes this process's ID
    /// into the lock file. Fails, without waiting, with a message that names `directory` and,
    /// when the lock is held, the process that holds it.
    static Result<DirectoryLock, std::string> acquire(int directory_fd,
                                                      const std::filesystem::path& directory);

    DirectoryLock(DirectoryLock&& other) noexcept;
    DirectoryLock& operator=(DirectoryLock&& other) noexcept;
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;
    ~DirectoryLock();

  private:
    explicit DirectoryLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace atcoap::io

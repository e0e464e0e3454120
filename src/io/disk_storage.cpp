#include "io/disk_storage.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <utility>

#include "ufs/file_store.hpp"

namespace atcoap::io {
namespace {

using ufs::FileError;
using ufs::StoreError;

// A failed system call as a StoreError: the code for the AT port, errno's text for the log.
StoreError system_error(FileError code, const std::string& what, int error) {
    return {code, what + ": " + std::generic_category().message(error)};
}

FileError write_code(int error) {
    return (error == ENOSPC || error == EDQUOT) ? FileError::NoSpace : FileError::WriteFailed;
}

// Closes a descriptor when it goes out of scope, unless released first.
class FdGuard {
  public:
    explicit FdGuard(int fd) : fd_(fd) {}
    ~FdGuard() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

// 0 once every byte is written, else the errno of the failure.
int write_all(int fd, ByteView data) {
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return written < 0 ? errno : EIO;
        }
        data = data.subspan(static_cast<std::size_t>(written));
    }
    return 0;
}

/// Reads to the end of `fd`, but never more than `limit` bytes plus one: a file that grows past
/// the limit while it is read is caught by the caller's size check.
bool read_all(int fd, Bytes& out, std::size_t limit) {
    std::uint8_t buffer[65536];
    while (out.size() <= limit) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return false;
        }
        if (got == 0) {
            return true;
        }
        out.insert(out.end(), buffer, buffer + got);
    }
    return true;
}

StoreError too_large(const ufs::FileName& name, std::uintmax_t size) {
    return StoreError{FileError::TooLarge,
                      name.display() + " holds " + std::to_string(size) + " bytes, more than the " +
                          std::to_string(ufs::kMaxUploadBytes) + " a file of the module may hold"};
}

bool is_temporary(std::string_view entry) {
    return entry.substr(0, kTemporaryPrefix.size()) == kTemporaryPrefix;
}

}  // namespace

DiskStorage::DiskStorage(std::filesystem::path directory, int directory_fd, DirectoryLock lock)
    : directory_(std::move(directory)), directory_fd_(directory_fd), lock_(std::move(lock)) {}

DiskStorage::~DiskStorage() {
    ::close(directory_fd_);
}

Result<std::unique_ptr<DiskStorage>, StoreError> DiskStorage::open(
    const std::filesystem::path& directory) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
        return fail(StoreError{FileError::OpenFailed,
                               "cannot create " + directory.string() + ": " + error.message()});
    }
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return fail(
            system_error(FileError::OpenFailed, "cannot open " + directory.string(), errno));
    }
    auto lock = DirectoryLock::acquire(fd, directory);
    if (!lock) {
        ::close(fd);
        return fail(StoreError{FileError::OpenFailed, lock.error()});
    }
    std::unique_ptr<DiskStorage> storage(new DiskStorage(directory, fd, std::move(*lock)));
    auto removed = storage->remove_leftovers();
    if (!removed) {
        return fail(removed.error());
    }
    storage->leftovers_removed_ = *removed;
    return storage;
}

// The names in the directory, read through our descriptor so that the store stays the
// directory it was opened on.
Result<std::vector<std::string>, StoreError> DiskStorage::entries() const {
    const int fd = ::dup(directory_fd_);
    DIR* dir = fd < 0 ? nullptr : ::fdopendir(fd);
    if (dir == nullptr) {
        const int error = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        return fail(
            system_error(FileError::ListFailed, "cannot list " + directory_.string(), error));
    }
    ::rewinddir(dir);  // the duplicate shares its position with earlier listings
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
        names.emplace_back(entry->d_name);
    }
    const int error = errno;
    ::closedir(dir);
    if (error != 0) {
        return fail(
            system_error(FileError::ListFailed, "cannot list " + directory_.string(), error));
    }
    return names;
}

Result<std::size_t, StoreError> DiskStorage::remove_leftovers() {
    auto names = entries();
    if (!names) {
        return fail(names.error());
    }
    std::size_t removed = 0;
    for (const std::string& entry : *names) {
        if (is_temporary(entry) && ::unlinkat(directory_fd_, entry.c_str(), 0) == 0) {
            ++removed;
        }
    }
    if (removed > 0) {
        if (auto synced = sync_directory(FileError::OpenFailed); !synced) {
            return fail(synced.error());
        }
    }
    return removed;
}

Result<std::vector<ufs::FileInfo>, StoreError> DiskStorage::list() const {
    auto names = entries();
    if (!names) {
        return fail(names.error());
    }
    std::vector<ufs::FileInfo> files;
    for (const std::string& entry : *names) {
        auto name = ufs::parse_name(entry);
        struct stat info {};
        // Only an entry whose name is already canonical ("UFS:x" on disk is not "x") and
        // which is a regular file itself, not a link to one, belongs to the store.
        if (!name || name->bare() != entry ||
            ::fstatat(directory_fd_, entry.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(info.st_mode)) {
            continue;
        }
        files.push_back({std::move(name).value(), static_cast<std::size_t>(info.st_size)});
    }
    std::sort(files.begin(), files.end(),
              [](const ufs::FileInfo& a, const ufs::FileInfo& b) { return a.name < b.name; });
    return files;
}

Result<Bytes, StoreError> DiskStorage::read(const ufs::FileName& name) const {
    // O_NOFOLLOW: a link is not a file of the store; O_NONBLOCK: a FIFO must not hang us.
    FdGuard fd(::openat(directory_fd_, name.bare().c_str(),
                        O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (fd.get() < 0) {
        const int error = errno;
        const bool missing = error == ENOENT || error == ELOOP || error == ENOTDIR;
        return fail(system_error(missing ? FileError::NotFound : FileError::OpenFailed,
                                 "cannot open " + name.display(), error));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return fail(StoreError{FileError::NotFound, name.display() + " is not a regular file"});
    }
    // A file put into the directory from outside can be of any size; the module's files are at
    // most what AT+QFUPL takes, and only such a file is read into memory (docs/RUNNING.md).
    constexpr auto kLimit = static_cast<std::size_t>(ufs::kMaxUploadBytes);
    if (static_cast<std::uintmax_t>(info.st_size) > kLimit) {
        return fail(too_large(name, static_cast<std::uintmax_t>(info.st_size)));
    }
    Bytes data;
    data.reserve(static_cast<std::size_t>(info.st_size));
    if (!read_all(fd.get(), data, kLimit)) {
        return fail(system_error(FileError::ReadFailed, "cannot read " + name.display(), errno));
    }
    if (data.size() > kLimit) {
        return fail(too_large(name, data.size()));
    }
    return data;
}

Status<StoreError> DiskStorage::write_new(const ufs::FileName& name, ByteView data) {
    struct stat info {};
    if (::fstatat(directory_fd_, name.bare().c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
        return fail(StoreError{FileError::AlreadyExists, name.display() + " already exists"});
    }
    auto temporary = write_temporary(data);
    if (!temporary) {
        return fail(temporary.error());
    }
    return publish(*temporary, name);
}

// Creates a fresh temporary holding `data`, synced to the disk; removes it again on failure.
Result<std::string, StoreError> DiskStorage::write_temporary(ByteView data) {
    std::string temporary;
    int fd = -1;
    while (fd < 0) {
        temporary = std::string(kTemporaryPrefix) + std::to_string(::getpid()) + "-" +
                    std::to_string(next_temporary_++);
        fd = ::openat(directory_fd_, temporary.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno != EEXIST) {
            const int error = errno;
            return fail(system_error(write_code(error), "cannot create " + temporary, error));
        }
    }
    FdGuard guard(fd);
    int error = write_all(fd, data);
    if (error == 0 && (::fsync(fd) != 0 || ::close(guard.release()) != 0)) {
        error = errno;
    }
    if (error != 0) {
        ::unlinkat(directory_fd_, temporary.c_str(), 0);
        return fail(system_error(write_code(error), "cannot write " + temporary, error));
    }
    return temporary;
}

// Gives the temporary its name without ever replacing a file: renameat2 with
// RENAME_NOREPLACE, or link and unlink where the file system lacks it (a crash between the
// two leaves a temporary that the next open removes).
Status<StoreError> DiskStorage::publish(const std::string& temporary, const ufs::FileName& name) {
    const char* target = name.bare().c_str();
    int result =
        ::renameat2(directory_fd_, temporary.c_str(), directory_fd_, target, RENAME_NOREPLACE);
    if (result != 0 && (errno == EINVAL || errno == ENOSYS)) {
        result = ::linkat(directory_fd_, temporary.c_str(), directory_fd_, target, 0);
        if (result == 0) {
            ::unlinkat(directory_fd_, temporary.c_str(), 0);
        }
    }
    if (result != 0) {
        const int error = errno;
        ::unlinkat(directory_fd_, temporary.c_str(), 0);
        if (error == EEXIST) {
            return fail(StoreError{FileError::AlreadyExists, name.display() + " already exists"});
        }
        return fail(system_error(write_code(error), "cannot publish " + name.display(), error));
    }
    if (auto synced = sync_directory(FileError::WriteFailed); !synced) {
        // Not durable, so not done: take the file back so the host sees all or nothing.
        ::unlinkat(directory_fd_, target, 0);
        return synced;
    }
    return Done{};
}

Status<StoreError> DiskStorage::sync_directory(FileError code) const {
    if (::fsync(directory_fd_) != 0) {
        return fail(system_error(code, "cannot sync " + directory_.string(), errno));
    }
    return Done{};
}

Status<StoreError> DiskStorage::remove(const ufs::FileName& name) {
    struct stat info {};
    const char* target = name.bare().c_str();
    if (::fstatat(directory_fd_, target, &info, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(info.st_mode)) {
        return fail(StoreError{FileError::NotFound, "no file " + name.display()});
    }
    if (::unlinkat(directory_fd_, target, 0) != 0) {
        const int error = errno;
        return fail(system_error(error == ENOENT ? FileError::NotFound : FileError::DeleteFailed,
                                 "cannot delete " + name.display(), error));
    }
    return sync_directory(FileError::DeleteFailed);
}

Status<StoreError> DiskStorage::remove_all() {
    auto files = list();
    if (!files) {
        return fail(files.error());
    }
    for (const ufs::FileInfo& file : *files) {
        if (::unlinkat(directory_fd_, file.name.bare().c_str(), 0) != 0 && errno != ENOENT) {
            const int error = errno;
            return fail(system_error(FileError::DeleteFailed,
                                     "cannot delete " + file.name.display(), error));
        }
    }
    return sync_directory(FileError::DeleteFailed);
}

Result<std::size_t, StoreError> DiskStorage::used_bytes() const {
    auto files = list();
    if (!files) {
        return fail(files.error());
    }
    std::size_t total = 0;
    for (const ufs::FileInfo& file : *files) {
        total += file.size;
    }
    return total;
}

std::filesystem::path default_ufs_dir(const char* xdg_data_home, const char* home) {
    if (xdg_data_home != nullptr && xdg_data_home[0] == '/') {
        return std::filesystem::path(xdg_data_home) / "atcoap" / "ufs";
    }
    if (home != nullptr && home[0] != '\0') {
        return std::filesystem::path(home) / ".local" / "share" / "atcoap" / "ufs";
    }
    return "atcoap-ufs";
}

std::filesystem::path default_ufs_dir() {
    return default_ufs_dir(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
}

}  // namespace atcoap::io

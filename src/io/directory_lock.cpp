#include "io/directory_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <system_error>
#include <utility>

namespace atcoap::io {
namespace {

std::string reason(int error) {
    return std::generic_category().message(error);
}

// The process ID the holder wrote, or empty when the file holds none (it may be between its
// open and its write).
std::string holder_of(int fd) {
    char text[32] = {};
    const ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
    std::string pid;
    for (ssize_t i = 0; i < got && text[i] >= '0' && text[i] <= '9'; ++i) {
        pid += text[i];
    }
    return pid;
}

void write_own_pid(int fd) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    // Only a courtesy for the next process's message: the lock itself is the flock.
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
}

}  // namespace

Result<DirectoryLock, std::string> DirectoryLock::acquire(int directory_fd,
                                                          const std::filesystem::path& directory) {
    const int fd =
        ::openat(directory_fd, kLockFileName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return fail("cannot create the lock file in " + directory.string() + ": " + reason(errno));
    }
    DirectoryLock lock(fd);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        if (error == EINTR) {
            continue;
        }
        if (error == EWOULDBLOCK) {
            const std::string pid = holder_of(fd);
            return fail("--ufs " + directory.string() + " is in use by atcoap process " +
                        (pid.empty() ? std::string("(unknown)") : pid) +
                        "; give each instance its own directory with --ufs DIR");
        }
        return fail("cannot lock " + directory.string() + ": " + reason(error));
    }
    write_own_pid(fd);
    return lock;
}

DirectoryLock::DirectoryLock(DirectoryLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

DirectoryLock::~DirectoryLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the flock
    }
}

}  // namespace atcoap::io

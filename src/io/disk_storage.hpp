#pragma once
// The UFS on a host directory (docs/DIALECT.md §5: "--ufs DIR"). A file appears only once its
// content is complete and synced: it is written to a temporary in the same directory, fsynced,
// then renamed to its name without replacing anything, and the directory is fsynced. Files are
// created readable by their owner only (0600): they hold PSKs. A crash
// at any moment leaves either no file or the whole file; temporaries it leaves are removed at
// the next open and are never listed.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "io/directory_lock.hpp"
#include "ufs/storage.hpp"

namespace atcoap::io {

/// Names of the store's temporaries start with this. ufs::parse_name refuses every name that
/// starts with '.', so no host can name, list, replace or delete a temporary.
inline constexpr std::string_view kTemporaryPrefix = ".ufs-tmp-";

class DiskStorage final : public ufs::Storage {
  public:
    /// Opens (creating it and its parents when missing) the store in `directory`, takes the
    /// directory's lock (io/directory_lock.hpp) and only then removes temporaries a crash left
    /// there. Fails with OpenFailed (410) and the reason: the system's, or the other atcoap
    /// process that holds the directory.
    static Result<std::unique_ptr<DiskStorage>, ufs::StoreError> open(
        const std::filesystem::path& directory);

    ~DiskStorage() override;
    DiskStorage(const DiskStorage&) = delete;
    DiskStorage& operator=(const DiskStorage&) = delete;

    /// Regular files with valid names only: temporaries, hidden files, subdirectories,
    /// symbolic links and anything else put there from outside are ignored.
    Result<std::vector<ufs::FileInfo>, ufs::StoreError> list() const override;
    Result<Bytes, ufs::StoreError> read(const ufs::FileName& name) const override;
    Status<ufs::StoreError> write_new(const ufs::FileName& name, ByteView data) override;
    Status<ufs::StoreError> remove(const ufs::FileName& name) override;
    /// Removes the files list() shows; entries it ignores stay.
    Status<ufs::StoreError> remove_all() override;
    Result<std::size_t, ufs::StoreError> used_bytes() const override;

    const std::filesystem::path& directory() const { return directory_; }
    /// How many leftover temporaries open() removed (for the log).
    std::size_t leftovers_removed() const { return leftovers_removed_; }

  private:
    DiskStorage(std::filesystem::path directory, int directory_fd, DirectoryLock lock);

    Result<std::size_t, ufs::StoreError> remove_leftovers();
    Result<std::vector<std::string>, ufs::StoreError> entries() const;
    Result<std::string, ufs::StoreError> write_temporary(ByteView data);
    Status<ufs::StoreError> publish(const std::string& temporary, const ufs::FileName& name);
    Status<ufs::StoreError> sync_directory(ufs::FileError code) const;

    std::filesystem::path directory_;
    int directory_fd_;
    DirectoryLock lock_;
    std::size_t leftovers_removed_ = 0;
    unsigned long next_temporary_ = 0;
};

/// Where the store lives without --ufs: $XDG_DATA_HOME/atcoap/ufs, else
/// $HOME/.local/share/atcoap/ufs, else ./atcoap-ufs (reads the environment).
std::filesystem::path default_ufs_dir();

/// The same from given values (nullptr for an unset variable). A relative or empty
/// XDG_DATA_HOME is ignored, as the XDG Base Directory specification asks.
std::filesystem::path default_ufs_dir(const char* xdg_data_home, const char* home);

}  // namespace atcoap::io

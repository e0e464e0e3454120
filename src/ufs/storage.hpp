#pragma once
// Where UFS files live: the interface the file store (and so the AT handlers) works through.
// The I/O shell implements it on a host directory (io::DiskStorage); MemoryStorage serves tests
// and runs without --ufs. Files are small (PSK files), so every call is synchronous and whole-file.

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "ufs/file_error.hpp"
#include "ufs/file_name.hpp"

namespace atcoap::ufs {

struct FileInfo {
    FileName name;
    std::size_t size = 0;

    friend bool operator==(const FileInfo&, const FileInfo&) = default;
};

class Storage {
  public:
    virtual ~Storage() = default;

    /// Every file, sorted by name (byte order).
    virtual Result<std::vector<FileInfo>, StoreError> list() const = 0;
    /// The whole content of a file; NotFound (405) when there is none.
    virtual Result<Bytes, StoreError> read(const FileName& name) const = 0;
    /// Creates a file with this content, all or nothing: afterwards the file either exists
    /// with exactly `data` or does not exist at all (docs/DIALECT.md §5). An existing file is
    /// never replaced: AlreadyExists (407).
    virtual Status<StoreError> write_new(const FileName& name, ByteView data) = 0;
    /// Deletes one file; NotFound (405) when there is none.
    virtual Status<StoreError> remove(const FileName& name) = 0;
    /// Deletes every file; an empty store is fine.
    virtual Status<StoreError> remove_all() = 0;
    /// The sum of all file sizes.
    virtual Result<std::size_t, StoreError> used_bytes() const = 0;
};

/// Storage in memory. inject_failure() lets tests of the layers above see each error path.
class MemoryStorage final : public Storage {
  public:
    Result<std::vector<FileInfo>, StoreError> list() const override;
    Result<Bytes, StoreError> read(const FileName& name) const override;
    Status<StoreError> write_new(const FileName& name, ByteView data) override;
    Status<StoreError> remove(const FileName& name) override;
    Status<StoreError> remove_all() override;
    Result<std::size_t, StoreError> used_bytes() const override;

    /// The next call of any of the methods above fails with `error` and changes nothing.
    void inject_failure(StoreError error) { injected_ = std::move(error); }

  private:
    std::optional<StoreError> take_injected() const;

    std::vector<std::pair<FileName, Bytes>> files_;  // sorted by name
    mutable std::optional<StoreError> injected_;
};

}  // namespace atcoap::ufs

#pragma once
// The UFS as the file commands see it (docs/DIALECT.md §5, §7): names checked, limits enforced,
// checksums computed, on top of any Storage. AT+QFUPL/QFDWL/QFLST/QFDEL call this; every
// failure is a StoreError whose code is the `+CME ERROR:` number and whose detail is the log line.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "ufs/file_error.hpp"
#include "ufs/file_name.hpp"
#include "ufs/storage.hpp"

namespace atcoap::ufs {

/// The largest QFUPL <size> (docs/DIALECT.md §7); 0 or more gives InvalidInput (400).
inline constexpr std::int64_t kMaxUploadBytes = 10485760;
/// What the store holds in all (docs/DIALECT.md §7); beyond it, DriveFull (403).
inline constexpr std::size_t kStoreCapacity = std::size_t{64} * 1024 * 1024;

/// What `+QFUPL: <size>,<checksum>` and `+QFDWL: <size>,<checksum>` print
/// (format the checksum with checksum_text()).
struct FileDigest {
    std::size_t size = 0;
    std::uint16_t checksum = 0;

    friend bool operator==(const FileDigest&, const FileDigest&) = default;
};

struct FileContent {
    Bytes data;
    std::uint16_t checksum = 0;
};

class FileStore {
  public:
    explicit FileStore(Storage& storage, std::size_t capacity = kStoreCapacity)
        : storage_(storage), capacity_(capacity) {}

    /// A host-given name in canonical form, or InvalidName (406).
    Result<FileName, StoreError> name(std::string_view text) const;

    /// AT+QFUPL before its CONNECT: the name is valid (406), `size` is 1..kMaxUploadBytes
    /// (400), no file has the name (407) and the store is not full (403), in that order.
    Result<FileName, StoreError> check_upload(std::string_view text, std::int64_t size) const;

    /// AT+QFUPL after its data phase: stores `data` (whatever arrived, also fewer bytes than
    /// announced, or none) atomically. Errors: 407 if the name was taken meanwhile, 423 if
    /// `data` is over kMaxUploadBytes, 403 if it does not fit, or the storage's error.
    Result<FileDigest, StoreError> upload_complete(const FileName& name, ByteView data);

    /// AT+QFDWL: the content and its checksum. Errors: 406, 405, or the storage's error.
    Result<FileContent, StoreError> download(std::string_view text) const;

    /// The content alone, e.g. a PSK file "<ctx>_server.psk" for a DTLS handshake (docs/DIALECT.md
    /// §4).
    Result<Bytes, StoreError> read(std::string_view text) const;

    /// AT+QFLST[=<pattern>]: the files `pattern` selects (pattern.hpp; "*" for all), by name.
    Result<std::vector<FileInfo>, StoreError> list(std::string_view pattern) const;

    /// AT+QFDEL: one file (406, 405), or every file for "*" / "UFS:*" (an empty store is fine).
    Status<StoreError> remove(std::string_view text);

    /// Bytes still free, 0 when full.
    Result<std::size_t, StoreError> free_bytes() const;
    std::size_t capacity() const { return capacity_; }

  private:
    Storage& storage_;
    std::size_t capacity_;
};

}  // namespace atcoap::ufs

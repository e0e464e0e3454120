#include "ufs/file_store.hpp"

#include <algorithm>
#include <string>

#include "base/hex.hpp"
#include "ufs/checksum.hpp"
#include "ufs/pattern.hpp"

namespace atcoap::ufs {
namespace {

// The host's text in quotes for the log, control bytes as \HH so the line stays one line.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            out += '\\';
            append_hex_upper(out, ByteView(&byte, 1));
        } else {
            out += c;
        }
    }
    return out + "\"";
}

bool contains(const std::vector<FileInfo>& files, const FileName& name) {
    return std::any_of(files.begin(), files.end(),
                       [&](const FileInfo& info) { return info.name == name; });
}

std::size_t total_size(const std::vector<FileInfo>& files) {
    std::size_t total = 0;
    for (const FileInfo& info : files) {
        total += info.size;
    }
    return total;
}

}  // namespace

Result<FileName, StoreError> FileStore::name(std::string_view text) const {
    auto parsed = parse_name(text);
    if (!parsed) {
        return fail(StoreError{FileError::InvalidName, "file name " + quoted(text) + " " +
                                                           std::string(describe(parsed.error()))});
    }
    return std::move(parsed).value();
}

Result<FileName, StoreError> FileStore::check_upload(std::string_view text,
                                                     std::int64_t size) const {
    auto parsed = name(text);
    if (!parsed) {
        return parsed;
    }
    if (size < 1 || size > kMaxUploadBytes) {
        return fail(StoreError{FileError::InvalidInput, "upload size " + std::to_string(size) +
                                                            " is not in 1-" +
                                                            std::to_string(kMaxUploadBytes)});
    }
    auto files = storage_.list();
    if (!files) {
        return fail(files.error());
    }
    if (contains(*files, *parsed)) {
        return fail(StoreError{FileError::AlreadyExists, parsed->display() + " already exists"});
    }
    if (total_size(*files) >= capacity_) {
        return fail(StoreError{FileError::DriveFull, "the store is full"});
    }
    return parsed;
}

Result<FileDigest, StoreError> FileStore::upload_complete(const FileName& file, ByteView data) {
    if (data.size() > static_cast<std::size_t>(kMaxUploadBytes)) {
        return fail(StoreError{FileError::TooLarge, std::to_string(data.size()) + " bytes exceed " +
                                                        std::to_string(kMaxUploadBytes)});
    }
    auto files = storage_.list();
    if (!files) {
        return fail(files.error());
    }
    if (contains(*files, file)) {
        return fail(StoreError{FileError::AlreadyExists, file.display() + " already exists"});
    }
    const std::size_t used = total_size(*files);
    if (used > capacity_ || data.size() > capacity_ - used) {
        return fail(StoreError{FileError::DriveFull,
                               std::to_string(data.size()) + " bytes do not fit: " +
                                   std::to_string(capacity_ - std::min(used, capacity_)) +
                                   " free"});
    }
    if (auto written = storage_.write_new(file, data); !written) {
        return fail(written.error());
    }
    return FileDigest{data.size(), checksum(data)};
}

Result<FileContent, StoreError> FileStore::download(std::string_view text) const {
    auto data = read(text);
    if (!data) {
        return fail(data.error());
    }
    const std::uint16_t sum = checksum(*data);
    return FileContent{std::move(data).value(), sum};
}

Result<Bytes, StoreError> FileStore::read(std::string_view text) const {
    auto parsed = name(text);
    if (!parsed) {
        return fail(parsed.error());
    }
    return storage_.read(*parsed);
}

Result<std::vector<FileInfo>, StoreError> FileStore::list(std::string_view pattern) const {
    auto files = storage_.list();
    if (!files) {
        return files;
    }
    std::erase_if(*files,
                  [&](const FileInfo& info) { return !pattern_matches(pattern, info.name); });
    return files;
}

Status<StoreError> FileStore::remove(std::string_view text) {
    if (names_every_file(text)) {
        return storage_.remove_all();
    }
    auto parsed = name(text);
    if (!parsed) {
        return fail(parsed.error());
    }
    return storage_.remove(*parsed);
}

Result<std::size_t, StoreError> FileStore::free_bytes() const {
    auto used = storage_.used_bytes();
    if (!used) {
        return used;
    }
    return *used >= capacity_ ? std::size_t{0} : capacity_ - *used;
}

}  // namespace atcoap::ufs

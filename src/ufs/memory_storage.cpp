#include <algorithm>

#include "ufs/storage.hpp"

namespace atcoap::ufs {
namespace {

using Entry = std::pair<FileName, Bytes>;

template <class Files>
auto find_slot(Files& files, const FileName& name) {
    return std::lower_bound(
        files.begin(), files.end(), name,
        [](const Entry& entry, const FileName& key) { return entry.first < key; });
}

StoreError not_found(const FileName& name) {
    return {FileError::NotFound, "no file " + name.display()};
}

}  // namespace

std::optional<StoreError> MemoryStorage::take_injected() const {
    std::optional<StoreError> error = std::move(injected_);
    injected_.reset();
    return error;
}

Result<std::vector<FileInfo>, StoreError> MemoryStorage::list() const {
    if (auto error = take_injected()) {
        return fail(std::move(*error));
    }
    std::vector<FileInfo> infos;
    infos.reserve(files_.size());
    for (const auto& [name, data] : files_) {
        infos.push_back({name, data.size()});
    }
    return infos;
}

Result<Bytes, StoreError> MemoryStorage::read(const FileName& name) const {
    if (auto error = take_injected()) {
        return fail(std::move(*error));
    }
    const auto slot = find_slot(files_, name);
    if (slot == files_.end() || !(slot->first == name)) {
        return fail(not_found(name));
    }
    return slot->second;
}

Status<StoreError> MemoryStorage::write_new(const FileName& name, ByteView data) {
    if (auto error = take_injected()) {
        return fail(std::move(*error));
    }
    const auto slot = find_slot(files_, name);
    if (slot != files_.end() && slot->first == name) {
        return fail(StoreError{FileError::AlreadyExists, name.display() + " exists"});
    }
    files_.insert(slot, Entry{name, Bytes(data.begin(), data.end())});
    return Done{};
}

Status<StoreError> MemoryStorage::remove(const FileName& name) {
    if (auto error = take_injected()) {
        return fail(std::move(*error));
    }
    const auto slot = find_slot(files_, name);
    if (slot == files_.end() || !(slot->first == name)) {
        return fail(not_found(name));
    }
    files_.erase(slot);
    return Done{};
}

Status<StoreError> MemoryStorage::remove_all() {
    if (auto error = take_injected()) {
        return fail(std::move(*error));
    }
    files_.clear();
    return Done{};
}

Result<std::size_t, StoreError> MemoryStorage::used_bytes() const {
    if (auto error = take_injected()) {
        return fail(std::move(*error));
    }
    std::size_t total = 0;
    for (const auto& entry : files_) {
        total += entry.second.size();
    }
    return total;
}

}  // namespace atcoap::ufs

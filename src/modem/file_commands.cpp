#include "modem/file_commands.hpp"

#include <fmt/format.h>

#include <limits>
#include <memory>

#include "at/framer.hpp"
#include "ufs/checksum.hpp"

namespace atcoap::modem {

namespace {

using at::Args;
using at::IntRange;
using at::Outcome;
using at::QuotedString;

constexpr std::int64_t kDefaultUploadSize = 10240;
constexpr std::int64_t kDefaultUploadTimeoutSeconds = 5;
constexpr std::size_t kAckEvery = 1024;  // QFUPL ACK mode: an `A` after every 1024 bytes
// A name is at most 80 bytes plus the optional "UFS:" prefix, but any name the line can carry
// reaches the store, so that every bad name gets the store's own code (406) and reason.
constexpr std::size_t kMaxNameParam = at::Framer::kMaxLineLength;

Outcome file_error(const ufs::StoreError& error) {
    return Outcome::cme_error(ufs::error_code(error.code), std::string(ufs::error_text(error.code)),
                              error.detail);
}

/// One QFUPL data phase: collects the bytes, writes the ACK mode's `A`s, stores at the end.
class Upload final : public at::DataPhase {
  public:
    Upload(const ModemParts& parts, ufs::FileName name, std::size_t size, Duration timeout,
           bool ack_mode)
        : parts_(parts),
          name_(std::move(name)),
          size_(size),
          timeout_(timeout),
          ack_mode_(ack_mode) {}

    at::PhaseInput input() const override { return at::UploadBytes{size_, timeout_}; }

    void on_upload_data(ByteView chunk) override {
        const std::size_t before = data_.size();
        data_.insert(data_.end(), chunk.begin(), chunk.end());
        if (ack_mode_) {
            for (std::size_t n = data_.size() / kAckEvery - before / kAckEvery; n > 0; --n) {
                parts_.responder.raw(as_bytes("A"));
            }
        }
    }

    Outcome finish(const at::FramerEvent& end, TimePoint) override {
        const auto* finished = std::get_if<at::UploadFinished>(&end);
        if (finished != nullptr && finished->how == at::UploadEnd::Timeout) {
            parts_.logger.log(LogLevel::Info,
                              fmt::format("QFUPL {}: no byte for the timeout, {} bytes kept",
                                          name_.display(), data_.size()));
        }
        auto stored = parts_.files.upload_complete(name_, data_);
        if (!stored) {
            return file_error(stored.error());
        }
        parts_.responder.info(
            fmt::format("+QFUPL: {},{}", stored->size, ufs::checksum_text(stored->checksum)));
        return Outcome::ok();
    }

  private:
    ModemParts parts_;  // references to the modem's parts: the modem outlives its phase
    ufs::FileName name_;
    std::size_t size_;
    Duration timeout_;
    bool ack_mode_;
    Bytes data_;
};

Outcome upload(const ModemParts& parts, const Args& args) {
    const std::int64_t size = args.has(1) ? args.integer(1) : kDefaultUploadSize;
    const std::int64_t timeout = args.has(2) ? args.integer(2) : kDefaultUploadTimeoutSeconds;
    auto name = parts.files.check_upload(args.text(0), size);
    if (!name) {
        return file_error(name.error());
    }
    return Outcome::data_phase(std::make_unique<Upload>(
        parts, *name, static_cast<std::size_t>(size), std::chrono::seconds(timeout),
        args.has(3) && args.integer(3) == 1));
}

Outcome download(const ModemParts& parts, const Args& args) {
    auto content = parts.files.download(args.text(0));
    if (!content) {
        return file_error(content.error());
    }
    parts.responder.connect();
    parts.responder.raw(content->data);
    parts.responder.info(
        fmt::format("+QFDWL: {},{}", content->data.size(), ufs::checksum_text(content->checksum)));
    return Outcome::ok();
}

Outcome list(const ModemParts& parts, std::string_view pattern) {
    auto files = parts.files.list(pattern);
    if (!files) {
        return file_error(files.error());
    }
    for (const ufs::FileInfo& file : *files) {
        parts.responder.info(fmt::format("+QFLST: \"{}\",{}", file.name.display(), file.size));
    }
    return Outcome::ok();
}

Outcome remove(const ModemParts& parts, const Args& args) {
    auto removed = parts.files.remove(args.text(0));
    return removed ? Outcome::ok() : file_error(removed.error());
}

}  // namespace

void add_file_commands(CommandRows& rows) {
    constexpr auto kAnySize = std::numeric_limits<std::int32_t>::max();
    rows.push_back({.name = "+QFUPL",
                    .params = {{"filename", QuotedString{kMaxNameParam}},
                               {"file_size", IntRange{0, kAnySize}, true},
                               {"timeout", IntRange{1, 65535}, true},
                               {"ackmode", IntRange{0, 1}, true}},
                    .write = [](ModemParts& parts, const Args& args, TimePoint) {
                        return upload(parts, args);
                    }});
    rows.push_back({.name = "+QFDWL",
                    .params = {{"filename", QuotedString{kMaxNameParam}}},
                    .write = [](ModemParts& parts, const Args& args, TimePoint) {
                        return download(parts, args);
                    }});
    rows.push_back(
        {.name = "+QFLST",
         .params = {{"filename", QuotedString{kMaxNameParam}}},
         .execute = [](ModemParts& parts, const Args&, TimePoint) { return list(parts, "*"); },
         .write = [](ModemParts& parts, const Args& args,
                     TimePoint) { return list(parts, args.text(0)); }});
    rows.push_back({.name = "+QFDEL",
                    .params = {{"filename", QuotedString{kMaxNameParam}}},
                    .write = [](ModemParts& parts, const Args& args, TimePoint) {
                        return remove(parts, args);
                    }});
}

}  // namespace atcoap::modem

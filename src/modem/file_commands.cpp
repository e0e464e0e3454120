#include "modem/file_commands.hpp"

#include <fmt/format.h>

#include <limits>
#include <memory>

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
// A name is at most 80 bytes plus the optional "UFS:" prefix; the store says which rule broke.
constexpr std::size_t kMaxNameParam = 255;

Outcome file_error(const ufs::StoreError& error) {
    return Outcome::cme_error(ufs::error_code(error.code), std::string(ufs::error_text(error.code)),
                              error.detail);
}

/// One QFUPL data phase: collects the bytes, writes the ACK mode's `A`s, stores at the end.
class Upload {
  public:
    Upload(ModemContext& ctx, ufs::FileName name, bool ack_mode)
        : ctx_(ctx), name_(std::move(name)), ack_mode_(ack_mode) {}

    void on_event(const at::FramerEvent& event) {
        if (const auto* data = std::get_if<at::UploadData>(&event)) {
            take(data->chunk);
        } else if (const auto* end = std::get_if<at::UploadFinished>(&event)) {
            finish(end->how);
        }
    }

  private:
    void take(const Bytes& chunk) {
        const std::size_t before = data_.size();
        data_.insert(data_.end(), chunk.begin(), chunk.end());
        if (ack_mode_) {
            for (std::size_t n = data_.size() / kAckEvery - before / kAckEvery; n > 0; --n) {
                ctx_.responder.raw(as_bytes("A"));
            }
        }
    }

    void finish(at::UploadEnd how) {
        if (how == at::UploadEnd::Timeout) {
            ctx_.logger.log(LogLevel::Info,
                            fmt::format("QFUPL {}: no byte for the timeout, {} bytes kept",
                                        name_.display(), data_.size()));
        }
        // The phase is over before the line goes on: a later command may open another one.
        // The modem holds this session alive for the duration of this call.
        ctx_.data_sink = nullptr;
        auto stored = ctx_.files.upload_complete(name_, data_);
        if (!stored) {
            ctx_.dispatcher.finish_pending(file_error(stored.error()));
            return;
        }
        ctx_.responder.info(
            fmt::format("+QFUPL: {},{}", stored->size, ufs::checksum_text(stored->checksum)));
        ctx_.dispatcher.finish_pending(Outcome::ok());
    }

    ModemContext& ctx_;
    ufs::FileName name_;
    bool ack_mode_;
    Bytes data_;
};

Outcome upload(ModemContext& ctx, const Args& args) {
    const std::int64_t size = args.has(1) ? args.integer(1) : kDefaultUploadSize;
    const std::int64_t timeout = args.has(2) ? args.integer(2) : kDefaultUploadTimeoutSeconds;
    auto name = ctx.files.check_upload(args.text(0), size);
    if (!name) {
        return file_error(name.error());
    }
    auto session = std::make_shared<Upload>(ctx, *name, args.has(3) && args.integer(3) == 1);
    ctx.data_sink = [session](const at::FramerEvent& event) { session->on_event(event); };
    ctx.responder.connect();
    ctx.framer.expect_upload(static_cast<std::size_t>(size), std::chrono::seconds(timeout),
                             ctx.now);
    return Outcome::pending();
}

Outcome download(ModemContext& ctx, const Args& args) {
    auto content = ctx.files.download(args.text(0));
    if (!content) {
        return file_error(content.error());
    }
    ctx.responder.connect();
    ctx.responder.raw(content->data);
    ctx.responder.info(
        fmt::format("+QFDWL: {},{}", content->data.size(), ufs::checksum_text(content->checksum)));
    return Outcome::ok();
}

Outcome list(ModemContext& ctx, std::string_view pattern) {
    auto files = ctx.files.list(pattern);
    if (!files) {
        return file_error(files.error());
    }
    for (const ufs::FileInfo& file : *files) {
        ctx.responder.info(fmt::format("+QFLST: \"{}\",{}", file.name.display(), file.size));
    }
    return Outcome::ok();
}

Outcome remove(ModemContext& ctx, const Args& args) {
    auto removed = ctx.files.remove(args.text(0));
    return removed ? Outcome::ok() : file_error(removed.error());
}

}  // namespace

void add_file_commands(ModemContext& ctx) {
    constexpr auto kAnySize = std::numeric_limits<std::int32_t>::max();
    ctx.dispatcher.add({.name = "+QFUPL",
                        .params = {{"filename", QuotedString{kMaxNameParam}},
                                   {"file_size", IntRange{0, kAnySize}, true},
                                   {"timeout", IntRange{1, 65535}, true},
                                   {"ackmode", IntRange{0, 1}, true}},
                        .write = [&ctx](const Args& args) { return upload(ctx, args); }});
    ctx.dispatcher.add({.name = "+QFDWL",
                        .params = {{"filename", QuotedString{kMaxNameParam}}},
                        .write = [&ctx](const Args& args) { return download(ctx, args); }});
    ctx.dispatcher.add({.name = "+QFLST",
                        .params = {{"filename", QuotedString{kMaxNameParam}}},
                        .execute = [&ctx](const Args&) { return list(ctx, "*"); },
                        .write = [&ctx](const Args& args) { return list(ctx, args.text(0)); }});
    ctx.dispatcher.add({.name = "+QFDEL",
                        .params = {{"filename", QuotedString{kMaxNameParam}}},
                        .write = [&ctx](const Args& args) { return remove(ctx, args); }});
}

}  // namespace atcoap::modem

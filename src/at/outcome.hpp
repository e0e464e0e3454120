#pragma once
// What a command handler returns: a final result, or a data phase that the modem opens, feeds
// and ends (docs/DIALECT.md §3 for the `> ` payload, §5 for a CONNECT upload). The phase object
// owns whatever the command keeps while its data comes in, and ends with the command's result.

#include <cstddef>
#include <memory>
#include <string>
#include <variant>

#include "at/framer_events.hpp"
#include "base/bytes.hpp"
#include "base/time.hpp"

namespace atcoap::at {

/// Standard +CME error codes used by the general commands (3GPP TS 27.007 §9.2).
namespace cme {
inline constexpr int kOperationNotAllowed = 3;
inline constexpr int kOperationNotSupported = 4;
inline constexpr int kIncorrectParameters = 50;
}  // namespace cme

/// A `> ` phase of exactly `length` bytes of any value.
struct PromptExact {
    std::size_t length = 0;
};
/// A `> ` phase ended by Ctrl+Z, or cancelled by ESC; more than `max_length` bytes is an error.
struct PromptUntilCtrlZ {
    std::size_t max_length = 0;
};
/// A CONNECT upload of `size` bytes; its inactivity timeout runs from the CONNECT.
struct UploadBytes {
    std::size_t size = 0;
    Duration inactivity_timeout{};
};
/// What the framer reads during a phase, and so which intermediate result opens it.
using PhaseInput = std::variant<PromptExact, PromptUntilCtrlZ, UploadBytes>;

class Outcome;

/// The data phase of one command. The modem writes its intermediate result (`> ` or CONNECT),
/// switches the framer to input(), hands it the phase's data and, at the framer's closing
/// event, calls finish() for the command's final result; then the rest of the line runs.
class DataPhase {
  public:
    DataPhase() = default;
    DataPhase(const DataPhase&) = delete;
    DataPhase& operator=(const DataPhase&) = delete;
    virtual ~DataPhase() = default;

    virtual PhaseInput input() const = 0;
    /// Bytes of an upload as they become certain (a `> ` payload comes whole to finish()).
    virtual void on_upload_data(ByteView chunk) { (void)chunk; }
    /// The closing event: PromptData, PromptCancelled, PromptOverflow or UploadFinished.
    virtual Outcome finish(const FramerEvent& end, TimePoint now) = 0;
};

/// What a handler did: finished (OK or an error with its reason for the log), or opened a
/// data phase whose end gives the final result.
class Outcome {
  public:
    enum class Kind { Ok, Error, DataPhase };

    static Outcome ok() { return Outcome(Kind::Ok); }
    static Outcome error(std::string why) {
        Outcome out(Kind::Error);
        out.reason_ = std::move(why);
        return out;
    }
    static Outcome cme_error(int code, std::string text, std::string why) {
        Outcome out = error(std::move(why));
        out.cme_code_ = code;
        out.cme_text_ = std::move(text);
        return out;
    }
    static Outcome incorrect_parameters(std::string why) {
        return cme_error(cme::kIncorrectParameters, "Incorrect parameters", std::move(why));
    }
    static Outcome data_phase(std::unique_ptr<DataPhase> phase) {
        Outcome out(Kind::DataPhase);
        out.phase_ = std::move(phase);
        return out;
    }

    Kind kind() const { return kind_; }
    bool is_ok() const { return kind_ == Kind::Ok; }
    int cme_code() const { return cme_code_; }  // 0: plain ERROR whatever the style
    const std::string& cme_text() const { return cme_text_; }
    const std::string& reason() const { return reason_; }
    /// The phase a DataPhase outcome opened, handed over once.
    std::unique_ptr<DataPhase> take_phase() { return std::move(phase_); }

  private:
    explicit Outcome(Kind kind) : kind_(kind) {}

    Kind kind_;
    int cme_code_ = 0;
    std::string cme_text_;
    std::string reason_;
    std::unique_ptr<DataPhase> phase_;
};

}  // namespace atcoap::at

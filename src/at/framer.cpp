#include "at/framer.hpp"

namespace atcoap::at {
namespace {

constexpr std::uint8_t kCr = '\r';
constexpr std::uint8_t kLf = '\n';
constexpr std::uint8_t kBackspace = 0x08;

}  // namespace

void Framer::feed(ByteView bytes, TimePoint now) {
    input_.push(bytes, now);
}

std::optional<FramerEvent> Framer::next(TimePoint now) {
    switch (mode_) {
        case Mode::Command:
            return next_command();
        case Mode::Prompt: {
            swallow_terminator_lf();
            std::optional<FramerEvent> event = prompt_.next(input_, echo_on_ ? &echo_ : nullptr);
            if (event) {
                mode_ = Mode::Command;
            }
            return event;
        }
        case Mode::Upload: {
            // An LF that comes after the upload timed out belongs to command mode.
            if (!input_.empty() && upload_.open_at(input_.peek_time())) {
                swallow_terminator_lf();
            }
            std::optional<FramerEvent> event = upload_.next(input_, now);
            if (event && std::holds_alternative<UploadFinished>(*event)) {
                mode_ = Mode::Command;
            }
            return event;
        }
    }
    return std::nullopt;
}

std::optional<TimePoint> Framer::next_deadline() const {
    if (mode_ != Mode::Upload) {
        return std::nullopt;
    }
    return upload_.deadline();
}

Bytes Framer::take_echo() {
    Bytes out = std::move(echo_);
    echo_.clear();
    return out;
}

void Framer::expect_prompt_data(std::size_t exact_length) {
    prompt_.expect_exact(exact_length);
    enter_data_phase(Mode::Prompt);
}

void Framer::expect_prompt_until_ctrl_z(std::size_t max_length) {
    prompt_.expect_until_ctrl_z(max_length);
    enter_data_phase(Mode::Prompt);
}

void Framer::expect_upload(std::size_t size, Duration inactivity_timeout, TimePoint now) {
    upload_.start(size, inactivity_timeout, now);
    enter_data_phase(Mode::Upload);
}

std::size_t Framer::retained_capacity() const {
    return input_.capacity() + line_.capacity() + prompt_.capacity() + upload_.capacity();
}

void Framer::drop_input() {
    input_.consume(input_.size());
    echo_.clear();
    after_line_cr_ = false;
    enter_data_phase(Mode::Command);
}

// A data phase starts on a fresh line: a partial line (only possible if the consumer switches
// modes at an odd moment) is dropped.
void Framer::enter_data_phase(Mode mode) {
    mode_ = mode;
    line_state_ = LineState::Seeking;
    line_.clear();
}

std::optional<FramerEvent> Framer::next_command() {
    while (!input_.empty()) {
        const ByteView unread = input_.unread();
        std::size_t used = 0;
        std::optional<FramerEvent> event;
        while (used < unread.size() && !event) {
            event = command_byte(unread[used]);
            ++used;
        }
        input_.consume(used);
        if (event) {
            return event;
        }
    }
    return std::nullopt;
}

std::optional<FramerEvent> Framer::command_byte(std::uint8_t byte) {
    note_byte_after_line(byte);
    if (byte == kLf) {
        return std::nullopt;  // ignored and not echoed (docs/DIALECT.md §1)
    }
    if (echo_on_) {
        echo_.push_back(byte);
    }
    switch (line_state_) {
        case LineState::Seeking:
            seek_prefix(byte);
            return std::nullopt;
        case LineState::GotA:
            continue_prefix(byte);
            return std::nullopt;
        case LineState::InLine:
            return line_byte(byte);
        case LineState::TooLong:
            if (byte == kCr) {
                end_line();
                return LineTooLong{};
            }
            return std::nullopt;
    }
    return std::nullopt;
}

// Noise before a prefix is dropped (V.250 §5.2.1); CR ends a line that never started, silently.
void Framer::seek_prefix(std::uint8_t byte) {
    if (byte == 'A' || byte == 'a') {
        prefix_a_ = static_cast<char>(byte);
        line_state_ = LineState::GotA;
    }
}

void Framer::continue_prefix(std::uint8_t byte) {
    const char expected_t = prefix_a_ == 'A' ? 'T' : 't';
    if (byte == static_cast<std::uint8_t>(expected_t)) {
        line_.assign({prefix_a_, expected_t});
        line_state_ = LineState::InLine;
        return;
    }
    line_state_ = LineState::Seeking;
    if (byte != kBackspace) {  // BS deletes the pending `A`; anything else may start anew
        seek_prefix(byte);
    }
}

std::optional<FramerEvent> Framer::line_byte(std::uint8_t byte) {
    if (byte == kCr) {
        end_line();
        // A copy, not a move: line_ keeps its reserved capacity for the next line.
        return std::optional<FramerEvent>{std::in_place, CommandLine{line_}};
    }
    if (byte == kBackspace) {
        if (line_.size() > 2) {  // the `AT` prefix stays
            line_.pop_back();
        }
        return std::nullopt;
    }
    if (line_.size() == kMaxLineLength) {
        line_.clear();
        line_state_ = LineState::TooLong;
        return std::nullopt;
    }
    // No reserve up front: lines are mostly tens of bytes, and a fleet holds thousands of
    // framers. The string grows geometrically and keeps its capacity from line to line.
    line_.push_back(static_cast<char>(byte));
    return std::nullopt;
}

void Framer::end_line() {
    line_state_ = LineState::Seeking;
    after_line_cr_ = true;
}

void Framer::note_byte_after_line(std::uint8_t byte) {
    if (!after_line_cr_) {
        return;
    }
    after_line_cr_ = false;
    if (byte == kLf) {
        ++stats_.crlf_lines;
    } else {
        ++stats_.bare_cr_lines;
    }
}

// CR LF is one terminator (docs/DIALECT.md §1): the LF after the opening command's CR is not data.
void Framer::swallow_terminator_lf() {
    if (!after_line_cr_ || input_.empty()) {
        return;
    }
    after_line_cr_ = false;
    if (input_.peek() == kLf) {
        input_.consume(1);
        ++stats_.data_lf_swallowed;
    } else {
        ++stats_.bare_cr_lines;
    }
}

}  // namespace atcoap::at

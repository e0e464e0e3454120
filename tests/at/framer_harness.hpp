#pragma once
// A scripted host and dispatcher around the AT framer, for tests: feeds writes at virtual
// times, drains events the way the modem does (one at a time, switching modes in between),
// fires the upload's deadlines, and records a transcript that can be compared across splits.

#include <gtest/gtest.h>

#include <charconv>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "at/framer.hpp"

namespace atcoap::at::testing {

/// Printable ASCII stays, everything else becomes \xHH, so transcripts read well on failure.
inline std::string escaped(ByteView bytes) {
    std::string out;
    for (const std::uint8_t b : bytes) {
        if (b >= 0x20 && b < 0x7F && b != '\\') {
            out.push_back(static_cast<char>(b));
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(b));
            out += hex;
        }
    }
    return out;
}

inline std::string escaped(std::string_view text) {
    return escaped(as_bytes(text));
}

struct Transcript {
    std::vector<std::string> events;
    std::string echo;
    std::string stats;
    bool operator==(const Transcript&) const = default;
};

inline void PrintTo(const Transcript& t, std::ostream* os) {
    *os << "events:";
    for (const std::string& e : t.events) {
        *os << "\n  " << e;
    }
    *os << "\necho: " << escaped(t.echo) << "\nstats: " << t.stats;
}

/// One host write at a virtual time.
struct Step {
    TimePoint at;
    std::string bytes;
};

/// Reacts like a tiny dispatcher: `AT+SEND=<n>` opens a fixed-length prompt, `AT+SEND` one
/// ended by Ctrl+Z (at most 1024 bytes), `AT+UPL=<size>,<timeout ms>` an upload, `ATE0`/`ATE1`
/// switch echo. Other lines are only recorded.
class Host {
  public:
    explicit Host(bool wake_at_deadlines = true) : wake_(wake_at_deadlines) {}

    void send(std::string_view bytes, TimePoint at) {
        wake_until(at);
        framer_.feed(as_bytes(bytes), at);
        drain(at);
    }

    /// Lets virtual time run to `at` with no more input.
    void finish(TimePoint at) {
        wake_until(at);
        drain(at);
    }

    Transcript transcript() {
        collect_echo();
        const TerminatorStats& s = framer_.terminator_stats();
        transcript_.stats = "crlf=" + std::to_string(s.crlf_lines) +
                            " bare=" + std::to_string(s.bare_cr_lines) +
                            " swallowed=" + std::to_string(s.data_lf_swallowed);
        return transcript_;
    }

    Framer& framer() { return framer_; }

  private:
    void wake_until(TimePoint at) {
        for (int guard = 0; wake_ && guard < 1000; ++guard) {
            const std::optional<TimePoint> deadline = framer_.next_deadline();
            if (!deadline || *deadline > at) {
                return;
            }
            drain(*deadline);
        }
    }

    void drain(TimePoint now) {
        for (int guard = 0; guard < 1'000'000; ++guard) {
            std::optional<FramerEvent> event = framer_.next(now);
            collect_echo();
            if (!event) {
                return;
            }
            record(*event, now);
        }
        ADD_FAILURE() << "the framer never stopped producing events";
    }

    void collect_echo() {
        const Bytes echo = framer_.take_echo();
        transcript_.echo.append(as_text(echo));
    }

    void record(const FramerEvent& event, TimePoint now) {
        std::vector<std::string>& events = transcript_.events;
        if (const auto* line = std::get_if<CommandLine>(&event)) {
            events.push_back("line:" + escaped(line->text));
            react(line->text, now);
        } else if (std::holds_alternative<LineTooLong>(event)) {
            events.push_back("too-long");
        } else if (const auto* data = std::get_if<PromptData>(&event)) {
            events.push_back("prompt:" + escaped(data->payload));
        } else if (std::holds_alternative<PromptCancelled>(event)) {
            events.push_back("cancelled");
        } else if (std::holds_alternative<PromptOverflow>(event)) {
            events.push_back("overflow");
        } else if (const auto* chunk = std::get_if<UploadData>(&event)) {
            EXPECT_FALSE(chunk->chunk.empty()) << "an upload chunk is never empty";
            // Chunk boundaries depend on the writes: adjacent chunks are merged.
            if (events.empty() || events.back().rfind("upload:", 0) != 0) {
                events.emplace_back("upload:");
            }
            events.back() += escaped(chunk->chunk);
        } else if (const auto* end = std::get_if<UploadFinished>(&event)) {
            static constexpr const char* kNames[] = {"size", "timeout", "escape"};
            events.push_back(std::string("upload-end:") + kNames[static_cast<int>(end->how)]);
        }
    }

    void react(std::string_view text, TimePoint now) {
        if (text == "ATE0" || text == "ATE1") {
            framer_.set_echo(text == "ATE1");
        } else if (text == "AT+SEND") {
            framer_.expect_prompt_until_ctrl_z(1024);
        } else if (text.rfind("AT+SEND=", 0) == 0) {
            if (const auto n = number(text.substr(8))) {
                framer_.expect_prompt_data(*n);
            }
        } else if (text.rfind("AT+UPL=", 0) == 0) {
            const std::string_view args = text.substr(7);
            const std::size_t comma = args.find(',');
            const auto size = number(args.substr(0, comma));
            const auto ms =
                comma == std::string_view::npos ? std::nullopt : number(args.substr(comma + 1));
            if (size && ms) {
                framer_.expect_upload(*size, Duration{*ms}, now);
            }
        }
    }

    static std::optional<std::size_t> number(std::string_view text) {
        std::size_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size() || value > 1'000'000) {
            return std::nullopt;
        }
        return value;
    }

    bool wake_;
    Framer framer_;
    Transcript transcript_;
};

/// Plays `steps`, each cut at the positions listed for it (ascending), then lets time run to
/// `end`.
inline Transcript replay(const std::vector<Step>& steps, TimePoint end,
                         const std::vector<std::vector<std::size_t>>& cuts, bool wake) {
    Host host(wake);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::string_view bytes = steps[i].bytes;
        std::size_t from = 0;
        if (i < cuts.size()) {
            for (const std::size_t cut : cuts[i]) {
                host.send(bytes.substr(from, cut - from), steps[i].at);
                from = cut;
            }
        }
        host.send(bytes.substr(from), steps[i].at);
    }
    host.finish(end);
    return host.transcript();
}

inline Transcript replay(const std::vector<Step>& steps, TimePoint end) {
    return replay(steps, end, {}, true);
}

/// Replays `steps` whole, without deadline wake-ups, cut in two at every position of every
/// step, and byte by byte; every run must give the same transcript. Returns that transcript.
inline Transcript expect_same_at_every_split(const std::vector<Step>& steps, TimePoint end) {
    const Transcript whole = replay(steps, end);
    EXPECT_EQ(replay(steps, end, {}, false), whole) << "without deadline wake-ups";
    std::vector<std::vector<std::size_t>> every_byte(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        for (std::size_t cut = 1; cut < steps[i].bytes.size(); ++cut) {
            every_byte[i].push_back(cut);
            std::vector<std::vector<std::size_t>> cuts(steps.size());
            cuts[i] = {cut};
            const Transcript split = replay(steps, end, cuts, true);
            if (split != whole) {
                ADD_FAILURE() << "step " << i << " cut at " << cut << " differs:\n"
                              << ::testing::PrintToString(split) << "\nexpected:\n"
                              << ::testing::PrintToString(whole);
                return whole;
            }
        }
    }
    EXPECT_EQ(replay(steps, end, every_byte, true), whole) << "byte by byte";
    EXPECT_EQ(replay(steps, end, every_byte, false), whole) << "byte by byte, no wake-ups";
    return whole;
}

}  // namespace atcoap::at::testing

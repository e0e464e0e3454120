#include "ufs/pattern.hpp"

#include <cstddef>

namespace atcoap::ufs {

// Linear backtracking: on a mismatch, go back to the last '*' and let it swallow one more
// byte. Each '*' only ever moves forward, so the cost stays O(pattern × text) at worst.
bool glob_match(std::string_view pattern, std::string_view text, std::size_t* steps) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    std::size_t taken = 0;
    bool matched = true;
    while (t < text.size()) {
        ++taken;
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            matched = false;
            break;
        }
    }
    while (matched && p < pattern.size() && pattern[p] == '*') {
        ++taken;
        ++p;
    }
    if (steps != nullptr) {
        *steps = taken;
    }
    return matched && p == pattern.size();
}

bool pattern_matches(std::string_view pattern, const FileName& name) {
    return glob_match(strip_drive_prefix(pattern), name.bare());
}

bool names_every_file(std::string_view text) {
    return strip_drive_prefix(text) == "*";
}

}  // namespace atcoap::ufs

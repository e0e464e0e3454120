#include "ufs/file_name.hpp"

#include <algorithm>
#include <string>

namespace atcoap::ufs {
namespace {

char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

// The first reason a byte of the name makes it unusable, if any.
bool bad_byte(char c, NameError& why) {
    if (c == '/' || c == '\\') {
        why = NameError::Separator;
        return true;
    }
    if (is_control(c)) {
        why = NameError::ControlByte;
        return true;
    }
    if (c == ':' || c == '*' || c == '?' || c == '"') {
        why = NameError::ReservedByte;
        return true;
    }
    return false;
}

// Built once from the limit, so the text can never disagree with it.
std::string_view too_long_text() {
    static const std::string text = "is longer than " + std::to_string(kMaxNameBytes) + " bytes";
    return text;
}

}  // namespace

std::string_view describe(NameError error) {
    switch (error) {
        case NameError::Empty:
            return "is empty";
        case NameError::TooLong:
            return too_long_text();
        case NameError::Separator:
            return "contains '/' or '\\'";
        case NameError::ControlByte:
            return "contains NUL or another control byte";
        case NameError::DotName:
            return "is '.' or '..'";
        case NameError::LeadingDot:
            return "starts with '.'";
        case NameError::ReservedByte:
            return "contains ':', '*', '?' or '\"'";
    }
    return "is invalid";
}

std::string FileName::display() const {
    std::string text(kDrivePrefix);
    text += name_;
    return text;
}

std::string_view strip_drive_prefix(std::string_view text) {
    if (text.size() < kDrivePrefix.size()) {
        return text;
    }
    const bool has_prefix =
        std::equal(kDrivePrefix.begin(), kDrivePrefix.end(), text.begin(),
                   [](char p, char t) { return lower_ascii(p) == lower_ascii(t); });
    return has_prefix ? text.substr(kDrivePrefix.size()) : text;
}

Result<FileName, NameError> parse_name(std::string_view text) {
    const std::string_view name = strip_drive_prefix(text);
    if (name.empty()) {
        return fail(NameError::Empty);
    }
    if (name.size() > kMaxNameBytes) {
        return fail(NameError::TooLong);
    }
    NameError why{};
    for (const char c : name) {
        if (bad_byte(c, why)) {
            return fail(why);
        }
    }
    if (name == "." || name == "..") {
        return fail(NameError::DotName);
    }
    if (name.front() == '.') {
        return fail(NameError::LeadingDot);
    }
    return FileName(std::string(name));
}

}  // namespace atcoap::ufs

#pragma once
// The FILE error codes of Quectel's file commands (docs/DIALECT.md §2: `+CME ERROR: 400`..`426`)
// and the error value every UFS operation fails with.

#include <string>
#include <string_view>

namespace atcoap::ufs {

/// Quectel's FILE result codes; the enumerator's value is the number `+CME ERROR:` prints.
enum class FileError {
    InvalidInput = 400,
    LargerThanFile = 401,
    ReadZeroByte = 402,
    DriveFull = 403,
    NotFound = 405,
    InvalidName = 406,
    AlreadyExists = 407,
    WriteFailed = 409,
    OpenFailed = 410,
    ReadFailed = 411,
    TooManyOpen = 413,
    ReadOnly = 414,
    InvalidDescriptor = 416,
    ListFailed = 417,
    DeleteFailed = 418,
    DiskInfoFailed = 419,
    NoSpace = 420,
    TimedOut = 421,
    TooLarge = 423,
    InvalidParameter = 425,
    AlreadyOpen = 426,
};

/// The number printed by `+CME ERROR: <n>` with AT+CMEE=1.
int error_code(FileError error);

/// The text printed by `+CME ERROR: <text>` with AT+CMEE=2 (docs/DIALECT.md §7: Quectel's wording,
/// e.g. "file not found" for 405).
std::string_view error_text(FileError error);

/// Why a UFS operation failed: the code the AT port shows and a one-line detail for the log
/// (docs/DIALECT.md §2: every error is explained in the log; the port itself stays byte-faithful).
struct StoreError {
    FileError code;
    std::string detail;
};

}  // namespace atcoap::ufs

#include "ufs/file_error.hpp"

namespace atcoap::ufs {

int error_code(FileError error) {
    return static_cast<int>(error);
}

std::string_view error_text(FileError error) {
    switch (error) {
        case FileError::InvalidInput:
            return "invalid input value";
        case FileError::LargerThanFile:
            return "larger than the size of the file";
        case FileError::ReadZeroByte:
            return "read zero byte";
        case FileError::DriveFull:
            return "drive full";
        case FileError::NotFound:
            return "file not found";
        case FileError::InvalidName:
            return "invalid file name";
        case FileError::AlreadyExists:
            return "file already existed";
        case FileError::WriteFailed:
            return "fail to write the file";
        case FileError::OpenFailed:
            return "fail to open the file";
        case FileError::ReadFailed:
            return "fail to read the file";
        case FileError::TooManyOpen:
            return "reach the max number of file allowed to be opened";
        case FileError::ReadOnly:
            return "the file read-only";
        case FileError::InvalidDescriptor:
            return "invalid file descriptor";
        case FileError::ListFailed:
            return "fail to list the file";
        case FileError::DeleteFailed:
            return "fail to delete the file";
        case FileError::DiskInfoFailed:
            return "fail to get disk info";
        case FileError::NoSpace:
            return "no space";
        case FileError::TimedOut:
            return "time out";
        case FileError::TooLarge:
            return "file too large";
        case FileError::InvalidParameter:
            return "invalid parameter";
        case FileError::AlreadyOpen:
            return "file already opened";
    }
    return "unknown error";
}

}  // namespace atcoap::ufs

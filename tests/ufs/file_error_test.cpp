#include "ufs/file_error.hpp"

#include <gtest/gtest.h>

namespace atcoap::ufs {
namespace {

TEST(FileError, CarriesQuectelsNumbers) {
    EXPECT_EQ(error_code(FileError::InvalidInput), 400);
    EXPECT_EQ(error_code(FileError::DriveFull), 403);
    EXPECT_EQ(error_code(FileError::NotFound), 405);
    EXPECT_EQ(error_code(FileError::InvalidName), 406);
    EXPECT_EQ(error_code(FileError::AlreadyExists), 407);
    EXPECT_EQ(error_code(FileError::WriteFailed), 409);
    EXPECT_EQ(error_code(FileError::TooLarge), 423);
    EXPECT_EQ(error_code(FileError::AlreadyOpen), 426);
}

TEST(FileError, HasQuectelsVerboseTexts) {
    EXPECT_EQ(error_text(FileError::NotFound), "file not found");
    EXPECT_EQ(error_text(FileError::AlreadyExists), "file already existed");
    EXPECT_EQ(error_text(FileError::InvalidName), "invalid file name");
    EXPECT_EQ(error_text(FileError::InvalidInput), "invalid input value");
    EXPECT_EQ(error_text(FileError::DriveFull), "drive full");
    EXPECT_EQ(error_text(FileError::TooLarge), "file too large");
}

TEST(FileError, GivesEveryCodeItsOwnText) {
    const FileError all[] = {
        FileError::InvalidInput,      FileError::LargerThanFile,   FileError::ReadZeroByte,
        FileError::DriveFull,         FileError::NotFound,         FileError::InvalidName,
        FileError::AlreadyExists,     FileError::WriteFailed,      FileError::OpenFailed,
        FileError::ReadFailed,        FileError::TooManyOpen,      FileError::ReadOnly,
        FileError::InvalidDescriptor, FileError::ListFailed,       FileError::DeleteFailed,
        FileError::DiskInfoFailed,    FileError::NoSpace,          FileError::TimedOut,
        FileError::TooLarge,          FileError::InvalidParameter, FileError::AlreadyOpen};
    for (FileError a : all) {
        EXPECT_NE(error_text(a), "unknown error") << error_code(a);
        for (FileError b : all) {
            if (a != b) {
                EXPECT_NE(error_text(a), error_text(b));
            }
        }
    }
}

}  // namespace
}  // namespace atcoap::ufs

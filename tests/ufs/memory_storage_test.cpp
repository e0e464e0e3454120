#include <gtest/gtest.h>

#include "ufs/storage.hpp"

namespace atcoap::ufs {
namespace {

FileName file(std::string_view text) {
    return parse_name(text).value();
}

TEST(MemoryStorage, StartsEmpty) {
    MemoryStorage storage;
    EXPECT_TRUE(storage.list()->empty());
    EXPECT_EQ(*storage.used_bytes(), 0U);
}

TEST(MemoryStorage, ReadsBackWhatWasWritten) {
    MemoryStorage storage;
    ASSERT_TRUE(storage.write_new(file("a"), as_bytes("hello")).ok());
    auto data = storage.read(file("a"));
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(as_text(*data), "hello");
}

TEST(MemoryStorage, ListsFilesSortedByName) {
    MemoryStorage storage;
    ASSERT_TRUE(storage.write_new(file("b"), as_bytes("22")).ok());
    ASSERT_TRUE(storage.write_new(file("a"), as_bytes("1")).ok());
    ASSERT_TRUE(storage.write_new(file("c"), as_bytes("")).ok());
    const std::vector<FileInfo> expected = {{file("a"), 1}, {file("b"), 2}, {file("c"), 0}};
    EXPECT_EQ(*storage.list(), expected);
    EXPECT_EQ(*storage.used_bytes(), 3U);
}

TEST(MemoryStorage, NeverReplacesAnExistingFile) {
    MemoryStorage storage;
    ASSERT_TRUE(storage.write_new(file("a"), as_bytes("old")).ok());
    auto again = storage.write_new(file("a"), as_bytes("new"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, FileError::AlreadyExists);
    EXPECT_EQ(as_text(*storage.read(file("a"))), "old");
}

TEST(MemoryStorage, ReportsMissingFilesAsNotFound) {
    MemoryStorage storage;
    EXPECT_EQ(storage.read(file("x")).error().code, FileError::NotFound);
    EXPECT_EQ(storage.remove(file("x")).error().code, FileError::NotFound);
}

TEST(MemoryStorage, RemovesOneOrAllFiles) {
    MemoryStorage storage;
    ASSERT_TRUE(storage.write_new(file("a"), as_bytes("1")).ok());
    ASSERT_TRUE(storage.write_new(file("b"), as_bytes("2")).ok());
    ASSERT_TRUE(storage.remove(file("a")).ok());
    ASSERT_EQ(storage.list()->size(), 1U);
    EXPECT_EQ(storage.list()->front().name, file("b"));
    ASSERT_TRUE(storage.remove_all().ok());
    EXPECT_TRUE(storage.list()->empty());
    EXPECT_TRUE(storage.remove_all().ok());
}

TEST(MemoryStorage, FailsOnceWithAnInjectedErrorAndChangesNothing) {
    MemoryStorage storage;
    storage.inject_failure({FileError::WriteFailed, "disk on fire"});
    auto write = storage.write_new(file("a"), as_bytes("1"));
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().code, FileError::WriteFailed);
    EXPECT_EQ(write.error().detail, "disk on fire");
    EXPECT_TRUE(storage.list()->empty());
    EXPECT_TRUE(storage.write_new(file("a"), as_bytes("1")).ok());
}

}  // namespace
}  // namespace atcoap::ufs

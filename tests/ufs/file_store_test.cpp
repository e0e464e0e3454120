#include "ufs/file_store.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ufs/checksum.hpp"

namespace atcoap::ufs {
namespace {

FileError code_of(const StoreError& error) {
    return error.code;
}

// Uploads through both steps as AT+QFUPL does.
Result<FileDigest, StoreError> upload(FileStore& store, std::string_view name,
                                      std::string_view data) {
    auto checked = store.check_upload(name, static_cast<std::int64_t>(data.size()));
    if (!checked) {
        return fail(checked.error());
    }
    return store.upload_complete(*checked, as_bytes(data));
}

TEST(FileStore, UploadsAPskFileAndReportsSizeAndChecksum) {
    MemoryStorage storage;
    FileStore store(storage);
    auto digest = upload(store, "UFS:0_server.psk", "abc");
    ASSERT_TRUE(digest.ok()) << digest.error().detail;
    EXPECT_EQ(*digest, (FileDigest{3, 0x0262}));
    EXPECT_EQ(as_text(*store.read("0_server.psk")), "abc");
}

TEST(FileStore, RefusesAnInvalidNameWith406AndSaysWhy) {
    MemoryStorage storage;
    FileStore store(storage);
    auto checked = store.check_upload("../etc/passwd", 10);
    ASSERT_FALSE(checked.ok());
    EXPECT_EQ(code_of(checked.error()), FileError::InvalidName);
    EXPECT_NE(checked.error().detail.find("'/'"), std::string::npos) << checked.error().detail;
}

TEST(FileStore, LogDetailKeepsControlBytesOnOneLine) {
    MemoryStorage storage;
    FileStore store(storage);
    auto named = store.name("a\r\nb");
    ASSERT_FALSE(named.ok());
    EXPECT_EQ(named.error().detail.find('\n'), std::string::npos);
    EXPECT_NE(named.error().detail.find("\\0D\\0A"), std::string::npos) << named.error().detail;
}

TEST(FileStore, AcceptsUploadSizesFromOneTo10485760Only) {
    MemoryStorage storage;
    FileStore store(storage);
    EXPECT_TRUE(store.check_upload("a", 1).ok());
    EXPECT_TRUE(store.check_upload("a", 10485760).ok());
    for (std::int64_t size : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{10485761}}) {
        auto checked = store.check_upload("a", size);
        ASSERT_FALSE(checked.ok()) << size;
        EXPECT_EQ(code_of(checked.error()), FileError::InvalidInput) << size;
        EXPECT_EQ(checked.error().detail,
                  "upload size " + std::to_string(size) + " is not in 1-10485760");
    }
}

TEST(FileStore, RefusesAnExistingNameWith407BeforeAndAfterTheData) {
    MemoryStorage storage;
    FileStore store(storage);
    ASSERT_TRUE(upload(store, "a", "1").ok());
    EXPECT_EQ(code_of(store.check_upload("UFS:a", 5).error()), FileError::AlreadyExists);
    auto late = store.upload_complete(parse_name("a").value(), as_bytes("2"));
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(code_of(late.error()), FileError::AlreadyExists);
    EXPECT_EQ(as_text(*store.read("a")), "1");
}

TEST(FileStore, StoresFewerBytesThanAnnouncedAndEvenNone) {
    MemoryStorage storage;
    FileStore store(storage);
    auto name = store.check_upload("short", 10240);
    ASSERT_TRUE(name.ok());
    EXPECT_EQ(*store.upload_complete(*name, as_bytes("xy")), (FileDigest{2, 0x7879}));
    auto empty = store.check_upload("empty", 10240);
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(*store.upload_complete(*empty, {}), (FileDigest{0, 0}));
    EXPECT_EQ(store.list("*")->size(), 2U);
}

TEST(FileStore, RefusesDataBeyondTheUploadLimitWith423) {
    MemoryStorage storage;
    FileStore store(storage);
    const Bytes big(static_cast<std::size_t>(kMaxUploadBytes) + 1, 0x55);
    auto result = store.upload_complete(parse_name("big").value(), big);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(code_of(result.error()), FileError::TooLarge);
}

TEST(FileStore, RefusesWhatDoesNotFitWith403) {
    MemoryStorage storage;
    FileStore store(storage, 10);
    ASSERT_TRUE(upload(store, "a", "123456").ok());
    auto too_much = upload(store, "b", "12345");
    ASSERT_FALSE(too_much.ok());
    EXPECT_EQ(code_of(too_much.error()), FileError::DriveFull);
    EXPECT_TRUE(upload(store, "b", "1234").ok());
    EXPECT_EQ(*store.free_bytes(), 0U);
    EXPECT_EQ(code_of(store.check_upload("c", 1).error()), FileError::DriveFull);
}

TEST(FileStore, HoldsSixtyFourMebibytesByDefault) {
    MemoryStorage storage;
    FileStore store(storage);
    EXPECT_EQ(store.capacity(), 67108864U);
    EXPECT_EQ(*store.free_bytes(), 67108864U);
}

TEST(FileStore, DownloadsContentWithItsChecksum) {
    MemoryStorage storage;
    FileStore store(storage);
    ASSERT_TRUE(upload(store, "f", "hello").ok());
    auto content = store.download("UFS:f");
    ASSERT_TRUE(content.ok());
    EXPECT_EQ(as_text(content->data), "hello");
    EXPECT_EQ(content->checksum, checksum(as_bytes("hello")));
    EXPECT_EQ(code_of(store.download("g").error()), FileError::NotFound);
    EXPECT_EQ(code_of(store.download("a/b").error()), FileError::InvalidName);
}

TEST(FileStore, ListsWhatAPatternSelectsInNameOrder) {
    MemoryStorage storage;
    FileStore store(storage);
    for (const char* name : {"1_server.psk", "0_server.psk", "notes.txt"}) {
        ASSERT_TRUE(upload(store, name, "x").ok());
    }
    EXPECT_EQ(store.list("*")->size(), 3U);
    EXPECT_EQ(store.list("UFS:*")->size(), 3U);
    auto psk = store.list("*.psk");
    ASSERT_EQ(psk->size(), 2U);
    EXPECT_EQ((*psk)[0].name.display(), "UFS:0_server.psk");
    EXPECT_EQ((*psk)[1].name.display(), "UFS:1_server.psk");
    EXPECT_TRUE(store.list("none")->empty());
}

TEST(FileStore, DeletesOneFileOrAll) {
    MemoryStorage storage;
    FileStore store(storage);
    ASSERT_TRUE(upload(store, "a", "1").ok());
    ASSERT_TRUE(upload(store, "b", "2").ok());
    ASSERT_TRUE(store.remove("UFS:a").ok());
    EXPECT_EQ(code_of(store.remove("a").error()), FileError::NotFound);
    EXPECT_EQ(code_of(store.remove("..").error()), FileError::InvalidName);
    ASSERT_TRUE(store.remove("*").ok());
    EXPECT_TRUE(store.list("*")->empty());
    EXPECT_TRUE(store.remove("UFS:*").ok());
}

TEST(FileStore, PassesStorageFailuresThrough) {
    MemoryStorage storage;
    FileStore store(storage);
    auto name = store.check_upload("a", 3);
    ASSERT_TRUE(name.ok());
    storage.inject_failure({FileError::NoSpace, "ENOSPC"});
    auto result = store.upload_complete(*name, as_bytes("abc"));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(code_of(result.error()), FileError::NoSpace);
    EXPECT_EQ(result.error().detail, "ENOSPC");
    EXPECT_TRUE(store.list("*")->empty());
}

}  // namespace
}  // namespace atcoap::ufs

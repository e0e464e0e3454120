#include "io/disk_storage.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "support/temp_dir.hpp"
#include "ufs/file_store.hpp"

namespace atcoap::io {
namespace {

namespace fs = std::filesystem;
using ufs::FileError;

using test::TempDir;

ufs::FileName file(std::string_view text) {
    return ufs::parse_name(text).value();
}

std::unique_ptr<DiskStorage> open_store(const fs::path& dir) {
    auto opened = DiskStorage::open(dir);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().detail);
    return opened.ok() ? std::move(opened).value() : nullptr;
}

void put_outside(const fs::path& path, std::string_view content) {
    std::ofstream(path, std::ios::binary) << content;
}

std::set<std::string> names_on_disk(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().filename() != kLockFileName) {
            names.insert(entry.path().filename().string());
        }
    }
    return names;
}

TEST(DiskStorage, CreatesItsDirectoryAndParents) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "a" / "b" / "ufs";
    auto store = open_store(dir);
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(fs::is_directory(dir));
    EXPECT_EQ(store->directory(), dir);
    EXPECT_TRUE(store->list()->empty());
}

TEST(DiskStorage, FailsToOpenWhereAFileIsInTheWay) {
    TempDir tmp;
    put_outside(tmp.path() / "plain", "x");
    auto opened = DiskStorage::open(tmp.path() / "plain");
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, FileError::OpenFailed);
    EXPECT_NE(opened.error().detail.find("plain"), std::string::npos) << opened.error().detail;
}

TEST(DiskStorage, WritesReadsAndListsFiles) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("b.psk"), as_bytes("22")).ok());
    ASSERT_TRUE(store->write_new(file("UFS:a.psk"), as_bytes("1")).ok());
    EXPECT_EQ(as_text(*store->read(file("a.psk"))), "1");
    const std::vector<ufs::FileInfo> expected = {{file("a.psk"), 1}, {file("b.psk"), 2}};
    EXPECT_EQ(*store->list(), expected);
    EXPECT_EQ(*store->used_bytes(), 3U);
}

TEST(DiskStorage, KeepsAFileByItsBareName) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("UFS:0_server.psk"), as_bytes("id&00")).ok());
    EXPECT_EQ(names_on_disk(tmp.path()), std::set<std::string>{"0_server.psk"});
}

TEST(DiskStorage, KeepsEveryByteValue) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    Bytes data;
    for (int round = 0; round < 4; ++round) {
        for (unsigned value = 0; value < 256; ++value) {
            data.push_back(static_cast<std::uint8_t>(value));
        }
    }
    ASSERT_TRUE(store->write_new(file("bin"), data).ok());
    EXPECT_EQ(*store->read(file("bin")), data);
    EXPECT_EQ(store->list()->front().size, 1024U);
}

TEST(DiskStorage, StoresAnEmptyFileAndALargeOne) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    const Bytes large(3 * 65536 + 17, 0xA5);
    ASSERT_TRUE(store->write_new(file("empty"), {}).ok());
    ASSERT_TRUE(store->write_new(file("large"), large).ok());
    EXPECT_TRUE(store->read(file("empty"))->empty());
    EXPECT_EQ(*store->read(file("large")), large);
}

TEST(DiskStorage, ReadsAFileOfTheUploadLimitButNeverOneLargerPutThereFromOutside) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    // Sparse files: the test reads at most 10 MiB however large the one refused is.
    fs::resize_file((put_outside(tmp.path() / "limit", ""), tmp.path() / "limit"),
                    ufs::kMaxUploadBytes);
    fs::resize_file((put_outside(tmp.path() / "huge", ""), tmp.path() / "huge"),
                    std::uintmax_t{1} << 40);
    EXPECT_EQ(store->read(file("limit"))->size(), static_cast<std::size_t>(ufs::kMaxUploadBytes));
    const auto huge = store->read(file("huge"));
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code, FileError::TooLarge);
    EXPECT_EQ(huge.error().detail,
              "UFS:huge holds 1099511627776 bytes, more than the 10485760 a file of the module "
              "may hold");
}

TEST(DiskStorage, RefusesAnExistingNameAndKeepsTheOldContent) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("a"), as_bytes("old")).ok());
    auto again = store->write_new(file("a"), as_bytes("new"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, FileError::AlreadyExists);
    EXPECT_EQ(as_text(*store->read(file("a"))), "old");
    EXPECT_EQ(names_on_disk(tmp.path()), std::set<std::string>{"a"});
}

TEST(DiskStorage, RefusesANameTakenFromOutsideEvenByANonFile) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    fs::create_directory(tmp.path() / "taken");
    auto write = store->write_new(file("taken"), as_bytes("x"));
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().code, FileError::AlreadyExists);
}

TEST(DiskStorage, LeavesNoTemporaryBehindAfterWrites) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("a"), as_bytes("1")).ok());
    ASSERT_FALSE(store->write_new(file("a"), as_bytes("2")).ok());
    ASSERT_TRUE(store->write_new(file("b"), as_bytes("3")).ok());
    EXPECT_EQ(names_on_disk(tmp.path()), (std::set<std::string>{"a", "b"}));
}

TEST(DiskStorage, KeepsFilesAcrossReopening) {
    TempDir tmp;
    {
        auto store = open_store(tmp.path());
        ASSERT_TRUE(store->write_new(file("kept"), as_bytes("data")).ok());
    }
    auto reopened = open_store(tmp.path());
    EXPECT_EQ(as_text(*reopened->read(file("kept"))), "data");
    EXPECT_EQ(reopened->leftovers_removed(), 0U);
}

TEST(DiskStorage, RemovesTemporariesACrashLeftAndNeverListsThem) {
    TempDir tmp;
    const std::string leftover = std::string(kTemporaryPrefix) + "4242-0";
    put_outside(tmp.path() / leftover, "half a fi");
    auto store = open_store(tmp.path());
    EXPECT_EQ(store->leftovers_removed(), 1U);
    EXPECT_FALSE(fs::exists(tmp.path() / leftover));
    EXPECT_TRUE(store->list()->empty());
}

TEST(DiskStorage, KeepsTheFileWhenACrashCameBetweenLinkAndUnlink) {
    TempDir tmp;
    {
        auto store = open_store(tmp.path());
        ASSERT_TRUE(store->write_new(file("whole"), as_bytes("complete")).ok());
    }
    const fs::path leftover = tmp.path() / (std::string(kTemporaryPrefix) + "7-3");
    fs::create_hard_link(tmp.path() / "whole", leftover);
    auto store = open_store(tmp.path());
    EXPECT_EQ(store->leftovers_removed(), 1U);
    EXPECT_EQ(as_text(*store->read(file("whole"))), "complete");
    EXPECT_EQ(names_on_disk(tmp.path()), std::set<std::string>{"whole"});
}

TEST(DiskStorage, TemporariesCanNeverBeNamedByAHost) {
    EXPECT_FALSE(ufs::parse_name(std::string(kTemporaryPrefix) + "1-1").ok());
    EXPECT_FALSE(ufs::parse_name("UFS:" + std::string(kTemporaryPrefix) + "1-1").ok());
}

TEST(DiskStorage, IgnoresEntriesThatAreNotFilesOfTheStore) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "ufs";
    auto store = open_store(dir);
    put_outside(dir / "good", "ok");
    put_outside(dir / ".hidden", "x");
    put_outside(dir / "RAM:x", "x");
    put_outside(dir / "UFS:good", "x");
    put_outside(dir / "a\\b", "x");
    put_outside(tmp.path() / "secret", "outside");
    fs::create_symlink(tmp.path() / "secret", dir / "link");
    fs::create_directory(dir / "sub");
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    const std::vector<ufs::FileInfo> expected = {{file("good"), 2}};
    EXPECT_EQ(*store->list(), expected);
    EXPECT_EQ(*store->used_bytes(), 2U);
    for (const char* name : {"link", "sub", "fifo"}) {
        auto read = store->read(file(name));
        ASSERT_FALSE(read.ok()) << name;
        EXPECT_EQ(read.error().code, FileError::NotFound) << name;
        EXPECT_EQ(store->remove(file(name)).error().code, FileError::NotFound) << name;
    }
    EXPECT_TRUE(fs::exists(tmp.path() / "secret"));
}

TEST(DiskStorage, RemovesOneFileAndReportsAMissingOne) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("a"), as_bytes("1")).ok());
    ASSERT_TRUE(store->write_new(file("b"), as_bytes("2")).ok());
    ASSERT_TRUE(store->remove(file("a")).ok());
    EXPECT_EQ(names_on_disk(tmp.path()), std::set<std::string>{"b"});
    auto again = store->remove(file("a"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, FileError::NotFound);
    EXPECT_EQ(store->read(file("a")).error().code, FileError::NotFound);
}

TEST(DiskStorage, RemovesAllItsFilesButNothingElse) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("a"), as_bytes("1")).ok());
    ASSERT_TRUE(store->write_new(file("b"), as_bytes("2")).ok());
    put_outside(tmp.path() / ".keep", "x");
    ASSERT_TRUE(store->remove_all().ok());
    EXPECT_TRUE(store->list()->empty());
    EXPECT_EQ(names_on_disk(tmp.path()), std::set<std::string>{".keep"});
    EXPECT_TRUE(store->remove_all().ok());
}

TEST(DiskStorage, ReportsAWriteFailureWithTheSystemsReason) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "gone";
    auto store = open_store(dir);
    fs::remove_all(dir);
    auto write = store->write_new(file("a"), as_bytes("1"));
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().code, FileError::WriteFailed);
    EXPECT_NE(write.error().detail.find("No such file or directory"), std::string::npos)
        << write.error().detail;
}

TEST(DiskStorage, CreatesFilesReadableByTheirOwnerOnly) {
    TempDir tmp;
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store->write_new(file("0_server.psk"), as_bytes("id:key")).ok());
    struct stat info {};
    ASSERT_EQ(::stat((tmp.path() / "0_server.psk").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST(DiskStorage, ASecondStoreOnOneDirectoryIsRefusedAndNamesTheHolder) {
    TempDir tmp;
    auto first = open_store(tmp.path());
    auto second = DiskStorage::open(tmp.path());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, FileError::OpenFailed);
    EXPECT_NE(second.error().detail.find(tmp.path().string() + " is in use by atcoap process " +
                                         std::to_string(::getpid())),
              std::string::npos)
        << second.error().detail;
}

TEST(DiskStorage, ARefusedStoreLeavesTheHoldersUploadsInProgressAlone) {
    TempDir tmp;
    auto first = open_store(tmp.path());
    const std::string in_progress = std::string(kTemporaryPrefix) + "4242-0";
    put_outside(tmp.path() / in_progress, "half an upload");
    ASSERT_FALSE(DiskStorage::open(tmp.path()).ok());
    EXPECT_TRUE(fs::exists(tmp.path() / in_progress));
}

TEST(DiskStorage, TheDirectoryOpensAgainOnceItsHolderIsGone) {
    TempDir tmp;
    open_store(tmp.path()).reset();
    auto again = open_store(tmp.path());
    EXPECT_NE(again, nullptr);
    EXPECT_TRUE(again->list()->empty());
}

TEST(DiskStorage, ServesTheFileStoreEndToEnd) {
    TempDir tmp;
    auto disk = open_store(tmp.path());
    ufs::FileStore store(*disk);
    auto name = store.check_upload("UFS:0_server.psk", 39);
    ASSERT_TRUE(name.ok());
    auto digest = store.upload_complete(*name, as_bytes("abc"));
    ASSERT_TRUE(digest.ok());
    EXPECT_EQ(*digest, (ufs::FileDigest{3, 0x0262}));
    auto listed = store.list("UFS:*");
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_EQ(listed->front().name.display(), "UFS:0_server.psk");
    EXPECT_EQ(store.check_upload("0_server.psk", 3).error().code, FileError::AlreadyExists);
    ASSERT_TRUE(store.remove("*").ok());
    EXPECT_TRUE(names_on_disk(tmp.path()).empty());
}

TEST(DefaultUfsDir, PrefersAnAbsoluteXdgDataHome) {
    EXPECT_EQ(default_ufs_dir("/data", "/home/u"), fs::path("/data/atcoap/ufs"));
}

TEST(DefaultUfsDir, FallsBackToHomeWhenXdgIsUnsetEmptyOrRelative) {
    const fs::path expected("/home/u/.local/share/atcoap/ufs");
    EXPECT_EQ(default_ufs_dir(nullptr, "/home/u"), expected);
    EXPECT_EQ(default_ufs_dir("", "/home/u"), expected);
    EXPECT_EQ(default_ufs_dir("rel/data", "/home/u"), expected);
}

TEST(DefaultUfsDir, FallsBackToTheWorkingDirectoryWithoutHome) {
    EXPECT_EQ(default_ufs_dir(nullptr, nullptr), fs::path("atcoap-ufs"));
    EXPECT_EQ(default_ufs_dir(nullptr, ""), fs::path("atcoap-ufs"));
}

}  // namespace
}  // namespace atcoap::io

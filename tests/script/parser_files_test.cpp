// Files: includes, the bounds, input that is not text, the disk, variables across steps and
// files, and refusing faults for a target without a control side.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "memory_loader.hpp"
#include "script/file_loader.hpp"
#include "script/parser.hpp"

namespace atcoap::script {
namespace {

using testing::error_of;
using testing::given;
using testing::MemoryLoader;

std::string parse_error(MemoryLoader& loader, const std::string& path,
                        const IsDefined& defined = {}) {
    const auto script = parse_script(path, loader, defined);
    return script ? std::string("parsed") : script.error().text();
}

TEST(ParserIncludes, RelativeNamesAreTakenFromTheIncludingFilesDirectory) {
    MemoryLoader loader;
    loader.files["dir/main.at"] = "send A\ninclude sub/one.at\nsend D\n";
    loader.files["dir/sub/one.at"] = "\n  send B\ninclude \"../two.at\"\n";
    loader.files["dir/two.at"] = "send C\n";
    const auto script = parse_script("dir/main.at", loader, {});
    ASSERT_TRUE(script.ok()) << script.error().text();
    ASSERT_EQ(script->steps.size(), 4u);
    EXPECT_EQ(loader.loaded,
              (std::vector<std::string>{"dir/main.at", "dir/sub/one.at", "dir/two.at"}));
    EXPECT_EQ(script->steps[1].pos.file, "dir/sub/one.at");
    EXPECT_EQ(script->steps[1].pos.line, 2);
    EXPECT_EQ(script->steps[1].pos.column, 3);
    EXPECT_EQ(script->steps[2].pos.file, "dir/two.at");
    EXPECT_EQ(script->steps[3].pos.file, "dir/main.at");
    EXPECT_EQ(script->steps[3].pos.line, 3);
    EXPECT_EQ(script->file, "dir/main.at");
}

TEST(ParserIncludes, ResolveKeepsAbsoluteNamesAndNormalizes) {
    MemoryLoader loader;
    EXPECT_EQ(loader.resolve("a/b/main.at", "/etc/x.at"), "/etc/x.at");
    EXPECT_EQ(loader.resolve("main.at", "x.at"), "x.at");
    EXPECT_EQ(loader.resolve("a/b/main.at", "./c/../x.at"), "a/b/x.at");
    EXPECT_EQ(loader.resolve("/s/main.at", "../x.at"), "/x.at");
}

TEST(ParserIncludes, AFileMayBeIncludedTwiceButNotInACycle) {
    MemoryLoader loader;
    loader.files["main.at"] = "include common.at\ninclude common.at\n";
    loader.files["common.at"] = "send AT\n";
    EXPECT_EQ(parse_error(loader, "main.at"), "parsed");
    loader.files["common.at"] = "send AT\n include ./main.at\n";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "common.at:2:2: include cycle: main.at -> common.at -> main.at");
    loader.files["self.at"] = "include self.at";
    EXPECT_EQ(parse_error(loader, "self.at"), "self.at:1:1: include cycle: self.at -> self.at");
}

TEST(ParserIncludes, NestingIsBounded) {
    MemoryLoader loader;
    for (int i = 0; i <= kMaxIncludeDepth + 1; ++i) {
        loader.files["f" + std::to_string(i) + ".at"] =
            "send " + std::to_string(i) + "\ninclude f" + std::to_string(i + 1) + ".at\n";
    }
    // f16 is 16 includes deep: it may be read, but not include f17.
    loader.files["f16.at"] = "send 16\n";
    EXPECT_EQ(parse_error(loader, "f0.at"), "parsed");
    loader.files["f16.at"] = "send 16\ninclude f17.at\n";
    EXPECT_EQ(parse_error(loader, "f0.at"), "f16.at:2:1: includes nest deeper than 16");
}

TEST(ParserIncludes, MissingFilesAndNames) {
    MemoryLoader loader;
    loader.files["main.at"] = "send A\n   include \"no such.at\"   \n";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "main.at:2:4: cannot include no such.at: no such file");
    EXPECT_EQ(parse_error(loader, "absent.at"),
              "absent.at: cannot read the script absent.at: no such file");
    loader.files["main.at"] = "include";
    EXPECT_EQ(parse_error(loader, "main.at"), "main.at:1:8: expected a file name: include FILE");
    loader.files["main.at"] = "include \"\"";
    EXPECT_EQ(parse_error(loader, "main.at"), "main.at:1:9: expected a file name: include FILE");
    loader.files["main.at"] = "include \"x.at";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "main.at:1:9: unterminated quoted string (expected a closing \")");
    loader.files["main.at"] = "include ${DIR}/x.at";
    EXPECT_EQ(parse_error(loader, "main.at", given({"DIR"})),
              "main.at:1:9: an include's file name cannot hold a variable (it is read before the "
              "run)");
}

TEST(ParserIncludes, AnErrorInAnIncludedFileNamesThatFile) {
    MemoryLoader loader;
    loader.files["main.at"] = "send A\ninclude lib/pre.at\n";
    loader.files["lib/pre.at"] = "# preamble\nexpect (\n";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "lib/pre.at:2:8: bad regular expression: missing ): (");
}

TEST(ParserBounds, StepsAreCountedAcrossIncludes) {
    MemoryLoader loader;
    std::string half;
    for (std::size_t i = 0; i < kMaxSteps / 2; ++i) {
        half += "esc\n";
    }
    half.resize(half.size() - 4);  // the two includes count as steps too
    loader.files["main.at"] = "include half.at\ninclude half.at\n";
    loader.files["half.at"] = half;
    EXPECT_EQ(parse_error(loader, "main.at"), "parsed");
    loader.files["main.at"] = "include half.at\ninclude half.at\nctrl-z\n";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "main.at:3:1: more than 100000 steps (includes counted)");
    // Files that only include each other: 2^16 includes, refused at the bound.
    for (int i = 0; i < 16; ++i) {
        loader.files["i" + std::to_string(i) + ".at"] =
            fmt::format("include i{0}.at\ninclude i{0}.at\n", i + 1);
    }
    loader.files["i16.at"] = "# the end\n";
    loader.loaded.clear();
    EXPECT_TRUE(
        parse_error(loader, "i0.at").ends_with(":1: more than 100000 steps (includes counted)"));
    EXPECT_EQ(loader.loaded.size(), kMaxSteps + 1);  // i0.at, then one file per include
}

TEST(ParserBounds, FileSizeAndTotalSize) {
    MemoryLoader loader;
    loader.files["big.at"] = std::string(kMaxFileBytes + 1, '#');
    EXPECT_EQ(parse_error(loader, "big.at"),
              "big.at: cannot read the script big.at: larger than 1048576 bytes (1 MiB)");
    loader.files["main.at"] = "send A\ninclude big.at";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "main.at:2:1: cannot include big.at: larger than 1048576 bytes (1 MiB)");
    loader.files["big.at"] = std::string(kMaxFileBytes, '#');
    std::string main;
    for (std::size_t i = 0; i < kMaxTotalBytes / kMaxFileBytes; ++i) {
        main += "include big.at\n";
    }
    loader.files["main.at"] = main + "include big.at\n";
    EXPECT_EQ(parse_error(loader, "main.at"),
              "main.at:16:1: cannot include big.at: the script and its includes hold more than "
              "16777216 bytes (16 MiB)");
}

TEST(ParserText, ANulOrAByteThatIsNotUtf8IsRefusedWhereItIs) {
    EXPECT_EQ(error_of(std::string("send A\0B", 8)), "t.at:1:7: not a text file (byte 0x00)");
    EXPECT_EQ(error_of("send A\r\nsend \xff"), "t.at:2:6: not a text file (byte 0xFF)");
    EXPECT_EQ(error_of("# \xC0\x80"), "t.at:1:3: not a text file (byte 0xC0)");      // overlong
    EXPECT_EQ(error_of("# \xED\xA0\x80"), "t.at:1:3: not a text file (byte 0xED)");  // surrogate
    EXPECT_EQ(error_of("# \xF4\x90\x80\x80"), "t.at:1:3: not a text file (byte 0xF4)");
    EXPECT_EQ(error_of("# \xE2\x82"), "t.at:1:3: not a text file (byte 0xE2)");  // cut short
    EXPECT_EQ(error_of(std::string("\x7f"
                                   "ELF\x02\x01\x01\x00",
                                   8)),
              "t.at:1:8: not a text file (byte 0x00)");
    EXPECT_EQ(error_of("send caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "parsed");
    MemoryLoader loader;
    loader.files["main.at"] = "send A\ninclude bin.at\n";
    loader.files["bin.at"] = std::string("# ok\n\x01\x02\x03\x00", 9);
    EXPECT_EQ(parse_error(loader, "main.at"), "bin.at:2:4: not a text file (byte 0x00)");
}

TEST(ParserVariables, DefinedSetCapturedOrGiven) {
    EXPECT_EQ(error_of("send ${PORT}", given({"PORT"})), "parsed");
    EXPECT_EQ(error_of("send x ${PORT}"),
              "t.at:1:8: undefined variable PORT (set it or capture it in an earlier step, or give "
              "it with --var PORT=VALUE)");
    EXPECT_EQ(error_of("set A 1\nsend ${A}"), "parsed");
    EXPECT_EQ(error_of("send ${A}\nset A 1").substr(0, 35), "t.at:1:6: undefined variable A (set");
    EXPECT_EQ(error_of("set A ${A}").substr(0, 32), "t.at:1:7: undefined variable A (");
    EXPECT_EQ(error_of("expect (?P<MID>\\d+)\nsend ${MID}"), "parsed");
    EXPECT_EQ(error_of("expect-urc within 1s (?P<MID>\\d+)\nexpect ${MID}"), "parsed");
    EXPECT_EQ(error_of("expect (?P<MID>\\d+) ${MID}").substr(0, 36),
              "t.at:1:21: undefined variable MID (s");
    // expect-none passes only when nothing matched, so its groups never hold a value.
    EXPECT_EQ(error_of("expect-none within 1s (?P<X>.)\nsend ${X}").substr(0, 30),
              "t.at:2:6: undefined variable X");
    EXPECT_EQ(error_of("send $${NOPE}"), "parsed");
    EXPECT_EQ(error_of("send ${A} ${B}", given({"A"})).substr(0, 31),
              "t.at:1:11: undefined variable B");
    EXPECT_EQ(error_of("radio ${STATE}").substr(0, 36), "t.at:1:7: undefined variable STATE (");
    EXPECT_EQ(error_of("urc \"${X}\"").substr(0, 30), "t.at:1:6: undefined variable X");
}

TEST(ParserVariables, AVariableSetInAnIncludeIsDefinedAfterIt) {
    MemoryLoader loader;
    loader.files["main.at"] = "include pre.at\nsend ${TOKEN} ${LEN}\n";
    loader.files["pre.at"] = "set TOKEN abc\nexpect (?P<LEN>\\d+)\n";
    EXPECT_EQ(parse_error(loader, "main.at"), "parsed");
}

TEST(RefuseControl, TheFirstFaultIsRefusedAtItsPlace) {
    const auto script = testing::parse_text("send AT\n\n  radio off\nreboot\n");
    ASSERT_TRUE(script.ok());
    const auto refused = refuse_control(*script, "/dev/ttyUSB0");
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->text(),
              "t.at:3:3: radio off: the target /dev/ttyUSB0 has no control side (a real module): "
              "faults need the builtin target or --target HOST:PORT");
    const auto plain = testing::parse_text("send AT\nexpect OK\nwait 1s\n");
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(refuse_control(*plain, "/dev/ttyUSB0").has_value());
}

class FileLoaderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("atcoap_parser_test_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_ / "lib");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void write(const std::string& name, const std::string& bytes) {
        std::ofstream(dir_ / name, std::ios::binary) << bytes;
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    std::filesystem::path dir_;
};

TEST_F(FileLoaderTest, ReadsFilesAndIncludesFromTheDisk) {
    write("main.at", "include lib/pre.at\nsend AT\r\n");
    write("lib/pre.at", "expect OK\n");
    FileLoader loader;
    const auto script = parse_script(path("main.at"), loader, {});
    ASSERT_TRUE(script.ok()) << script.error().text();
    ASSERT_EQ(script->steps.size(), 2u);
    EXPECT_EQ(script->steps[0].pos.file, path("lib/pre.at"));
}

TEST_F(FileLoaderTest, RefusesWhatItCannotRead) {
    FileLoader loader;
    EXPECT_EQ(loader.load(path("absent.at")).error(), "No such file or directory");
    EXPECT_EQ(loader.load(path("lib")).error(), "it is a directory");
    write("big.at", std::string(kMaxFileBytes + 1, '#'));
    EXPECT_EQ(loader.load(path("big.at")).error(), "larger than 1048576 bytes (1 MiB)");
    write("limit.at", std::string(kMaxFileBytes, '#'));
    EXPECT_EQ(loader.load(path("limit.at"))->size(), kMaxFileBytes);
}

}  // namespace
}  // namespace atcoap::script

// `atcoap --record FILE` (docs/SCRIPTS.md, "Recording a session"): a session on standard input
// and output, written as a script when atcoap exits.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The script at `path` run again by `atcoap script` on the builtin target, in virtual time
/// (docs/SCRIPTS.md): "" when it passed (exit code 0), else the exit code and what it printed.
std::string replay(const std::filesystem::path& path) {
    std::string error;
    auto child = test::ChildProcess::start(ATCOAP_BINARY, {"script", path.string()}, error);
    if (child == nullptr) {
        return error;
    }
    const auto status = child->wait_exit(kAnswerBound);
    const std::string printed = child->out().take_all() + child->err().take_all();
    if (status && status->code == 0) {
        return "";
    }
    return "exit code " + (status && status->code ? std::to_string(*status->code) : "none") + "\n" +
           printed;
}

TEST(RecordTest, AStdinSessionBecomesAScriptAtTheEndOfInput) {
    TempDir dir;
    const auto file = dir.path() / "session.at";
    std::string error;
    auto modem = start_atcoap(dir.path() / "ufs", {"--record", file.string()}, error);
    ASSERT_NE(modem, nullptr) << error;
    // A driver that types ahead: the script sends each line when the modem reads it.
    ASSERT_TRUE(
        modem->in().write_all("ATI\r\nATE0\r\nAT+QFUPL=\"a.txt\",5\r\nh\x1a$(l\r\n"
                              "AT+QFDWL=\"a.txt\"\r\nAT+QFDEL=\"a.txt\"\r\n",
                              kAnswerBound));
    modem->in().close();
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);

    const std::string script = read_file(file);
    const std::string sum = ufs_checksum("h\x1a$(l");
    EXPECT_EQ(
        script,
        std::string("# Recorded by atcoap --record (docs/SCRIPTS.md, \"Recording a session\").\n"
                    "send ATI\n"
                    "expect Quectel\n"
                    "expect BG95-M3\n"
                    "expect Revision: BG95M3LAR02A03\n"
                    "expect OK\n"
                    "send ATE0\n"
                    "expect OK\n"
                    "send AT+QFUPL=\"a.txt\",5\n"
                    "expect CONNECT\n"
                    "write hex 681A24286C\n"
                    "expect \\+QFUPL: 5,") +
            sum +
            "\n"
            "expect OK\n"
            "send AT+QFDWL=\"a.txt\"\n"
            "expect CONNECT\n"
            "expect h\\x1A\\$\\(l\n"
            "expect \\+QFDWL: 5," +
            sum +
            "\n"
            "expect OK\n"
            "send AT+QFDEL=\"a.txt\"\n"
            "expect OK\n");
    EXPECT_EQ(replay(file), "");
    // The runner fails a broken copy.
    std::string broken = script;
    broken.replace(broken.find("expect Quectel"), 14, "expect Quectle");
    const auto broken_file = dir.path() / "broken.at";
    std::ofstream(broken_file) << broken;
    const std::string failure = replay(broken_file);
    EXPECT_TRUE(failure.starts_with("exit code 1\n")) << failure;
    EXPECT_NE(failure.find("FAIL " + broken_file.string() + ":3:1: expect Quectle"),
              std::string::npos)
        << failure;
}

TEST(RecordTest, TheNoteExampleAgainstTheSideServerCapturesTheToken) {
    TempDir dir;
    const auto file = dir.path() / "note.at";
    const std::string port = std::to_string(free_udp_port());
    std::string error;
    auto modem =
        start_quiet_modem(dir.path() / "ufs",
                          {"--record", file.string(), "--with-server", "127.0.0.1:" + port}, error);
    ASSERT_NE(modem, nullptr) << error;
    const auto command = [&](const std::string& line, std::string_view answer) {
        ASSERT_TRUE(modem->in().write_all(line + "\r\n", kAnswerBound));
        ASSERT_TRUE(modem->out().wait_for(answer, kAnswerBound)) << modem->out().unread();
        modem->out().take_through(answer);
    };
    command("AT+QCOAPOPEN=0,\"127.0.0.1\"," + port, "+QCOAPOPEN: 0,0\r\n");
    command("AT+QCOAPHEADER=0,1234,1", "OK\r\n");
    command("AT+QCOAPOPTION=0,0,0,11,\"19\"", "OK\r\n");
    command("AT+QCOAPSEND=0,1,2,1,20", "> ");
    command("Hello, CoAP Message!", "Not Found\r\n");
    modem->in().close();
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);

    const std::string script = read_file(file);
    for (const std::string& step :
         {std::string("send AT+QCOAPOPEN=0,\"${HOST}\",${PORT}\nexpect OK\n"
                      "expect-urc within 5s \\+QCOAPOPEN: 0,0\n"),
          std::string("send AT+QCOAPSEND=0,1,2,1,20\nexpect >\n"
                      "write \"Hello, CoAP Message!\"\n"),
          std::string("expect-urc within 5s \\+QCOAPACK: 0,1,1234,0\n"
                      "expect-urc within 5s \\+QCOAPRECV: 0,1234,4\\.04,6,"
                      "(?P<TOKEN1>[0-9A-F]*),0,9\n"
                      "expect-urc within 5s Not Found\n")}) {
        EXPECT_NE(script.find(step), std::string::npos) << step << "\nin:\n" << script;
    }
    // The recording names the server ${HOST}:${PORT}, so it passes against another: the builtin
    // target's, in virtual time.
    EXPECT_EQ(replay(file), "") << script;
}

TEST(RecordTest, AFileThatCannotBeWrittenIsAnErrorBeforeTheModemStarts) {
    TempDir dir;
    std::string error;
    auto modem = start_atcoap(dir.path() / "ufs",
                              {"--record", (dir.path() / "no" / "such.at").string()}, error);
    ASSERT_NE(modem, nullptr) << error;
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 2);
    EXPECT_NE(modem->err().unread().find("atcoap: --record "), std::string::npos)
        << modem->err().unread();
    EXPECT_EQ(modem->out().unread(), "");  // no RDY: nothing was served
}

}  // namespace
}  // namespace atcoap::e2e

#include "base/printable.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atcoap {
namespace {

TEST(Printable, KeepsPrintableAsciiAndEscapesEverythingElse) {
    EXPECT_EQ(printable("/sensors/temp-1?x=2"), "/sensors/temp-1?x=2");
    EXPECT_EQ(printable("a\\b"), "a\\\\b");
    EXPECT_EQ(printable("\x1B[2J"), "\\x1B[2J");                       // a terminal escape
    EXPECT_EQ(printable("x\r\nGET /admin"), "x\\x0D\\x0AGET /admin");  // a forged log line
    EXPECT_EQ(printable(std::string("\0\x7F\xC3\xA9", 4)), "\\x00\\x7F\\xC3\\xA9");
}

}  // namespace
}  // namespace atcoap

#include <gtest/gtest.h>

#include "io/port.hpp"

namespace atcoap::io {
namespace {

TEST(KeepInterruptKey, LeavesCtrlCAsSigintButNotSuspendOrQuit) {
    termios settings{};
    settings.c_lflag = static_cast<tcflag_t>(ISIG | ICANON | ECHO);
    settings.c_cc[VINTR] = 3;
    settings.c_cc[VSUSP] = 26;
    settings.c_cc[VQUIT] = 28;
    make_raw(settings);
    EXPECT_EQ(settings.c_lflag & ISIG, 0u);
    keep_interrupt_key(settings);
    EXPECT_NE(settings.c_lflag & ISIG, 0u);
    EXPECT_EQ(settings.c_lflag & (ICANON | ECHO), 0u);
    EXPECT_EQ(settings.c_cc[VINTR], 3);
    EXPECT_EQ(settings.c_cc[VSUSP], _POSIX_VDISABLE);
    EXPECT_EQ(settings.c_cc[VQUIT], _POSIX_VDISABLE);
}

}  // namespace
}  // namespace atcoap::io

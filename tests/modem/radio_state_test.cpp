// RadioState announces every change of the data path to its listener (docs/DIALECT.md §6).

#include "modem/radio_state.hpp"

#include <gtest/gtest.h>

namespace atcoap::modem {
namespace {

TEST(RadioState, ContextOneIsActiveFromStartAndTheRadioIsOn) {
    const RadioState radio;
    EXPECT_TRUE(radio.data_path_up(1));
    EXPECT_FALSE(radio.data_path_up(2));
}

TEST(RadioState, TellsItsListenerOfRadioAndActivationChanges) {
    RadioState radio;
    int changes = 0;
    radio.on_change([&] { ++changes; });
    radio.set_functionality(0);
    EXPECT_EQ(changes, 1);
    EXPECT_FALSE(radio.data_path_up(1));
    radio.set_functionality(1);
    radio.set_active(1, false);
    EXPECT_EQ(changes, 3);
    EXPECT_FALSE(radio.data_path_up(1));
    radio.set_active(1, true);
    EXPECT_EQ(changes, 4);
    EXPECT_TRUE(radio.data_path_up(1));
}

TEST(RadioState, ContextSettingsAreNotADataPathChange) {
    RadioState radio;
    int changes = 0;
    radio.on_change([&] { ++changes; });
    radio.context(1).apn = "iot";
    radio.cereg_mode = 2;
    EXPECT_EQ(changes, 0);
}

}  // namespace
}  // namespace atcoap::modem

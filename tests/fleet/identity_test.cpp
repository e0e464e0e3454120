// Device identities (docs/FLEET.md, "Devices"): IMEIs, seeds, PSK identities and keys, and the
// key files for servers.

#include "fleet/identity.hpp"

#include <gtest/gtest.h>

#include <set>

namespace atcoap::fleet {
namespace {

IdentitySource make_source(const IdentityOptions& options, std::uint64_t modems) {
    auto source = IdentitySource::make(options, modems);
    EXPECT_TRUE(source.ok()) << source.error();
    return std::move(source).value();
}

std::string make_error(const IdentityOptions& options, std::uint64_t modems) {
    auto source = IdentitySource::make(options, modems);
    EXPECT_FALSE(source.ok());
    return source.ok() ? "" : source.error();
}

TEST(ImeiTest, CheckDigitIsTheLuhnDigitOfTs23003AnnexB) {
    // The note's IMEI 864508030012428 and the often cited 490154203237518 end in theirs.
    EXPECT_EQ(imei_check_digit("86450803001242"), '8');
    EXPECT_EQ(imei_check_digit("49015420323751"), '8');
    EXPECT_EQ(imei_check_digit("00000000000000"), '0');
}

TEST(ImeiTest, DeviceImeiIsPrefixSerialAndCheckDigit) {
    EXPECT_EQ(device_imei(0), "864508000000007");
    EXPECT_EQ(device_imei(3), "864508000000031");
    EXPECT_EQ(device_imei(kMaxFleetDevices - 1), "864508999999995");
    for (const std::uint64_t d : {0ULL, 1ULL, 42ULL, 12'345'678ULL, 99'999'999ULL}) {
        const std::string imei = device_imei(d);
        ASSERT_EQ(imei.size(), 15U);
        EXPECT_EQ(imei.find_first_not_of("0123456789"), std::string::npos);
        EXPECT_EQ(imei.back(), imei_check_digit(imei.substr(0, 14)));
    }
}

TEST(ImeiTest, EveryDeviceOfAMillionHasItsOwnImei) {
    std::set<std::string> seen;
    for (std::uint64_t d = 0; d < 1'000'000; d += 7) {
        ASSERT_TRUE(seen.insert(device_imei(d)).second) << d;
    }
    // Beyond the first million the serial reaches into the TAC's last two digits.
    EXPECT_NE(device_imei(1'000'000), device_imei(0));
    EXPECT_EQ(device_imei(1'000'000).substr(0, 8), "86450801");
}

TEST(SeedTest, DeviceSeedIsSplitmix64AndIndependentOfOtherDevices) {
    // splitmix64's first output from state 0 (its published reference value).
    EXPECT_EQ(device_seed(0, 0), 0xE220A8397B1DCDAFULL);
    EXPECT_NE(device_seed(1, 0), device_seed(2, 0));
    std::set<std::uint64_t> seeds;
    for (std::uint64_t d = 0; d < 10'000; ++d) {
        seeds.insert(device_seed(7, d));
    }
    EXPECT_EQ(seeds.size(), 10'000U);
}

TEST(KeyTest, DerivedKeyIsTheFirst16BytesOfHmacSha256InLowerCaseHex) {
    // printf 'dev-3' | openssl dgst -sha256 -hmac 'atcoap-fleet-seed-1'
    EXPECT_EQ(default_psk_secret(1), "atcoap-fleet-seed-1");
    EXPECT_EQ(derive_psk_key_text("atcoap-fleet-seed-1", "dev-3"),
              "1b3c376081bf0f5ff9f72fcce42a8ad9");
    EXPECT_EQ(derive_psk_key_text("top secret", "dev-0"), "dcd302216f75a7e37fa76575798e212b");
}

TEST(KeyTest, KeyTextIsTheKeyBytesWhenPrintable) {
    EXPECT_EQ(psk_key_text("313233343446473839"), "12344FG89");
    EXPECT_EQ(psk_key_text("00ff"), std::nullopt);
    EXPECT_EQ(psk_key_text("2061"), std::nullopt);  // a space
    EXPECT_EQ(psk_key_text("zz"), std::nullopt);
    EXPECT_EQ(psk_key_text(""), std::nullopt);
}

TEST(IdentitySourceTest, DefaultOptionsGiveDevIdentitiesAndSeededKeys) {
    const IdentitySource source = make_source({}, 5);
    const DeviceIdentity id = source.identity(3);
    EXPECT_EQ(id.device, 3U);
    EXPECT_EQ(id.imei, "864508000000031");
    EXPECT_EQ(id.psk_identity, "dev-3");
    // The key's bytes are the 32 hex digits as text; the PSK file holds them in hex.
    EXPECT_EQ(id.psk_key_hex, "3162336333373630383162663066356666396637326663636534326138616439");
    EXPECT_EQ(psk_key_text(id.psk_key_hex), "1b3c376081bf0f5ff9f72fcce42a8ad9");
    EXPECT_EQ(id.seed, device_seed(1, 3));
}

TEST(IdentitySourceTest, TheSecretAndTheSeedChangeTheKeys) {
    IdentityOptions options;
    const std::string base = make_source(options, 1).identity(0).psk_key_hex;
    options.fleet_seed = 2;
    EXPECT_NE(make_source(options, 1).identity(0).psk_key_hex, base);
    options.psk_secret = "top secret";
    EXPECT_EQ(psk_key_text(make_source(options, 1).identity(0).psk_key_hex),
              "dcd302216f75a7e37fa76575798e212b");
}

TEST(IdentitySourceTest, PatternTakesDeviceAndImei) {
    IdentityOptions options;
    options.psk_identity_pattern = "${IMEI}/d${DEVICE}";
    EXPECT_EQ(make_source(options, 20).identity(12).psk_identity, "864508000000122/d12");
}

TEST(IdentitySourceTest, ADeviceIsTheSameWhateverTheFleetSize) {
    const DeviceIdentity small = make_source({}, 10).identity(7);
    const DeviceIdentity large = make_source({}, 100'000).identity(7);
    EXPECT_EQ(small.psk_identity, large.psk_identity);
    EXPECT_EQ(small.psk_key_hex, large.psk_key_hex);
    EXPECT_EQ(small.seed, large.seed);
    EXPECT_EQ(small.imei, large.imei);
}

TEST(IdentitySourceTest, BadPatternsAreRefusedWithOneLine) {
    IdentityOptions options;
    const auto error_of = [&](std::string pattern, std::uint64_t modems = 10) {
        options.psk_identity_pattern = std::move(pattern);
        return make_error(options, modems);
    };
    EXPECT_EQ(error_of("dev-${SERIAL}"),
              "--psk-identity: unknown placeholder ${SERIAL} (only ${DEVICE} and ${IMEI})");
    EXPECT_EQ(error_of("dev-${DEVICE"), "--psk-identity: \"${\" without \"}\"");
    EXPECT_EQ(error_of("fixed"),
              "--psk-identity: without ${DEVICE} or ${IMEI} every device has the same identity");
    EXPECT_EQ(error_of(""),
              "--psk-identity: without ${DEVICE} or ${IMEI} every device has the "
              "same identity");
    EXPECT_NE(error_of("a,${DEVICE}").find("','"), std::string::npos);
    EXPECT_NE(error_of("a&${DEVICE}").find("'&'"), std::string::npos);
    EXPECT_NE(error_of("a b${DEVICE}").find("space"), std::string::npos);
    EXPECT_NE(error_of("#${DEVICE}").find("'#'"), std::string::npos);
    EXPECT_NE(error_of(std::string(kMaxPatternBytes + 1, 'a')).find("longer than 256"),
              std::string::npos);
    for (const char* text : {"dev-${SERIAL}", "a,${DEVICE}", "fixed"}) {
        EXPECT_EQ(error_of(text).find('\n'), std::string::npos);
    }
    // A single device may have a fixed identity; an empty one is never taken.
    options.psk_identity_pattern = "fixed";
    EXPECT_TRUE(IdentitySource::make(options, 1).ok());
    EXPECT_EQ(error_of("", 1), "--psk-identity: the identity is empty (device 0)");
}

TEST(IdentitySourceTest, IdentityLengthIsBoundedForTheLastDevice) {
    IdentityOptions options;
    // 122 bytes + 6 digits of device 999999 = 128: taken; 7 digits for 10^6 devices: not.
    options.psk_identity_pattern = std::string(122, 'x') + "${DEVICE}";
    EXPECT_TRUE(IdentitySource::make(options, 1'000'000).ok());
    EXPECT_EQ(make_error(options, 1'000'001),
              "--psk-identity: the identity has 129 bytes, more than 128 (device 1000000)");
}

TEST(IdentitySourceTest, ModemsAreBoundedByTheImeiSerials) {
    EXPECT_TRUE(IdentitySource::make({}, kMaxFleetDevices).ok());
    EXPECT_EQ(make_error({}, kMaxFleetDevices + 1),
              "--modems: at most 100000000 devices (each needs its own IMEI)");
}

TEST(IdentitySourceTest, CsvGivesDeviceDItsLineD) {
    IdentityOptions options;
    options.psk_csv_text = "# fleet keys\nalpha,0A0b\n\nbeta,3132\ngamma,33\n";
    const IdentitySource source = make_source(options, 2);
    EXPECT_EQ(source.identity(0).psk_identity, "alpha");
    EXPECT_EQ(source.identity(0).psk_key_hex, "0a0b");
    EXPECT_EQ(source.identity(1).psk_identity, "beta");
    EXPECT_EQ(source.identity(1).imei, device_imei(1));
    EXPECT_EQ(make_error(options, 4), "PSK CSV: 3 devices, fewer than the 4 modems");
    options.psk_csv_text = "alpha,0A0b\nalpha,01\n";
    EXPECT_EQ(make_error(options, 1), "PSK CSV line 2: the identity alpha is also on line 1");
}

TEST(ServerIdentityFileTest, IsLibcoapsHintIdentityKeyLines) {
    const std::string file = server_identity_file(make_source({}, 5), 5);
    EXPECT_EQ(file.substr(0, file.find('\n')),
              "# coap-server -i: hint,identity,key (libcoap); 5 devices");
    EXPECT_NE(file.find("\nCoAP,dev-3,1b3c376081bf0f5ff9f72fcce42a8ad9\n"), std::string::npos);
    std::size_t lines = 0;
    for (char c : file) {
        lines += c == '\n' ? 1 : 0;
    }
    EXPECT_EQ(lines, 6U);
    EXPECT_EQ(file.back(), '\n');
}

TEST(ServerIdentityFileTest, ABinaryCsvKeyBecomesACommentLine) {
    IdentityOptions options;
    options.psk_csv_text = "alpha,00ff\nbeta,3132\n";
    const std::string file = server_identity_file(make_source(options, 2), 2);
    EXPECT_NE(file.find("\n# device 0: its key is not printable text"), std::string::npos);
    EXPECT_NE(file.find("\nCoAP,beta,12\n"), std::string::npos);
    EXPECT_EQ(file.find("alpha"), std::string::npos);
}

TEST(ServerIdentityFileTest, AtcoapPskFileAndFleetKeysText) {
    const std::string file = atcoap_psk_file(make_source({}, 5), 5);
    EXPECT_NE(
        file.find("\ndev-3:3162336333373630383162663066356666396637326663636534326138616439\n"),
        std::string::npos);
    auto keys = fleet_keys_text({}, 5);
    ASSERT_TRUE(keys.ok());
    EXPECT_EQ(*keys, server_identity_file(make_source({}, 5), 5));
    IdentityOptions bad;
    bad.psk_identity_pattern = "${X}";
    EXPECT_FALSE(fleet_keys_text(bad, 5).ok());
}

}  // namespace
}  // namespace atcoap::fleet

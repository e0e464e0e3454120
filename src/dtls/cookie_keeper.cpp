#include <mbedtls/md.h>

#include <cstring>

#include "dtls/session.hpp"

namespace atcoap::dtls {

CookieKeeper::CookieKeeper(Random& random) {
    random.fill(secret_);
}

Bytes CookieKeeper::cookie_for(ByteView peer_id) const {
    unsigned char mac[32];
    mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), secret_, sizeof secret_,
                    peer_id.data(), peer_id.size(), mac);
    return Bytes(mac, mac + kCookieSize);
}

bool CookieKeeper::check(ByteView cookie, ByteView peer_id) const {
    if (cookie.size() != kCookieSize) {
        return false;
    }
    const Bytes expected = cookie_for(peer_id);
    // Constant time: a forger learns nothing from how long the comparison took.
    unsigned difference = 0;
    for (std::size_t i = 0; i < kCookieSize; ++i) {
        difference |= static_cast<unsigned>(expected[i] ^ cookie[i]);
    }
    return difference == 0;
}

}  // namespace atcoap::dtls

#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of atcoap from Debian 12's packages.
# Idempotent: packages already present are left alone. As root it runs apt-get; otherwise it
# prints the exact command to run and exits non-zero.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config git
    clang-14 libclang-rt-14-dev clang-format-14
    libasio-dev libmbedtls-dev libcli11-dev libfmt-dev libspdlog-dev libpcap-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    libcoap3-dev libcoap3-bin nlohmann-json3-dev libre2-dev tshark python3-yaml
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages; run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
$cmd

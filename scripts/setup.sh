#!/usr/bin/env bash
# Installs what vocreport needs on Debian 12 (only what is missing) and builds it.
# Usage: scripts/setup.sh [--sanitize | --release]   -> build/ (RelWithDebInfo),
#        build-asan/ (ASan+UBSan) or build-release/ (Release, -O3)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages=(gcc cmake pkg-config make libpq-dev postgresql libxlsxwriter-dev libhpdf-dev
          libinih-dev libcurl4-openssl-dev libssl-dev fonts-wqy-zenhei poppler-utils qpdf
          python3-openpyxl python3-aiosmtpd libreoffice-calc-nogui libzip-dev libexpat1-dev libcairo2-dev chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Our own builds treat warnings as errors (VOCREPORT_WERROR); a plain
# "cmake -DCMAKE_BUILD_TYPE=Release" by a user does not.
build=build
flags=(-DVOCREPORT_SANITIZE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVOCREPORT_WERROR=ON)
case "${1:-}" in
--sanitize)
    build=build-asan
    flags=(-DVOCREPORT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DVOCREPORT_WERROR=ON) ;;
--release)  # -O3: the optimiser finds warnings the others do not
    build=build-release
    flags=(-DVOCREPORT_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Release -DVOCREPORT_WERROR=ON) ;;
esac
cmake -S . -B "$build" "${flags[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
echo "$top/$build"

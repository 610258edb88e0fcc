#!/usr/bin/env bash
# Installs what building and testing lead-outbox needs on a fresh Debian machine; a no-op when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang-14 and libclang-rt-14-dev: libFuzzer, ASan and UBSan for scripts/fuzz.sh; pgbouncer: the pooler test.
# firefox-esr, webkit2gtk-driver, xvfb, gir1.2-webkit2-4.1, python3-gi: the Firefox and WebKit runs of tests/engines.
apt_packages=(emscripten catch2 cmake g++ chromium postgresql clang-14 libclang-rt-14-dev pgbouncer
  firefox-esr webkit2gtk-driver xvfb gir1.2-webkit2-4.1 python3-gi)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock changed since the last install (node_modules/.package-lock.json is npm's own record).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The benchmark's own dependencies (PGlite), kept apart from the package's; same rule as above.
if [ -f bench/package-lock.json ] && { [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; }; then
  echo "setup: npm ci in bench/"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

#!/bin/sh
# Installs the Debian 12 packages cdiscan builds and tests with. Idempotent; needs root (or sudo).
set -eu
packages="build-essential pkg-config bazel-bootstrap protobuf-compiler libprotobuf-dev \
  libre2-dev libicu-dev libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev \
  libsimdjson-dev zlib1g-dev libzstd-dev libsqlite3-dev clang chromium"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install_deps: all packages present"
  exit 0
fi
as_root=""
[ "$(id -u)" = 0 ] || as_root="sudo"
echo "install_deps: installing$missing"
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing

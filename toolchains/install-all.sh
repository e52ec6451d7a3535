#!/usr/bin/env bash
# Installs every language toolchain the test suite builds with (`npm run toolchains`).
# Idempotent; Debian packages need root (CI runs as root). Each script says what it installs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for lang in c rust go js python dotnet; do
  echo "== $lang"
  bash "$root/toolchains/$lang/install.sh"
done
# The C SDK's ABI tests compile the glue natively as 32-bit code, as it runs in wasm32.
. "$root/toolchains/lib/debian-packages.sh"
ensure_debian_packages "C SDK tests" gcc-multilib
# The outbound HTTP TLS tests make a self-signed certificate with the openssl CLI.
ensure_debian_packages "TLS tests" openssl
# The admin API's browser test (test/e2e/admin-browser.test.ts) drives Debian's Chromium with playwright-core.
ensure_debian_packages "browser tests" chromium
# wit-bindgen-cli from crates.io (a few minutes of cargo the first time): standard wasi:http guests in C,
# rebuilt by check-reproducible.sh and the examples' end-to-end test.
bash "$root/toolchains/c-http/install.sh"
bash "$root/toolchains/s3-clients/install.sh" # awscli + boto3 for the S3 endpoint tests
# nats-server for the JetStream backend's tests (go install of the pinned Go module; the tests start their own servers).
bash "$root/toolchains/nats/install.sh"

# Sourced by install.sh and build.sh: sets go_bin and go_version, or exits saying what to install.
min_go_minor=24
go_bin=$(command -v go || true)
[ -n "$go_bin" ] || [ ! -x /usr/local/go/bin/go ] || go_bin=/usr/local/go/bin/go
if [ -z "$go_bin" ]; then
  echo "go toolchain: go not found; install Go >= 1.$min_go_minor (https://go.dev/dl/) into /usr/local/go or on PATH (see toolchains/go/install.sh)" >&2
  exit 1
fi
# GOTOOLCHAIN=local: report (and later use) this go, never one it would download.
go_version=$(GOTOOLCHAIN=local "$go_bin" env GOVERSION)
go_minor=$(sed -nE 's/^go1\.([0-9]+).*/\1/p' <<<"$go_version")
if [ -z "$go_minor" ] || [ "$go_minor" -lt "$min_go_minor" ]; then
  echo "go toolchain: $go_bin is $go_version; wasmlet needs Go >= 1.$min_go_minor (//go:wasmexport, c-shared on wasip1); install a newer Go (see toolchains/go/install.sh)" >&2
  exit 1
fi

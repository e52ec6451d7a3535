# Sourced by the install scripts: installs missing Debian packages (idempotent; needs root to install).
#   ensure_debian_packages <toolchain label> <package>...
ensure_debian_packages() {
  local label=$1
  shift
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "$label: already installed ($*)"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$label: missing Debian packages ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "$label: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "$label: installed"
}

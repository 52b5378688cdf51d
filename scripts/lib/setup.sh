# Shared by scripts/demo and scripts/test: install what is missing, idempotently. Source it; don't run it.
# Debian/Ubuntu packages via apt-get, a virtualenv in .venv, and the package installed in it (editable).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${BROADCAST_VENV:-$ROOT/.venv}"

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_system_packages PKG…: apt-get install the packages that are not installed yet.
ensure_system_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_python: a python3 >= 3.11 that can make virtualenvs.
ensure_python() {
  if ! command -v python3 >/dev/null 2>&1; then
    ensure_system_packages python3 python3-venv
  fi
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "broadcast needs Python 3.11 or newer; this python3 is $(python3 --version 2>&1)" >&2
    exit 1
  fi
  python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_system_packages python3-venv
}

# ensure_venv [EXTRAS]: .venv with the package installed; reinstalls only when pyproject.toml changed.
ensure_venv() {
  local extras="${1:-}" target="$ROOT" stamp
  [ -n "$extras" ] && target="$ROOT[$extras]"
  ensure_python
  [ -x "$VENV/bin/python" ] || { say "creating virtualenv $VENV"; python3 -m venv "$VENV"; }
  stamp="$VENV/.broadcast-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    say "installing broadcast${extras:+ with its $extras extras} into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$target"
    touch "$stamp"
  fi
  # shellcheck disable=SC1091
  . "$VENV/bin/activate"
}

# Sourced by scripts/test and scripts/demo: make .venv (Python >= 3.11) and install stridewise
# into it with the extras named in $STRIDEWISE_EXTRAS ("test" for scripts/test; none for the
# demo, which needs the runtime dependencies only), again only when pyproject.toml changed. Each
# set of extras has its own stamp, so the demo never pulls in the test tools.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "stridewise needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
extras="${STRIDEWISE_EXTRAS:-}"
stamp=".venv/.stridewise-installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
    touch "$stamp"
fi
export PATH="$REPO/.venv/bin:$PATH"

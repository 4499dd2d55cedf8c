#!/usr/bin/env bash
# Creates (or reuses) a Python virtual environment outside git and fills it with pinned packages.
# Usage: scripts/python-env.sh NAME PACKAGE==VERSION...   → prints the venv's python path on the last line.
# Environments live under ${JINFERENCE_CACHE:-~/.cache/jinference}/venvs/NAME so that a warm machine reuses them.
set -euo pipefail
name=$1; shift
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
venv=$cache/venvs/$name
stamp=$venv/.requirements
wanted=$(printf '%s\n' "$@" | sort)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "$venv/bin/python"; exit 0
fi
mkdir -p "$cache/venvs"
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --disable-pip-version-check --progress-bar off "$@" >&2
echo "$wanted" > "$stamp"
echo "$venv/bin/python"

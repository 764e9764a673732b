#!/usr/bin/env bash
# Creates bench/.venv with the fastest PyTorch this machine can install, for the reference comparison
# (bench/reference/run.sh) and Pillow for the end-to-end loop (train_loop.py). Tries `pip install torch` in a fresh venv first (pip may find a local torch 2.x CPU
# wheel); when that fails, installs Debian's python3-torch and python3-pil and uses /usr/bin/python3 instead.
# Writes the interpreter to use to bench/.venv/reference-python and prints which torch it got.
# Usage: bench/reference/setup.sh [--force]   (--force: recreate the venv even when it already works)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$(dirname "$here")"
venv="$bench/.venv"
marker="$venv/reference-python"

torch_of() { # prints "version threads" of the torch an interpreter imports, or fails
	"$1" - <<'PY' 2>/dev/null
import warnings
warnings.filterwarnings("ignore")
import torch
import PIL  # the end-to-end loop (train_loop.py) decodes images with Pillow
print(torch.__version__, torch.get_num_threads())
PY
}

if [[ "${1:-}" != "--force" && -f "$marker" ]] && python="$(cat "$marker")" && version="$(torch_of "$python")"; then
	echo "reference python: $python (torch ${version% *}; already set up)"
	exit 0
fi

python=""
if [[ "${1:-}" == "--force" ]]; then rm -rf "$venv"; fi
if python3 -m venv "$venv" >&2; then
	echo "setup: pip install torch pillow into $venv ..." >&2
	if "$venv/bin/python" -m pip install --quiet torch pillow >&2 && torch_of "$venv/bin/python" >/dev/null; then
		python="$venv/bin/python"
	else
		echo "setup: pip could not install a working torch into $venv" >&2
	fi
else
	echo "setup: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2
fi
if [[ -z "$python" ]]; then
	echo "setup: falling back to Debian's python3-torch" >&2
	sudo_cmd=""
	if [[ "$(id -u)" != 0 ]]; then sudo_cmd="sudo"; fi
	if $sudo_cmd apt-get install -y python3-torch python3-pil >&2 && torch_of /usr/bin/python3 >/dev/null; then
		python=/usr/bin/python3
	else
		echo "setup: no PyTorch could be installed (neither pip nor apt-get install python3-torch)" >&2
		exit 1
	fi
fi
mkdir -p "$venv"
echo "$python" > "$marker"
version="$(torch_of "$python")"
echo "reference python: $python (torch ${version% *})"

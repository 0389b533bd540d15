#!/usr/bin/env bash
# torchgrade's autograder set-up: Gradescope runs this once, as root, in /autograder/source,
# when it builds the autograder's image. It installs a Python of 3.10 or newer (from apt
# where the image has none), a virtualenv in /opt/torchgrade with the CPU build of torch and
# the versions the kit was validated with (requirements.txt), and closes the kit, the
# solutions and the course secret to every other user.
#
#   ./setup.sh --dry-run   (or TORCHGRADE_SETUP_DRY_RUN=1 ./setup.sh): check the zip and
#                          print what would be installed; install and download nothing.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${TORCHGRADE_VENV:-/opt/torchgrade}"
DRY_RUN="${TORCHGRADE_SETUP_DRY_RUN:-0}"
if [[ "${1:-}" == "--dry-run" ]]; then DRY_RUN=1; fi
CPU_INDEX="https://download.pytorch.org/whl/cpu"

fail() { echo "setup.sh: $*" >&2; exit 1; }
step() {  # print a command; run it unless this is a dry run
  echo "+ $*"
  if [[ "$DRY_RUN" != 1 ]]; then "$@"; fi
}

# 1. The zip holds what run_autograder needs.
for path in run_autograder requirements.txt autograder.json kit/pyproject.toml \
            kit/graders/__init__.py kit/graders/gradescope/_run.py kit/solutions \
            course/.torchgrade/secret; do
  [[ -e "$HERE/$path" ]] || fail "$path is missing from the autograder zip: build it again"
done
[[ -x "$HERE/run_autograder" ]] || fail "run_autograder is not executable: build the zip again"

# 2. Every requirement is pinned, and torch is the CPU build from PyTorch's CPU index.
grep -qx -- "--extra-index-url $CPU_INDEX" "$HERE/requirements.txt" \
  || fail "requirements.txt does not name PyTorch's CPU index ($CPU_INDEX)"
grep -Eqx 'torch==[0-9][0-9.]*\+cpu' "$HERE/requirements.txt" \
  || fail "requirements.txt does not pin the CPU build of torch (torch==X.Y.Z+cpu)"
unpinned="$(grep -Ev '^(#|--|$)' "$HERE/requirements.txt" | grep -Ev '^[A-Za-z0-9_.-]+==[^ ]+$' \
  || true)"
[[ -z "$unpinned" ]] || fail "requirements.txt has unpinned lines: $unpinned"

# 3. A Python of 3.10 or newer, with venv.
python=""
for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c \
      'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    python="$(command -v "$candidate")"
    break
  fi
done
if [[ -z "$python" ]]; then
  step apt-get update
  step apt-get install -y --no-install-recommends python3 python3-venv python3-pip
  python=/usr/bin/python3
fi
echo "Python: $python"

# 4. The virtualenv and the pinned requirements.
echo "Requirements ($HERE/requirements.txt):"
grep -Ev '^(#|$)' "$HERE/requirements.txt" | sed 's/^/  /'
step "$python" -m venv "$VENV"
step "$VENV/bin/python" -m pip install --no-cache-dir --quiet -r "$HERE/requirements.txt"
step "$VENV/bin/python" -c \
  'import torch; assert torch.version.cuda is None, "not the CPU build"; print("torch", torch.__version__)'

# 5. Only root reads the kit, the solutions, the hidden checks and the course secret.
step chmod -R go-rwx "$HERE"
if [[ "$DRY_RUN" == 1 ]]; then
  echo "Dry run: nothing was installed."
fi

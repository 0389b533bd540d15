"""The adversarial catalogue: hostile and broken submissions, read from tests/adversarial/.

``tests/adversarial/<case>.py`` is a whole ``mse.py`` (or, with an ``exercise:``
line, another exercise's file) that attacks the grader.
Its docstring says what it does and what grading must show:

    '''Patches torch.allclose and friends at import (its mse sums instead of averaging).

    checks: numpy_value, torch_value
    score: 0
    hint: summed instead of averaging
    '''

- ``checks``: the mse checks to grade (a parametrized name selects all its cases);
  only those run, to keep the catalogue fast.
- ``score``: ``0``, or ``full`` when the hostile part is harmless and the honest
  code is right: never more than the honest code earns.
- ``hint``: text every failed check's hint must contain (``a | b``: either).
- ``exercise`` (optional, default ``mse``): the exercise the file is graded as; the
  kit's exercises it imports (``digits`` imports ``net``...) come from the reference.
- ``timeout`` (optional): seconds per call into the submission, for hangs.
- ``requires`` (optional): isolation layers the defence rests on; the case is
  skipped, naming them, where the machine lacks one.
- ``xfail`` (optional): a known hole, with the layer or change that would close
  it; the case must then fail (strictly), so closing the hole is noticed.

A case that ships more files beside ``mse.py`` (a conftest.py, a .pth, a
torch.py...) lists them in a module-level ``SHIPPED = {"name": "text"}``
literal, read here without running the file. They are kept as data so that
the kit's own pytest run never collects them.

Cases that try to break out raise ``RuntimeError("sandbox held: ...")`` when
every attempt failed, and name what worked ("ESCAPED: ...") otherwise.

    python tests/hostile.py [CASE ...]      grade cases and print what they got
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "adversarial"
# What hostile cases name their processes (prctl) and their marker files, so
# that survivors and effects outside the sandbox can be found afterwards.
PROCESS_NAME = "tghostile"
MARKER_PREFIX = "torchgrade-pwned"
MARKER_DIRS = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))
IPC_KEYS = range(0x74670000, 0x74671000)  # System V keys hostile cases create objects under
SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    description: str
    checks: tuple[str, ...]
    score: str  # "0" or "full"
    hints: tuple[str, ...]  # alternatives; () when the score is full
    timeout: float | None
    requires: tuple[str, ...]
    shipped: dict
    xfail: str
    exercise: str = "mse"

    def full(self) -> bool:
        return self.score == "full"


def _fields(docstring: str) -> dict[str, str]:
    fields = {}
    for line in docstring.splitlines():
        key, colon, value = line.strip().partition(":")
        if colon and key in ("checks", "score", "hint", "timeout", "requires", "xfail",
                             "exercise"):
            if key in fields:
                raise ValueError(f"more than one '{key}:' line")
            fields[key] = value.strip()
    return fields


def _shipped(tree: ast.Module) -> dict:
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "SHIPPED"
        ]:
            return ast.literal_eval(node.value)
    return {}


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def read_case(path: Path) -> Case:
    tree = ast.parse(path.read_text())
    docstring = ast.get_docstring(tree) or ""
    fields = _fields(docstring)
    if "checks" not in fields or fields.get("score") not in ("0", "full"):
        raise ValueError(f"{path}: needs 'checks:' and 'score: 0|full' in its docstring")
    if fields["score"] == "0" and not fields.get("hint"):
        raise ValueError(f"{path}: a case that scores 0 needs a 'hint:' line")
    hints = tuple(h.strip() for h in fields.get("hint", "").split(" | ") if h.strip())
    timeout = float(fields["timeout"]) if "timeout" in fields else None
    return Case(path.stem, path, docstring.splitlines()[0], _names(fields["checks"]),
                fields["score"], hints, timeout, _names(fields.get("requires", "")),
                _shipped(tree), fields.get("xfail", ""), fields.get("exercise", "mse"))


def cases() -> list[Case]:
    return [read_case(path) for path in sorted(CASES.glob("*.py"))]


def materialise(case: Case, directory: Path) -> Path:
    """The case as a submission directory: its exercise file plus whatever it ships."""
    from catalogue import SIBLINGS, SOLUTIONS

    directory.mkdir(parents=True)
    for sibling in SIBLINGS.get(case.exercise, ()):
        shutil.copyfile(SOLUTIONS / f"{sibling}.py", directory / f"{sibling}.py")
    shutil.copyfile(case.path, directory / f"{case.exercise}.py")
    for name, text in case.shipped.items():
        (directory / name).write_text(text)
    return directory


def tree_digest(*roots: Path) -> dict[str, str]:
    """Path to sha256 (or link target) of every file under ``roots``, caches excepted."""
    digest = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
            for name in sorted(files):
                path = Path(folder, name)
                if path.is_symlink():
                    digest[str(path)] = "link:" + os.readlink(path)
                elif path.suffix != ".pyc":
                    digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        digest[f"{root} (exists)"] = str(root.exists())
    return digest


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def survivors() -> list[int]:
    """Processes a hostile case named ``PROCESS_NAME`` that are still alive."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == PROCESS_NAME:
                found.append(int(entry.name))
        except OSError:  # ended while we looked
            continue
    return found


def markers() -> list[str]:
    """Files hostile cases would have written outside the sandbox."""
    import site
    import sysconfig

    dirs = [*MARKER_DIRS, HERE.parent, Path(sysconfig.get_paths()["purelib"]),
            *map(Path, site.PREFIXES)]
    return sorted(str(p) for d in dirs if d.is_dir() for p in d.glob(f"{MARKER_PREFIX}*"))


def ipc_leftovers() -> list[str]:
    """System V objects left under ``IPC_KEYS`` (they outlive their creator)."""
    found = []
    for kind in ("shm", "sem", "msg"):
        rows = Path("/proc/sysvipc", kind).read_text().splitlines()[1:]
        found += [f"{kind} key {int(row.split()[0]):#x}" for row in rows
                  if int(row.split()[0]) in IPC_KEYS]
    return found


def main(argv: list[str]) -> int:
    import tempfile
    import time

    from graders import grade
    from graders._sandbox import Sandbox

    chosen = [c for c in cases() if not argv or c.name in argv]
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as scratch:
        missing = [layer.name for layer in sandbox.isolation() if not layer.active]
        print("missing layers:", missing or "none")
        for case in chosen:
            directory = materialise(case, Path(scratch) / case.name)
            started = time.monotonic()
            report = grade(directory, [case.exercise], sandbox=sandbox, timeout=case.timeout,
                           checks=list(case.checks))
            result = report.exercise(case.exercise)
            seconds = time.monotonic() - started
            print(f"\n{case.name}: {result.score:g}/{result.max_score:g} (declared {case.score}), "
                  f"{seconds:.1f} s")
            for check in result.checks:
                print(f"  {check.status:7} {check.check}: {check.hint.split(': ', 1)[-1][:200]}")
    print("\nsurvivors:", survivors(), "markers:", markers(), "ipc:", ipc_leftovers())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))

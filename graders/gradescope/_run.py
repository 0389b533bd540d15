"""``run_autograder``: grade one Gradescope submission and write ``results/results.json``.

Gradescope runs it as root in a fresh container per submission. In order:

1. **close** what student code must never reach to every other user: the kit (solutions,
   hidden checks, the course secret), the results folder, the submission's metadata.
   Student code runs as ``nobody`` (the sandbox's privileges layer), so these hold even
   where the container forbids the namespaces that cover them (``docs/security.md``);
2. **collect** the exercises' files from ``submission/``, at any depth (``_upload.py``);
3. **draw** the student's variant from ``submission_metadata.json``'s user ids and the
   course secret shipped in the zip;
4. **grade** in the sandbox, with the autograder folder covered too; refuse to grade where
   student code would run as root, the user that writes the results;
5. **write** results.json atomically: the student's summary on top, the instructor's
   sandbox report and the manifest in ``extra_data``; the instructor's log on stdout.

``TORCHGRADE_AUTOGRADER_ROOT`` stands for ``/autograder`` (tests run it in a temporary
folder). Whatever goes wrong, a results.json is written; the exit status is 1 when the
autograder itself failed, so that Gradescope's log shows it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from graders._text import printable
from graders.gradescope._build import CONFIG, COURSE
from graders.gradescope._upload import Upload, collect

ROOT_VARIABLE = "TORCHGRADE_AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
MAX_METADATA_BYTES = 64 * 1024**2  # it carries the previous submissions' results
MAX_ID_CHARS = 200
UNPRIVILEGED = ("The autograder did not grade your work: this grading machine cannot run "
                "submitted code as an unprivileged user. Nothing is wrong with your files; "
                "your instructor has been told.")
BROKEN = ("The autograder could not grade your work (a fault of the autograder, not of your "
          "files); your instructor has been told. Submit again later, or ask them.")


class Refused(RuntimeError):
    """Grading would not be safe on this machine: nothing is run."""


def autograder_root() -> Path:
    return Path(os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT)


def close_to_others(root: Path) -> list[str]:
    """Make the kit, the results and the metadata root's alone; the paths changed."""
    closed = []
    for path, mode in ((root / "source", 0o700), (root / "results", 0o700),
                       (root / "submission_metadata.json", 0o600)):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, mode)
            closed.append(str(path))
    return closed


def student_id(root: Path) -> tuple[str | None, str]:
    """The id the variant is drawn from, and where it came from: the submitters' Gradescope
    user ids (a group's, sorted and joined), else the submission's id, else none."""
    path = root / "submission_metadata.json"
    try:
        if path.stat().st_size > MAX_METADATA_BYTES:
            return None, "submission_metadata.json is too large to read"
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        return None, f"no submission_metadata.json ({type(error).__name__})"
    users = data.get("users") if isinstance(data, dict) else None
    ids = sorted(str(user["id"]) for user in users or []
                 if isinstance(user, dict) and isinstance(user.get("id"), (int, str)))
    if ids:
        return printable("+".join(ids), MAX_ID_CHARS), "users"
    if isinstance(data, dict) and isinstance(data.get("id"), (int, str)):
        return printable(f"submission-{data['id']}", MAX_ID_CHARS), "submission id"
    return None, "submission_metadata.json names no user and no submission"


def _variant(root: Path, student: str | None):
    from graders._variant import SecretMissing, Variant, course_secret

    if student is None:
        return Variant(), "public variant: no student id"
    try:
        return Variant(student, course_secret(root / "source" / COURSE, create=False)), ""
    except SecretMissing as error:
        return Variant(), f"public variant: {error}"


def _grade(folder: Path, exercises: tuple[str, ...], hidden: tuple[str, ...], variant):
    """The report of ``folder``, graded with every layer the machine allows; ``Refused``
    where student code would run as root."""
    from graders._engine import grade
    from graders._layout import warm_ups
    from graders._sandbox import Sandbox

    with Sandbox(hidden=hidden, warm=warm_ups(exercises)) as sandbox:
        privileges = next((layer for layer in sandbox.isolation()
                           if layer.name == "privileges"), None)
        if privileges is None or not privileges.active:
            raise Refused(f"the privileges layer is not active here: "
                          f"{privileges.detail if privileges else 'not reported'}")
        return grade(folder, exercises, sandbox=sandbox, variant=variant)


def _results(report, upload: Upload, folder: Path, config: dict, details: dict) -> dict:
    """results.json: the report's, its paths made the student's, the upload's notes on top."""
    from graders.batch._worker import scrub

    body = scrub(report.to_gradescope(), str(folder), "your upload")
    body["output"] = "\n\n".join(filter(None, ["\n".join(upload.notes), body["output"]]))
    kit = body["extra_data"]["manifest"].get("kit", {})
    for key, value in config.get("kit", {}).items():  # no .git in the zip: its build says
        if kit.get(key) is None:
            kit[key] = value
    body["extra_data"]["autograder"] = {"assignment": config.get("assignment"),
                                        "files": upload.found, **details}
    return body


def _failed(message: str, details: dict, exercises: tuple[str, ...]) -> dict:
    return {"score": 0, "max_score": _worth(exercises), "output": message,
            "output_format": "text", "tests": [], "extra_data": {"autograder": details}}


def _worth(exercises: tuple[str, ...]) -> float:
    """What the assignment is worth, as for a graded upload: 0 of 0 would read as an
    assignment worth nothing. 0 only when not even its exercises could be read."""
    try:
        from graders.nbgrader._points import worth as exercise_worth

        return sum(exercise_worth(name) for name in exercises)
    except Exception:  # the kit itself is what failed: say nothing rather than fail again
        return 0


def write_results(results: Path, body: dict) -> None:
    """Write results.json whole or not at all (a reader never sees half a file)."""
    results.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=results, prefix=".results-", suffix=".json")
    with os.fdopen(handle, "w") as out:
        json.dump(body, out, indent=2)
        out.write("\n")
    os.replace(partial, results / "results.json")


def _log(report, body: dict) -> None:
    """The instructor's view, on stdout (Gradescope shows it to instructors only)."""
    from graders._report import render_hints, render_isolation, render_table

    print(render_table(report))
    hints = render_hints(report)
    if hints:
        print("\nHints:\n" + hints)
    print("\n" + render_isolation(report))
    print("\nStudent's summary:\n" + body["output"])


def run(root: Path) -> tuple[dict, int]:
    """Grade the submission under ``root``; results.json's body and the exit status."""
    started = time.monotonic()
    details: dict = {"closed": close_to_others(root)}
    exercises: tuple[str, ...] = ()  # until the config names them
    try:
        config = json.loads((root / "source" / CONFIG).read_text())
        exercises = tuple(config["exercises"])
        upload = collect(root / "submission", exercises)
        student, details["student_id_from"] = student_id(root)
        variant, details["variant_note"] = _variant(root, student)
        with tempfile.TemporaryDirectory(prefix="torchgrade-gradescope-") as staging:
            folder = Path(staging) / "upload"
            folder.mkdir()
            for exercise, source in upload.sources.items():
                (folder / f"{exercise}.py").write_bytes(source)
            report = _grade(folder, exercises, (str(root),), variant)
            body = _results(report, upload, folder, config, details)
    except Refused as error:
        print(f"run_autograder: refused to grade: {error}", file=sys.stderr)
        return _failed(UNPRIVILEGED, {**details, "refused": str(error)}, exercises), 1
    except Exception:  # the autograder's own fault: the student still gets an answer
        print(traceback.format_exc(), file=sys.stderr)
        return _failed(BROKEN, {**details, "error": traceback.format_exc(limit=-5)}, exercises), 1
    body["execution_time"] = round(time.monotonic() - started)
    _log(report, body)
    return body, 0


def main() -> int:
    root = autograder_root()
    body, status = run(root)
    write_results(root / "results", body)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return status


__all__ = ["autograder_root", "close_to_others", "main", "run", "student_id", "write_results"]

"""Grade one synthetic class two ways, on this machine, in one run: the kit's batch, nbgrader.

    python benchmarks/batch.py [--students 40] [--workers N] [--skip-nbgrader]
                               [--json FILE] [EXERCISE ...]      (default: all twelve)

The class cycles through three kinds of student, built from the kit's own files:
correct (solutions/ and tests/alternatives/), partly wrong (tests/mistakes/) and
broken (a syntax error, or code that crashes the process running it). Each
student gets one nbgrader notebook per exercise (the released notebook with
their solution cells), and the ``<exercise>.py`` that nbgrader's solution cells
amount to, so both graders see the same code.

Timed, as wall clock, each in its own process:

1. ``python -c "import torch"``: the floor of any grading process;
2. ``python -m graders batch CLASS --workers N`` on the ``.py`` files;
3. ``nbgrader autograde`` of the notebooks with nbgrader's default steps, its Execute
   included (every notebook's kernel runs its cells, test cells grading in the
   kernel): how nbgrader grades without the kit. The course's config (written by
   ``release``) replaces Execute with the kit's sandboxed scores, so a plain
   ``nbgrader autograde`` there runs nothing: nbgrader's default list is passed on
   its command line, where it wins over the config;
4. the checks' own compute: a sample of each kind of student (but broken ones, which
   may crash the process) graded in this process with no sandbox at all
   (``benchmarks/in_process.py``), per student; and, for comparison, the same students
   through one warm sandbox.

Prints seconds per submission for (2) and (3), their ratio (target: the batch at
least 5x faster), and the batch against the floor of importing torch once and
running every check once, in-process, spread over the workers (target: within 2x).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders._layout import EXERCISES, SOLUTIONS  # noqa: E402

ASSIGNMENT = "bench"
KINDS = ("correct", "partly wrong", "broken")
BROKEN = (  # what a broken student's solution cells hold, by exercise's first solution name
    "def {name}(*args, **kwargs:\n    return None\n",  # a syntax error
    "import ctypes\n\n\ndef {name}(*args, **kwargs):\n    ctypes.string_at(0)\n",  # a crash
)
TARGET_SPEEDUP, TARGET_FLOOR = 5.0, 2.0


def wall(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


# --- the class ----------------------------------------------------------------------


def _solution_cells(exercise: str, text: str) -> dict[str, str]:
    """A whole exercise file as solution cells (each function or class the notebook asks for)."""
    from graders.nbgrader._source import SOLUTION, exercise_source, split_source

    names = exercise_source(exercise).solution_names
    try:
        segments = split_source(exercise, text, names).segments
    except SyntaxError:
        return {}
    return {s.name: s.source for s in segments if s.kind == SOLUTION}


def student_code(exercise: str, kind: str, index: int) -> dict[str, str]:
    """The solution cells of the ``index``-th student of ``kind``."""
    from graders.nbgrader._source import exercise_source

    names = exercise_source(exercise).solution_names
    if kind == "broken":
        code = BROKEN[index % len(BROKEN)].format(name=names[0])
        return {name: code if i == 0 else "" for i, name in enumerate(names)}
    folder = ROOT / "tests" / ("mistakes" if kind == "partly wrong" else "alternatives") / exercise
    files = [SOLUTIONS / f"{exercise}.py"] if kind == "correct" else []
    files += sorted(folder.glob("*.py"))
    usable = [
        cells
        for cells in (_solution_cells(exercise, f.read_text()) for f in files)
        if set(cells) == set(names)
    ]
    return usable[index % len(usable)]


def _notebook(template: dict, exercise: str, cells: dict[str, str]) -> dict:
    from graders.nbgrader._notebooks import grade_id

    notebook = json.loads(json.dumps(template))
    ids = {grade_id(exercise, name): code for name, code in cells.items()}
    for cell in notebook["cells"]:
        code = ids.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if code is not None:
            cell["source"] = code
    return notebook


def _templates(course: Path, exercises: list[str], nbgrader: bool) -> dict[str, dict]:
    """The notebook students start from: nbgrader's release, or the kit's own build."""
    if nbgrader:
        from graders.nbgrader.release import release

        folder = release(course, ASSIGNMENT, exercises)
        return {e: json.loads((folder / f"{e}.ipynb").read_text()) for e in exercises}
    from graders.nbgrader._notebooks import build_notebook

    return {e: json.loads(json.dumps(build_notebook(e, {}))) for e in exercises}


def build_class(work: Path, students: int, exercises: list[str], nbgrader: bool) -> dict:
    """``work/class/<student>/<exercise>.py`` and ``work/course/submitted/...``; the kinds."""
    from graders.nbgrader._notebooks import module_from_notebook

    templates = _templates(work / "course", exercises, nbgrader)
    kinds = {}
    for number in range(students):
        kind = KINDS[number % len(KINDS)]
        student = f"s{number:03d}"
        kinds[student] = kind
        for exercise in exercises:
            notebook = _notebook(
                templates[exercise], exercise, student_code(exercise, kind, number // len(KINDS))
            )
            submitted = work / "course" / "submitted" / student / ASSIGNMENT
            submitted.mkdir(parents=True, exist_ok=True)
            (submitted / f"{exercise}.ipynb").write_text(json.dumps(notebook))
            script = work / "class" / student / f"{exercise}.py"
            script.parent.mkdir(parents=True, exist_ok=True)
            script.write_text(module_from_notebook(notebook, exercise))
    return kinds


# --- the timings ----------------------------------------------------------------------


def time_batch(work: Path, workers: int) -> tuple[float, dict[str, float]]:
    seconds = wall(
        [
            sys.executable,
            "-m",
            "graders",
            "batch",
            str(work / "class"),
            "--out",
            str(work / "out"),
            "--workers",
            str(workers),
            "--force",
        ],
        stderr=subprocess.DEVNULL,
    )
    totals: dict[str, float] = {}
    for path in sorted((work / "out" / "results").glob("*.json")):
        totals[path.stem] = json.loads(path.read_text())["score"]
    return seconds, totals


def nbgrader_default_steps() -> list[str]:
    """nbgrader's own autograde preprocessors (Execute first), as installed."""
    from nbgrader.converters import Autograde

    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    return [f"{step.__module__}.{step.__name__}" for step in steps]


def time_nbgrader(work: Path) -> tuple[float, dict[str, float]]:
    """``nbgrader autograde`` with nbgrader's default steps: each notebook's kernel runs.

    The release's config replaces Execute (the kit's ``SandboxScores``): without the
    default list on the command line, nbgrader would execute nothing."""
    from graders.nbgrader.release import nbgrader_environment

    steps = nbgrader_default_steps()
    if not any(step.endswith(".Execute") for step in steps):
        sys.exit(f"nbgrader's default autograde steps have no Execute: {steps}")
    command = [
        sys.executable,
        "-m",
        "nbgrader",
        "autograde",
        ASSIGNMENT,
        "--create",
        "--force",
        "--log-level=ERROR",
        *(f"--Autograde.autograde_preprocessors={step}" for step in steps),
    ]
    start = time.perf_counter()
    subprocess.run(
        command,
        cwd=work / "course",
        env=nbgrader_environment(),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start, _gradebook_totals(work / "course")


def _gradebook_totals(course: Path) -> dict[str, float]:
    import warnings

    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            return {
                s.student.id: float(s.score) for s in gradebook.assignment_submissions(ASSIGNMENT)
            }


def checks_compute(work: Path, exercises: list[str], kinds: dict[str, str],
                   sample: int) -> dict[str, float]:
    """Seconds per student of grading alone, by kind, over up to ``sample`` students of each
    kind that can run outside a sandbox: ``in process`` with no sandbox at all (the floor),
    and ``sandboxed`` through one warm sandbox (what the isolation adds, start-up aside)."""
    from in_process import InProcessProbes, grade_in_process

    from graders._engine import grade
    from graders._sandbox import Sandbox

    students = {kind: [s for s in sorted(kinds) if kinds[s] == kind][:sample]
                for kind in KINDS if kind != "broken"}  # a broken student may crash its process
    first = work / "class" / next(iter(students.values()))[0]
    grade(first, exercises, sandbox=InProcessProbes())  # imports and pytest's first collection
    figures: dict[str, float] = {}
    for kind, names in students.items():
        figures[f"in process, {kind}"] = statistics.mean(
            grade_in_process(work / "class" / name, exercises) for name in names)
    with Sandbox() as sandbox:
        grade(first, exercises, sandbox=sandbox)  # the fork server's warm-ups
        for kind, names in students.items():
            times = []
            for name in names:
                start = time.perf_counter()
                grade(work / "class" / name, exercises, sandbox=sandbox)
                times.append(time.perf_counter() - start)
            figures[f"sandboxed, {kind}"] = statistics.mean(times)
    return figures


def floor(figures: dict, kinds: dict[str, str], how: str) -> float:
    """``import torch`` once, then every student's compute spread over the workers; a
    broken student counts as no compute at all (the floor errs low, never high)."""
    total = sum(figures["compute"].get(f"{how}, {kind}", 0.0) for kind in kinds.values())
    return figures["import_torch"] + total / figures["workers"]


# --- the report -----------------------------------------------------------------------------


def _agreement(batch: dict[str, float], nbgrader: dict[str, float]) -> str:
    same = sum(abs(batch.get(s, -1) - nbgrader.get(s, -2)) < 1e-6 for s in batch)
    return f"{same}/{len(batch)} students"


def report(figures: dict) -> str:
    n = figures["students"]
    lines = [
        f"class: {n} students x {', '.join(figures['exercises'])} "
        f"({figures['mix']}); batch workers: {figures['workers']}; "
        f"machine: {figures['cores']} cores, load average {figures['load']:.1f} at start",
        f"import torch (floor of any process): {figures['import_torch']:8.2f} s",
        f"graders batch:      {figures['batch']:8.2f} s total, "
        f"{figures['batch'] / n:6.2f} s per submission",
    ]
    if "nbgrader" in figures:
        speedup = figures["nbgrader"] / figures["batch"]
        lines += [
            f"nbgrader autograde: {figures['nbgrader']:8.2f} s total, "
            f"{figures['nbgrader'] / n:6.2f} s per submission",
            f"speed-up (nbgrader / batch): {speedup:6.1f}x (target >= {TARGET_SPEEDUP:g}x) "
            f"{'OK' if speedup >= TARGET_SPEEDUP else 'UNDER TARGET'}",
            f"same total score in both: {figures['agree']}",
        ]
    if "compute" in figures:
        for what, seconds in figures["compute"].items():
            lines.append(f"checks' compute per student, {what + ':':<29} {seconds:6.2f} s")
        bound = floor(figures, figures["kinds"], "in process")
        ratio = figures["batch"] / bound
        lines += [
            f"floor (import torch once + in-process compute / workers): {bound:8.2f} s",
            f"batch / floor: {ratio:5.2f}x (target <= {TARGET_FLOOR:g}x) "
            f"{'OK' if ratio <= TARGET_FLOOR else 'OVER TARGET'}; through a warm sandbox the "
            f"same compute would be {floor(figures, figures['kinds'], 'sandboxed'):.2f} s",
        ]
    return "\n".join(lines)


def main() -> None:
    from graders.batch._pools import default_workers

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("exercises", nargs="*", default=list(EXERCISES), metavar="EXERCISE")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--repeat", type=int, default=3, help="runs of `import torch`")
    parser.add_argument(
        "--sample",
        type=int,
        default=3,
        help="students of each kind graded for the checks' compute (0: skip)",
    )
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    nbgrader = not args.skip_nbgrader
    if nbgrader:
        import importlib.util

        if importlib.util.find_spec("nbgrader") is None:
            sys.exit("nbgrader is not installed (the instructor extra); or --skip-nbgrader")
    figures = {
        "students": args.students,
        "exercises": args.exercises,
        "workers": args.workers,
        "cores": default_workers(),
        "load": os.getloadavg()[0],
    }
    figures["import_torch"] = statistics.median(
        wall([sys.executable, "-c", "import torch"]) for _ in range(args.repeat)
    )
    with tempfile.TemporaryDirectory(prefix="torchgrade-bench-") as folder:
        work = Path(folder)
        kinds = build_class(work, args.students, args.exercises, nbgrader)
        figures["mix"] = ", ".join(f"{list(kinds.values()).count(k)} {k}" for k in KINDS)
        figures["batch"], batch_totals = time_batch(work, args.workers)
        if nbgrader:
            figures["nbgrader"], nbgrader_totals = time_nbgrader(work)
            figures["agree"] = _agreement(batch_totals, nbgrader_totals)
        if args.sample:
            figures["kinds"] = kinds
            figures["compute"] = checks_compute(work, args.exercises, kinds, args.sample)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

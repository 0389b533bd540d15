"""The kill matrix: grade every catalogued mistake and alternative, show what catches what.

    python tests/kill_matrix.py [EXERCISE ...]      (nox -s mutants)

For each exercise: one row per mistake with the checks it fails, the collateral
(checks it fails that it is not meant to) and the hint shown, one row per
alternative with its score, then any dead check (no mistake fails it), uncaught
mistake, collateral, wrong hint or false failure. Exits 1 if there is any.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from catalogue import (  # noqa: E402
    alternatives,
    collateral,
    failed_hints,
    matches,
    mistake_problems,
    mistakes,
    submission_files,
)

from graders._layout import EXERCISES  # noqa: E402


@dataclass(frozen=True)
class Row:
    label: str
    failed: tuple[str, ...]
    hint: str
    problem: str  # "" when the row is as the catalogue says
    collateral: tuple[str, ...] = ()


def _grade_file(grade, sandbox, exercise: str, path: Path | None):
    with tempfile.TemporaryDirectory() as directory:
        for name, source in submission_files(exercise, path).items():
            shutil.copyfile(source, Path(directory) / f"{name}.py")
        return grade(directory, [exercise], sandbox=sandbox).exercise(exercise)


def _mistake_row(result, mistake) -> Row:
    failed = failed_hints(result)
    problems = [problem.split(":", 1)[0] for problem in mistake_problems(result, mistake)]
    extra = tuple(collateral(result, mistake))
    problems += ["collateral"] if extra else []
    hint = next((failed[c] for c in failed if any(matches(c, n) for n in mistake.fails)), "")
    return Row(f"mistake {mistake.name}", tuple(failed), hint.split(": ", 1)[-1],
               "; ".join(problems), extra)


def exercise_matrix(grade, sandbox, exercise: str) -> tuple[list[Row], list[str]]:
    checks = [c.check for c in _grade_file(grade, sandbox, exercise, None).checks
              if c.max_points > 0]
    rows, killed = [], set()
    for mistake in mistakes(exercise):
        result = _grade_file(grade, sandbox, exercise, mistake.path)
        row = _mistake_row(result, mistake)
        killed |= set(row.failed)
        rows.append(row)
    for path in alternatives(exercise):
        result = _grade_file(grade, sandbox, exercise, path)
        lost = tuple(failed_hints(result))
        rows.append(Row(f"alternative {path.stem}", lost, f"{result.score:g}/{result.max_score:g}",
                        "false failure" if lost else ""))
    dead = [check for check in checks if check not in killed]
    return rows, dead


def print_matrix(exercise: str, rows: list[Row], dead: list[str]) -> int:
    print(f"\n== {exercise}")
    problems = 0
    for row in rows:
        flag = f"  <-- {row.problem}" if row.problem else ""
        problems += bool(row.problem)
        print(f"  {row.label}{flag}")
        print(f"      fails: {', '.join(row.failed) or '-'}")
        if row.label.startswith("mistake"):
            print(f"      collateral: {', '.join(row.collateral) or '-'}")
        print(f"      shows: {row.hint[:160]}")
    for check in dead:
        print(f"  DEAD CHECK: {check} (no catalogued mistake fails it)")
    return problems + len(dead)


def main(argv: list[str]) -> int:
    from graders import grade
    from graders._sandbox import Sandbox

    problems = 0
    with Sandbox() as sandbox:
        for exercise in argv or EXERCISES:
            rows, dead = exercise_matrix(grade, sandbox, exercise)
            problems += print_matrix(exercise, rows, dead)
    print(f"\n{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

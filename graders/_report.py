"""Grading results: frozen records, the terminal table, and Gradescope's results.json."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graders import _gates

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
GATED = _gates.GATED  # not graded: a core check it waits for did not pass
# Gradescope's visibility values: a public check is ``visible``; a hidden check is shown to
# students only as part of its exercise's hidden total until the instructor publishes.
VISIBLE = "visible"
VISIBILITIES = ("hidden", "after_due_date", "after_published", VISIBLE)


@dataclass(frozen=True)
class CheckResult:
    """One grader check on one exercise."""

    exercise: str
    check: str
    points: float  # earned
    max_points: float
    status: str  # passed, failed, skipped (CUDA) or gated (not graded until the core passes)
    hint: str = ""  # "<exercise> / <check>: ..." for failed and skipped checks
    visibility: str = VISIBLE  # or a hidden check's (Gradescope's values)
    mistake: str = ""  # the hint's likely-mistake part alone, when a check named one


@dataclass(frozen=True)
class ExerciseResult:
    name: str
    checks: tuple[CheckResult, ...]
    hidden_max: float = 0.0  # points of hidden checks this run left out (the student kit)
    # graders._figures records for the HTML report; not part of a result's identity.
    figures: tuple = field(default=(), compare=False)

    @property
    def score(self) -> float:
        return sum(check.points for check in self.checks)

    @property
    def max_score(self) -> float:
        return sum(check.max_points for check in self.checks)

    @property
    def first_hint(self) -> str:
        return next((c.hint for c in self.checks if c.status == FAILED), "")


@dataclass(frozen=True)
class GradeReport:
    submission: str
    exercises: tuple[ExerciseResult, ...]
    isolation: tuple = ()  # graders._isolation.Layer records
    manifest: dict = field(default_factory=dict, compare=False)  # graders._manifest.build()

    @property
    def missing_layers(self) -> list:
        return [layer for layer in self.isolation if not layer.active]

    @property
    def score(self) -> float:
        return sum(exercise.score for exercise in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(exercise.max_score for exercise in self.exercises)

    def exercise(self, name: str) -> ExerciseResult:
        return next(result for result in self.exercises if result.name == name)

    def to_gradescope(self) -> dict:
        """The Gradescope autograder ``results.json`` schema, one test per check."""
        tests = [
            {
                "name": f"{check.exercise} / {check.check}",
                "score": check.points,
                "max_score": check.max_points,
                "status": PASSED if check.status in (PASSED, SKIPPED) else FAILED,
                "output": check.hint or ("passed" if check.status == PASSED else ""),
                "visibility": check.visibility,
            }
            for exercise in self.exercises
            for check in exercise.checks
        ]
        layers = {
            layer.name: {"active": layer.active, "detail": layer.detail} for layer in self.isolation
        }
        return {
            "score": self.score,
            "max_score": self.max_score,
            "tests": tests,
            "output": render_isolation(self),
            "extra_data": {"isolation": layers, "manifest": self.manifest},
        }


def _points(value: float) -> str:
    return f"{value:g}"


def render_table(report: GradeReport, width: int = 100) -> str:
    """The student's view: one row per exercise, then the total."""
    name_width = max([len("exercise"), *(len(e.name) for e in report.exercises)])
    lines = [f"{'exercise':<{name_width}}  {'points':>9}  first hint"]
    for result in report.exercises:
        points = f"{_points(result.score)}/{_points(result.max_score)}"
        lines.append(f"{result.name:<{name_width}}  {points:>9}  "
                     f"{_first_hint(result, max(width - name_width - 13, 30))}")
    total = f"{_points(report.score)}/{_points(report.max_score)}"
    lines.append(f"{'total':<{name_width}}  {total:>9}")
    hidden = [f"{r.name} {_points(r.hidden_max)}" for r in report.exercises if r.hidden_max]
    if hidden:
        lines.append(f"Hidden checks, run only by your instructor, add "
                     f"{_points(sum(r.hidden_max for r in report.exercises))} more points "
                     f"({', '.join(hidden)}).")
    return "\n".join(lines)


def _first_hint(result: ExerciseResult, room: int) -> str:
    """The table's column: the first failed check and the mistake its hint names, whole (the
    diagnosis is what a student reads the row for); a hint naming none is cut to ``room``."""
    first = next((c for c in result.checks if c.status == FAILED), None)
    if first is None:
        return "all checks passed"
    if first.mistake and len(first.mistake) <= 3 * room:  # longer: quotes the student at length
        return f"{first.check}: {first.mistake}"
    hint = first.hint.removeprefix(f"{result.name} / ")
    return hint if len(hint) <= room else hint[: room - 3] + "..."


def render_hints(report: GradeReport) -> str:
    """Every failed and skipped check's hint; checks sharing one hint are listed together.

    Gated checks (their core failed) are no mistake of their own: one line per
    exercise says which wait for which core check. Skipped checks (CUDA on a machine
    without a GPU: worth 0 points) are no mistake at all: one line at the end lists them.
    """
    lines, skipped = [], {}
    for exercise in report.exercises:
        groups: dict[str, tuple[str, list[str]]] = {}  # one slip: its first hint, its checks
        for check in exercise.checks:
            text = check.hint.split(": ", 1)[-1]
            if check.status == SKIPPED:
                skipped.setdefault(text.removeprefix("skipped: "), []).append(
                    f"{exercise.name} / {check.check}")
            elif check.status != PASSED:
                groups.setdefault(_slip(check, text), (text, []))[1].append(check.check)
        for text, checks in groups.values():
            lines.append(f"- {exercise.name} / {_names(checks)}: {text}")
    for why, checks in skipped.items():
        count = f"{len(checks)} checks" if len(checks) > 1 else "1 check"
        lines.append(f"- Skipped, {why} ({count}, no points lost): {', '.join(checks)}")
    return "\n".join(lines)


def _slip(check: CheckResult, text: str) -> str:
    """What a failed check is grouped by: the mistake its hint names, its numbers aside (the
    same slip gives "5 times too large" on one case and "7 times" on another), or, when the
    hint names none, the whole hint."""
    return re.sub(r"\d+(?:\.\d+)?", "#", check.mistake) if check.mistake else text


def _names(checks: list[str]) -> str:
    shown = ", ".join(checks[:3]) + (f" and {len(checks) - 3} more" if len(checks) > 3 else "")
    return checks[0] if len(checks) == 1 else f"{len(checks)} checks ({shown})"


def render_isolation(report: GradeReport) -> str:
    """One line per isolation layer this machine could not apply (never claimed silently)."""
    if not report.isolation:
        return ""
    missing = report.missing_layers
    if not missing:
        return f"Sandbox: all {len(report.isolation)} isolation layers active."
    lines = [f"Sandbox: {len(missing)} isolation layer(s) unavailable on this machine:"]
    lines += [f"- {layer.name}: {layer.detail}" for layer in missing]
    return "\n".join(lines)

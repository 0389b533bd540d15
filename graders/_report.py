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
        """The Gradescope autograder ``results.json`` schema, one test per check.

        The top-level ``output`` is what every student sees at once (``gradescope_summary``);
        the sandbox's report is the instructor's, in ``extra_data`` with every layer.
        """
        layers = {
            layer.name: {"active": layer.active, "detail": layer.detail} for layer in self.isolation
        }
        return {
            "score": self.score,
            "max_score": self.max_score,
            "tests": [_gradescope_test(check) for exercise in self.exercises
                      for check in exercise.checks],
            "output": gradescope_summary(self),
            "output_format": "text",  # hints quote the student's text: never read as HTML
            "extra_data": {"isolation": layers, "sandbox": render_isolation(self),
                           "manifest": self.manifest},
        }


def _gradescope_test(check: CheckResult) -> dict:
    """One check as a Gradescope test. Gradescope knows only "passed" and "failed": a skipped
    check (CUDA on a machine without a GPU, worth 0 points) is "failed", tagged ``skipped``,
    says why, and is shown only once the instructor publishes, as hidden checks are."""
    skipped = check.status == SKIPPED
    test = {
        "name": f"{check.exercise} / {check.check}",
        "score": check.points,
        "max_score": check.max_points,
        "status": PASSED if check.status == PASSED else FAILED,
        "output": check.hint or ("passed" if check.status == PASSED else ""),
        "visibility": "after_published" if skipped else check.visibility,
    }
    if skipped:
        test["output"] += " (not run: worth 0 points, none lost)"
        test["tags"] = [SKIPPED]
    return test


def gradescope_summary(report: GradeReport) -> str:
    """results.json's top-level output, which a student sees at once: each exercise's public
    points, what the hidden checks are worth (their results wait for the instructor: a total
    would give them away) and what was skipped. Never the sandbox's report."""
    lines, hidden, skipped = [], 0.0, []
    for exercise in report.exercises:
        public = [c for c in exercise.checks if c.visibility == VISIBLE and c.status != SKIPPED]
        hidden += sum(c.max_points for c in exercise.checks if c.visibility != VISIBLE)
        skipped += [c for c in exercise.checks if c.status == SKIPPED]
        failed = sum(c.status != PASSED for c in public)
        points = (f"{_points(sum(c.points for c in public))}/"
                  f"{_points(sum(c.max_points for c in public))}")
        verdict = (f"{failed} check{'s' * (failed != 1)} failed (hints below)" if failed
                   else "all public checks passed")
        lines.append(f"{exercise.name}: {points} public points, {verdict}.")
    if hidden:
        lines.append(f"Hidden checks worth {_points(hidden)} more points were graded too: "
                     "their results appear when your instructor publishes them.")
    if skipped:
        why = skipped[0].hint.split("skipped: ", 1)[-1]
        lines.append(f"{len(skipped)} check{'s' * (len(skipped) != 1)} skipped, worth 0 "
                     f"points (none lost): {why}")
    return "\n".join(lines)


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
    if note := hidden_note(report):
        lines.append(note)
    return "\n".join(lines)


def hidden_note(report: GradeReport) -> str:
    """The table's last line in the student kit: what the hidden checks it left out are worth."""
    hidden = [f"{r.name} {_points(r.hidden_max)}" for r in report.exercises if r.hidden_max]
    if not hidden:
        return ""
    return (f"Hidden checks, run only by your instructor, add "
            f"{_points(sum(r.hidden_max for r in report.exercises))} more points "
            f"({', '.join(hidden)}).")


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


def first_hint_whole(result: ExerciseResult) -> str:
    """The table's first-hint column never cut, for a table that wraps it (graders._terminal)."""
    return _first_hint(result, max(len(result.first_hint), 1))


def render_hints(report: GradeReport) -> str:
    """Every failed and skipped check's hint; checks sharing one hint are listed together.

    Gated checks (their core failed) are no mistake of their own: one line per
    exercise says which wait for which core check. Skipped checks (CUDA on a machine
    without a GPU: worth 0 points) are no mistake at all: one line at the end lists them.
    """
    return "\n".join(f"- {item}" for item in hint_items(report))


def hint_items(report: GradeReport) -> list[str]:
    """``render_hints``'s lines without their bullets (``graders._terminal`` wraps each)."""
    lines, skipped = [], {}
    for exercise in report.exercises:
        for check in exercise.checks:
            if check.status == SKIPPED:
                skipped.setdefault(check.hint.split(": ", 1)[-1].removeprefix("skipped: "),
                                   []).append(f"{exercise.name} / {check.check}")
        for text, checks in hint_groups(exercise):
            lines.append(f"{exercise.name} / {_names([c.check for c in checks])}: {text}")
    for why, checks in skipped.items():
        count = f"{len(checks)} checks" if len(checks) > 1 else "1 check"
        lines.append(f"Skipped, {why} ({count}, no points lost): {', '.join(checks)}")
    return lines


def hint_groups(exercise: ExerciseResult) -> list[tuple[str, list[CheckResult]]]:
    """An exercise's failed and gated checks, those sharing one slip (``_slip``) together:
    each group's first hint (without its "exercise / check: " prefix) and its checks."""
    groups: dict[str, tuple[str, list[CheckResult]]] = {}
    for check in exercise.checks:
        if check.status not in (PASSED, SKIPPED):
            text = check.hint.split(": ", 1)[-1]
            groups.setdefault(_slip(check, text), (text, []))[1].append(check)
    return list(groups.values())


def _slip(check: CheckResult, text: str) -> str:
    """What a failed check is grouped by: the mistake its hint names, its numbers aside (the
    same slip gives "5 times too large" on one case and "7 times" on another), or, when the
    hint names none, the whole hint."""
    return mistake_family(check.mistake) if check.mistake else text


def mistake_family(mistake: str) -> str:
    """A likely-mistake sentence with its numbers made "#": the same slip on other inputs
    ("5 times too large", "7 times too large") is one family (the class report counts these).
    A hint that says what it saw, then what the student did ("The loss is 5 times too large:
    you summed instead of averaging.") belongs to the family of what they did: the loss's
    hint and the gradient's name one slip."""
    did = re.search(r": (you [^.]*\.?)", mistake)
    return re.sub(r"\d+(?:\.\d+)?", "#", did.group(1) if did else mistake)


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

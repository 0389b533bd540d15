"""The class report: one self-contained HTML page about a whole class (batch, autograde).

It is built from plain rows, one per student (``StudentRow``: points per exercise,
each check's status, the mistakes their hints named, a link to the student's own
report), never from graded objects, so ``batch`` can build it from the results it
keeps on disk. The page shows:

- the distribution of scores, per exercise and in total (histograms, inline SVG
  drawn here: no plotting library);
- the checks nearly everyone fails (a sign that the check, or the teaching, is wrong);
- the class's most frequent mistakes, by hint family (the likely-mistake sentence of
  a failed check's hint, numbers aside, as ``graders._report`` groups a student's
  hints), each counted once per student;
- each check's pass rate, and a table of students, both sortable by a click.

Student ids and hints are untrusted: everything is escaped. The page loads nothing
(inline CSS and script, a Content-Security-Policy that forbids any fetch).
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from graders._layout import EXERCISES
from graders._report import FAILED, PASSED, GradeReport, mistake_family
from graders._text import printable

NEARLY_ALL = 0.8  # a check failed by this share of the students who had it graded...
NEARLY_ALL_AMONG = 3  # ... among at least this many is listed as nearly everyone failing
MAX_MISTAKES = 30  # families listed, most frequent first
MAX_TEXT = 300  # characters of a family or a check name shown
BIN_LABELS = (*(f"{10 * i}–{10 * i + 9}%" for i in range(10)), "100%")


@dataclass(frozen=True)
class ExerciseScore:
    exercise: str
    points: float
    max_points: float | None  # None: not graded (the student's grading failed)
    status: str = "graded"  # or missing, unreadable, error, worker died, ...


@dataclass(frozen=True)
class CheckStatus:
    exercise: str
    check: str  # as graded: a parametrized check's case keeps its "[...]"
    status: str  # passed, failed, skipped or gated (graders._report)


@dataclass(frozen=True)
class Mistake:
    exercise: str
    family: str  # the likely mistake, numbers made "#"; or "<check> failed" when none named


@dataclass(frozen=True)
class StudentRow:
    student: str
    scores: tuple[ExerciseScore, ...]
    checks: tuple[CheckStatus, ...] = ()  # of the exercises the student handed in
    mistakes: tuple[Mistake, ...] = ()  # each family once
    report: str | None = None  # the student's HTML report, relative to the class report
    status: str = "graded"  # or why the student could not be graded

    @property
    def points(self) -> float:
        return sum(score.points for score in self.scores)


@dataclass(frozen=True)
class PassRate:
    exercise: str
    check: str  # a parametrized check's cases count as one: passed when all passed
    passed: int
    graded: int  # students who had it graded (passed or failed)

    @property
    def failed(self) -> int:
        return self.graded - self.passed

    @property
    def nearly_all_fail(self) -> bool:
        return self.graded >= NEARLY_ALL_AMONG and self.failed >= NEARLY_ALL * self.graded


def base_check(check: str) -> str:
    return check.split("[", 1)[0]


def mistakes_of(failed: Iterable[tuple[str, str, str]]) -> tuple[Mistake, ...]:
    """The families of a student's failed checks, given as (exercise, check, mistake), each
    once: one slip, one count. A hint that names no likely mistake counts as its check."""
    families = {}
    for exercise, check, mistake in failed:
        text = mistake_family(mistake) if mistake else f"{base_check(check)} failed"
        family = Mistake(exercise, printable(text, MAX_TEXT))
        families[family] = None
    return tuple(families)


def row_of_report(student: str, report: GradeReport, report_link: str | None = None
                  ) -> StudentRow:
    """The row of one student graded in this process (``grade()``'s report): every exercise
    graded, each check's status, the families of its failed checks."""
    checks = [check for exercise in report.exercises for check in exercise.checks]
    return StudentRow(
        student,
        tuple(ExerciseScore(e.name, e.score, e.max_score) for e in report.exercises),
        tuple(CheckStatus(c.exercise, c.check, c.status) for c in checks),
        mistakes_of((c.exercise, c.check, c.mistake) for c in checks if c.status == FAILED),
        report_link,
    )


def histogram(fractions: Iterable[float]) -> tuple[int, ...]:
    """Counts in 11 bins: 0–9%, 10–19%, ..., 90–99% of the points, and full marks."""
    counts = [0] * len(BIN_LABELS)
    for fraction in fractions:
        share = min(max(fraction, 0.0), 1.0)
        counts[10 if share >= 1.0 else int(share * 10 + 1e-9)] += 1
    return tuple(counts)


def exercises_of(students: Sequence[StudentRow]) -> tuple[str, ...]:
    """Every exercise any student has a score for, in course order."""
    names = dict.fromkeys(score.exercise for row in students for score in row.scores)
    order = {name: i for i, name in enumerate(EXERCISES)}
    return tuple(sorted(names, key=lambda name: (order.get(name, len(order)), name)))


def worth(students: Sequence[StudentRow]) -> dict[str, float]:
    """Each exercise's maximum, from any student graded on it (it is the same for all)."""
    found: dict[str, float] = {}
    for row in students:
        for score in row.scores:
            if score.max_points:
                found.setdefault(score.exercise, score.max_points)
    return found


def pass_rates(students: Sequence[StudentRow]) -> tuple[PassRate, ...]:
    """Per check (cases together), how many of the students who had it graded passed it."""
    verdicts: dict[tuple[str, str], list[bool]] = {}
    for row in students:
        mine: dict[tuple[str, str], set[str]] = {}
        for check in row.checks:
            mine.setdefault((check.exercise, base_check(check.check)), set()).add(check.status)
        for key, statuses in mine.items():
            outcomes = verdicts.setdefault(key, [])
            if FAILED in statuses:
                outcomes.append(False)
            elif PASSED in statuses:
                outcomes.append(True)  # skipped and gated cases aside: not graded
    order = {name: i for i, name in enumerate(exercises_of(students))}
    keys = sorted(verdicts, key=lambda key: order.get(key[0], len(order)))  # stable: check order
    return tuple(PassRate(e, c, sum(verdicts[e, c]), len(verdicts[e, c])) for e, c in keys)


def frequent_mistakes(students: Sequence[StudentRow]) -> list[tuple[Mistake, int]]:
    """Families by the number of students whose hints named them, most frequent first."""
    counts = Counter(family for row in students for family in dict.fromkeys(row.mistakes))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].exercise, item[0].family))


# --- HTML -----------------------------------------------------------------------------

_e = html.escape


def _points(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def class_report(students: Sequence[StudentRow], *, title: str) -> str:
    """The whole HTML document."""
    students = sorted(students, key=lambda row: row.student)
    graded = [row for row in students if row.status == "graded"]
    rates = pass_rates(students)
    body = "\n".join([
        f"<h1>{_e(title)}</h1>",
        f"<p>{len(students)} student(s); {len(graded)} graded, "
        f"{len(students) - len(graded)} could not be graded.</p>",
        _distributions(graded),
        _nearly_all(rates),
        _mistakes(frequent_mistakes(students)),
        _rates(rates),
        _table(students),
    ])
    return _PAGE.format(title=_e(title), style=_STYLE, body=body, script=_SCRIPT)


def _distributions(graded: Sequence[StudentRow]) -> str:
    exercises, maxima = exercises_of(graded), worth(graded)
    figures = []
    total = sum(maxima.values())
    if total:
        figures.append(_histogram("total", [row.points for row in graded], total))
    for name in exercises:
        if maxima.get(name):
            points = [s.points for row in graded for s in row.scores if s.exercise == name]
            figures.append(_histogram(name, points, maxima[name]))
    if not figures:
        return "<h2>Scores</h2>\n<p>No student was graded.</p>"
    return "<h2>Scores</h2>\n<div class=\"figures\">\n" + "\n".join(figures) + "\n</div>"


def _histogram(name: str, points: Sequence[float], most: float) -> str:
    counts = histogram([p / most for p in points])
    tallest, width, height = max(counts) or 1, 24, 100
    bars = []
    for i, (count, label) in enumerate(zip(counts, BIN_LABELS, strict=True)):
        tall = max(round(height * count / tallest), 1)  # an empty bin: a line on the axis
        x, y = 4 + i * (width + 4), 14 + height - tall
        bars.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{tall}" class="bar'
            f'{" empty" if not count else ""}"><title>{count} student(s): {label} of the points'
            f"</title></rect>"
            f'<text x="{x + width / 2}" y="{y - 3}" class="count">{count or ""}</text>'
        )
    axis = (f'<text x="4" y="{height + 28}">0%</text>'
            f'<text x="{4 + 11 * (width + 4) - 4}" y="{height + 28}" class="end">100%</text>')
    caption = (f"{_e(name)}: {len(points)} student(s), mean {statistics.fmean(points):.3g}, "
               f"median {statistics.median(points):g} of {most:g}")
    return (
        f'<figure class="histogram" data-name="{_e(name)}" '
        f'data-counts="{" ".join(map(str, counts))}">'
        f'<svg viewBox="0 0 {8 + 11 * (width + 4)} '
        f'{height + 34}" role="img" aria-label="{_e(name)} scores">{"".join(bars)}{axis}</svg>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _nearly_all(rates: Sequence[PassRate]) -> str:
    failing = [rate for rate in rates if rate.nearly_all_fail]
    head = "<h2>Checks nearly everyone fails</h2>\n"
    if not failing:
        return head + (f"<p>None: no check was failed by {NEARLY_ALL:.0%} or more of at least "
                       f"{NEARLY_ALL_AMONG} students who had it graded.</p>")
    items = "".join(
        f'<li data-check="{_e(rate.exercise)} / {_e(rate.check)}">'
        f"<strong>{_e(rate.exercise)} / {_e(rate.check)}</strong>: failed by {rate.failed} of "
        f"{rate.graded} students</li>"
        for rate in failing
    )
    return head + (
        f'<p class="warning">These checks were failed by {NEARLY_ALL:.0%} or more of the '
        "students who had them graded. When nearly everyone fails a check, the check may be "
        "wrong, or the teaching did not get through: look at the check and at a few of these "
        f'students\' reports.</p>\n<ul class="nearly-all">{items}</ul>'
    )


def _mistakes(counted: list[tuple[Mistake, int]]) -> str:
    head = "<h2>Most frequent mistakes</h2>\n"
    if not counted:
        return head + "<p>No check failed.</p>"
    items = "".join(
        f'<li data-count="{count}" data-exercise="{_e(family.exercise)}">'
        f"<strong>{count} student{'s' if count != 1 else ''}</strong> "
        f"in {_e(family.exercise)}: {_e(family.family)}</li>"
        for family, count in counted[:MAX_MISTAKES]
    )
    more = len(counted) - MAX_MISTAKES
    rest = f"<p>{more} less frequent mistake(s) not listed.</p>" if more > 0 else ""
    return head + (
        "<p>Each failed check's hint names a likely mistake; the same mistake is counted "
        "once per student, whatever number of checks it failed. A hint that names none "
        f'counts as its check.</p>\n<ol class="mistakes">{items}</ol>{rest}'
    )


def _rates(rates: Sequence[PassRate]) -> str:
    head = "<h2>Pass rate per check</h2>\n"
    if not rates:
        return head + "<p>No check was graded.</p>"
    rows = "".join(
        f'<tr data-check="{_e(r.exercise)} / {_e(r.check)}"{_warn(r)}>'
        f'<td data-sort="{_e(r.exercise)}">{_e(r.exercise)}</td>'
        f'<td data-sort="{_e(r.check)}">{_e(r.check)}</td>'
        f'<td data-sort="{r.passed}">{r.passed}</td><td data-sort="{r.graded}">{r.graded}</td>'
        f'<td data-sort="{r.passed / r.graded:.4f}">{_rate_bar(r.passed / r.graded)}</td></tr>'
        for r in rates if r.graded
    )
    header = _header(["exercise", "check", "passed", "graded", "pass rate"])
    return head + (
        "<p>Among the students who had each check graded (a check waiting for a failed core "
        "check, or skipped for want of a GPU, is not graded). A parametrized check counts as "
        f'passed when all its cases passed.</p>\n<table class="sortable rates">{header}'
        f"<tbody>{rows}</tbody></table>"
    )


def _warn(rate: PassRate) -> str:
    return ' class="nearly-all"' if rate.nearly_all_fail else ""


def _rate_bar(share: float) -> str:
    return (f'<span class="rate"><span style="width:{100 * share:.0f}%"></span></span> '
            f"{100 * share:.0f}%")


def _header(names: Iterable[str]) -> str:
    cells = "".join(f'<th><button type="button">{_e(name)}</button></th>' for name in names)
    return f"<thead><tr>{cells}</tr></thead>"


def _table(students: Sequence[StudentRow]) -> str:
    exercises, maxima = exercises_of(students), worth(students)
    total = sum(maxima.values())
    header = _header(["student", "status", f"total /{total:g}",
                      *(f"{name} /{maxima.get(name, 0):g}" for name in exercises)])
    rows = [_student_row(row, exercises) for row in students]
    return (
        "<h2>Students</h2>\n<p>Click a column's header to sort by it (again: the other way). "
        "A student's name opens their own report.</p>\n"
        f'<table class="sortable students">{header}<tbody>{"".join(rows)}</tbody></table>'
    )


def _student_row(row: StudentRow, exercises: Sequence[str]) -> str:
    name = _e(row.student)
    if row.report:
        name = f'<a href="{_e(quote(row.report))}">{name}</a>'
    graded = row.status == "graded"
    scores = {score.exercise: score for score in row.scores}
    cells = [f'<td data-sort="{_e(row.student)}">{name}</td>',
             f'<td data-sort="{_e(row.status)}">{_e(row.status)}</td>',
             f'<td data-sort="{row.points if graded else -1:g}">'
             f"{_points(row.points if graded else None)}</td>"]
    for exercise in exercises:
        score = scores.get(exercise)
        shown = score if score is not None and score.max_points is not None else None
        note = "" if shown is None or score.status == "graded" else f" ({_e(score.status)})"
        cells.append(f'<td data-sort="{shown.points if shown else -1:g}">'
                     f"{_points(shown.points if shown else None)}{note}</td>")
    return f'<tr data-student="{_e(row.student)}">{"".join(cells)}</tr>'


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
{body}
<script>{script}</script>
</body>
</html>
"""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em;
       color: #222; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure.histogram { margin: 0; width: 20em; }
figure.histogram svg { width: 100%; height: auto; }
figure.histogram text { font-size: 10px; fill: #444; }
figure.histogram text.count { text-anchor: middle; }
figure.histogram text.end { text-anchor: end; }
rect.bar { fill: #3b73b9; }
rect.bar.empty { fill: #ddd; }
figcaption { font-size: 0.9em; }
.warning { background: #fff3cd; padding: 0.5em; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; }
th button { font: inherit; font-weight: bold; background: none; border: none; padding: 0;
            cursor: pointer; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
tr.nearly-all { background: #fde2e1; }
.rate { display: inline-block; width: 6em; height: 0.7em; background: #eee; }
.rate span { display: block; height: 100%; background: #3b73b9; }
"""

# Sorts a table by the clicked column: numerically where both cells' data-sort are numbers.
_SCRIPT = """
document.querySelectorAll("table.sortable th button").forEach(function (button) {
  button.addEventListener("click", function () {
    var th = button.parentNode, table = th.closest("table"), body = table.tBodies[0];
    var column = th.cellIndex, up = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
      var nx = Number(x), ny = Number(y);
      var order = (x === "" || y === "" || isNaN(nx) || isNaN(ny)) ? x.localeCompare(y)
                                                                   : nx - ny;
      return up ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""

"""The student's report as one self-contained HTML page (``grade --html FILE``).

One file a student can open anywhere, offline: the CSS is inline, the pictures are inline
SVG drawn by hand (``graders._svg``), and nothing in it names a URL, a file or a script.
Per exercise: the points as a bar, the checks grouped (passed, failed, not graded until the
core passes, hidden, skipped), the failed checks' hints grouped by slip as the terminal
report groups them (``graders._report.hint_groups``), then the pictures its checks recorded
(``graders._figures``). A sticky summary table at the top links to each exercise.

Only ``grade --html`` imports this module: a plain ``grade`` never loads it. Every string
that reaches the page is escaped here (hints quote the student's own text).
"""

from __future__ import annotations

from html import escape

from graders._figures import Gradients, LossCurves, ShapeTable, Softmax
from graders._report import (
    FAILED,
    GATED,
    PASSED,
    SKIPPED,
    VISIBLE,
    CheckResult,
    ExerciseResult,
    GradeReport,
    hidden_note,
    hint_groups,
    render_isolation,
)
from graders._svg import gradient_bars, loss_chart, score_bar, share_bar

HIDDEN = "hidden"
# The check groups, in the order shown, with their headings.
GROUPS = {
    PASSED: "Passed",
    FAILED: "Failed",
    GATED: "Not graded until the core passes",
    HIDDEN: "Hidden checks (your instructor's)",
    SKIPPED: "Skipped, no points lost",
}

STYLE = """
:root { --ok: #1a7f37; --bad: #cf222e; --wait: #9a6700; --muted: #57606a; --line: #d0d7de;
        --you: #0969da; --ref: #8c959f; }
body { font: 15px/1.45 system-ui, sans-serif; color: #1f2328; background: #fff;
       max-width: 62rem; margin: 0 auto; padding: 0 1rem 2rem; overflow-wrap: anywhere; }
h1 { margin: .6rem 0 .2rem; } h2 { margin: 0 0 .3rem; } h3 { margin: .8rem 0 .3rem; }
nav.summary { position: sticky; top: 0; z-index: 1; background: #fff; max-height: 40vh;
              overflow: auto; border-bottom: 1px solid var(--line); padding: .3rem 0; }
table { border-collapse: collapse; }
th, td { padding: 1px 8px; text-align: left; vertical-align: middle; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { border-top: 1px solid var(--line); font-weight: 600; }
section.exercise { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: .5rem;
                   scroll-margin-top: 42vh; }
.check, code { font-family: ui-monospace, monospace; font-size: .9em; }
details.group summary { cursor: pointer; font-weight: 600; }
details.group ul { margin: .2rem 0 .4rem; columns: 2 18rem; }
.passed summary { color: var(--ok); } .failed summary { color: var(--bad); }
.gated summary, .skipped summary { color: var(--wait); } .hidden summary { color: var(--muted); }
ol.hints li { margin: .4rem 0; } .hints .checks { color: var(--muted); }
.note, .empty { color: var(--muted); }
figure { margin: .8rem 0; } figcaption { font-weight: 600; margin-bottom: .2rem; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .bar-bg { fill: #eaeef2; } svg .bar-fill { fill: var(--ok); }
svg .axis { stroke: var(--ref); stroke-width: 1; }
svg path, svg line.student, svg line.reference { fill: none; stroke-width: 2; }
svg .student { stroke: var(--you); fill: var(--you); } svg path.student { fill: none; }
svg .reference { stroke: var(--ref); stroke-dasharray: 6 4; fill: var(--ref); }
svg path.reference { fill: none; } svg rect.student, svg rect.reference { stroke: none; }
svg .departure { stroke: var(--bad); stroke-dasharray: 3 3; fill: var(--bad); }
svg text.nan, svg text.departure { fill: var(--bad); stroke: none; font-weight: 600; }
table.shapes td, table.shapes th, table.softmax td, table.softmax th {
  border-bottom: 1px solid var(--line); }
tr.wrong { background: #ffebe9; } tr.wrong td { font-weight: 600; color: var(--bad); }
.badge { border-radius: 1em; padding: 0 .5em; font-size: .85em; font-weight: 600; }
.badge.stable { background: #dafbe1; color: var(--ok); }
.badge.nan { background: #ffebe9; color: var(--bad); }
pre { white-space: pre-wrap; }
@media print { nav.summary { position: static; max-height: none; } }
"""


def student_report(report: GradeReport, *, title: str = "torchgrade report",
                   student: str | None = None) -> str:
    """The whole page for one graded submission."""
    heading = escape(title) + (f": {escape(student)}" if student else "")
    parts = [
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title><style>{STYLE}</style></head><body>",
        f"<h1>{heading}</h1>",
        _summary(report),
        *(_exercise(result) for result in report.exercises),
        _footer(report),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _points(value: float) -> str:
    return f"{value:g}"


def _anchor(name: str) -> str:
    return escape(f"exercise-{name}")


def _summary(report: GradeReport) -> str:
    rows = [f'<tr><td><a href="#{_anchor(r.name)}">{escape(r.name)}</a></td>'
            f'<td class="num">{_points(r.score)}/{_points(r.max_score)}</td>'
            f"<td>{score_bar(r.score, r.max_score)}</td><td>{escape(_verdict(r))}</td></tr>"
            for r in report.exercises]
    rows.append(f'<tr class="total"><td>total</td><td class="num">{_points(report.score)}/'
                f"{_points(report.max_score)}</td><td>"
                f"{score_bar(report.score, report.max_score)}</td><td></td></tr>")
    note = hidden_note(report)
    note = f'<p class="note">{escape(note)}</p>' if note else ""
    return ('<nav class="summary"><table><thead><tr><th>exercise</th><th class="num">points'
            "</th><th></th><th>checks</th></tr></thead><tbody>" + "".join(rows)
            + f"</tbody></table>{note}</nav>")


def _verdict(result: ExerciseResult) -> str:
    """The summary's last column: what is left to do, in counts."""
    groups = check_groups(result)
    if not groups[FAILED] and not groups[GATED]:
        return "all checks passed"
    counts = [f"{len(groups[FAILED])} failed"] if groups[FAILED] else []
    counts += [f"{len(groups[GATED])} not graded yet"] if groups[GATED] else []
    return ", ".join(counts)


def check_groups(result: ExerciseResult) -> dict[str, list[CheckResult]]:
    """The exercise's checks by group (``GROUPS``): hidden checks apart, whatever their
    status; every other check by its status."""
    groups: dict[str, list[CheckResult]] = {group: [] for group in GROUPS}
    for check in result.checks:
        groups[HIDDEN if check.visibility != VISIBLE else check.status].append(check)
    return groups


def _exercise(result: ExerciseResult) -> str:
    hidden = (f'<p class="note">Hidden checks, run only by your instructor, add '
              f"{_points(result.hidden_max)} more points.</p>" if result.hidden_max else "")
    parts = [
        f'<section class="exercise" id="{_anchor(result.name)}" '
        f'data-exercise="{escape(result.name)}" data-points="{_points(result.score)}" '
        f'data-max-points="{_points(result.max_score)}">',
        f"<h2>{escape(result.name)} <span class=\"num\">{_points(result.score)}/"
        f"{_points(result.max_score)}</span></h2>",
        score_bar(result.score, result.max_score, width=320),
        hidden,
        *(_group(group, checks) for group, checks in check_groups(result).items() if checks),
        _hints(result),
        *(_figure(figure) for figure in result.figures),
        "</section>",
    ]
    return "\n".join(part for part in parts if part)


def _group(group: str, checks: list[CheckResult]) -> str:
    earned = sum(c.points for c in checks)
    worth = sum(c.max_points for c in checks)
    count = f"{len(checks)} check" + ("s" if len(checks) != 1 else "")
    items = "".join(f'<li><span class="check">{escape(c.check)}</span> '
                    f'<span class="num">{_points(c.points)}/{_points(c.max_points)}</span>'
                    + (f" ({escape(c.status)})" if group == HIDDEN else "") + "</li>"
                    for c in checks)
    opened = " open" if group == FAILED else ""
    return (f'<details class="group {group}" data-group="{group}" data-count="{len(checks)}"'
            f"{opened}><summary>{escape(GROUPS[group])}: {count}, {_points(earned)}/"
            f"{_points(worth)} points</summary><ul>{items}</ul>{_waits(group, checks)}</details>")


def _waits(group: str, checks: list[CheckResult]) -> str:
    """For the gated group: which checks wait for which core check."""
    if group != GATED:
        return ""
    reasons: dict[str, list[str]] = {}
    for check in checks:
        reasons.setdefault(check.hint.split(": ", 1)[-1], []).append(check.check)
    return "".join(f'<p class="note">{escape(why)}: {escape(", ".join(names))}</p>'
                   for why, names in reasons.items())


def _hints(result: ExerciseResult) -> str:
    """The failed checks' hints, one per slip (checks failing for one reason together)."""
    items = [f'<li class="hint" data-checks="{len(checks)}"><div class="checks">'
             f"{escape(_names(checks))}</div><div>{escape(text)}</div></li>"
             for text, checks in hint_groups(result) if checks[0].status == FAILED]
    if not items:
        return ""
    return '<h3>Hints</h3><ol class="hints">' + "".join(items) + "</ol>"


def _names(checks: list[CheckResult]) -> str:
    names = ", ".join(c.check for c in checks)
    return names if len(checks) == 1 else f"{len(checks)} checks: {names}"


def _figure(figure: object) -> str:
    if isinstance(figure, LossCurves):
        body = loss_chart(figure)
    elif isinstance(figure, Gradients):
        body = gradient_bars(figure)
    elif isinstance(figure, ShapeTable):
        body = _shape_table(figure)
    elif isinstance(figure, Softmax):
        body = _softmax(figure)
    else:  # not a figure record: nothing to draw
        return ""
    kind = type(figure).__name__.lower()
    return (f'<figure class="{kind}"><figcaption>{escape(figure.title)}</figcaption>'
            f"{body}</figure>")


def _shape(shape: tuple[int, ...] | None) -> str:
    return "no tensor" if shape is None else "(" + ", ".join(map(str, shape)) + ")"


def _shape_table(figure: ShapeTable) -> str:
    """Layer by layer, the expected shape and the student's; the first wrong row marked."""
    first = figure.first_wrong
    rows = []
    for index, row in enumerate(figure.rows):
        mark = ' class="wrong" data-first-wrong="true"' if index == first else ""
        rows.append(f"<tr{mark}><td>{escape(row.layer)}</td><td>{escape(_shape(row.expected))}"
                    f"</td><td>{escape(_shape(row.got))}</td></tr>")
    verdict = ("every layer's shape is right" if first is None
               else f"first wrong shape: {figure.rows[first].layer}")
    return ('<table class="shapes"><thead><tr><th>layer</th><th>expected shape</th>'
            "<th>your shape</th></tr></thead><tbody>" + "".join(rows)
            + f'</tbody></table><p class="note">{escape(verdict)}</p>')


def _softmax(figure: Softmax) -> str:
    """Each output as a bar, the student's beside the stable reference, and a badge."""
    badge = ('<span class="badge stable">stable</span> every output is a number'
             if figure.stable else '<span class="badge nan">nan</span> some outputs came '
             "back as nan or inf")
    rows = []
    for index, logit in enumerate(figure.logits):
        yours = figure.student[index] if index < len(figure.student) else None
        want = figure.reference[index] if index < len(figure.reference) else None
        rows.append(f'<tr><td class="num">{"nan" if logit is None else f"{logit:.4g}"}</td>'
                    f'<td>{share_bar(yours, "student")}</td>'
                    f'<td>{share_bar(want, "reference")}</td></tr>')
    return (f"<p>{badge}</p><table class=\"softmax\"><thead><tr><th>logit</th><th>your "
            "softmax</th><th>stable softmax</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


def _footer(report: GradeReport) -> str:
    isolation = render_isolation(report)
    return f'<footer><pre class="isolation">{escape(isolation)}</pre></footer>' if (
        isolation) else ""

"""What ``grade`` shows: on a terminal, the report through rich (scores in colour, a table as
wide as the window, every hint wrapped, none cut) and a progress display while exercises
grade; anywhere else (a pipe, CI logs, nbgrader cells) the plain text of ``graders._report``,
and rich is never imported."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from graders._report import (
    GradeReport,
    first_hint_whole,
    hidden_note,
    hint_items,
    render_hints,
    render_isolation,
    render_table,
)

# Exercises whose grading takes seconds, not a fraction of one: the display says why it waits.
LONG = {"digits": "trains a network"}


def plain_report(report: GradeReport) -> str:
    """The report as text: the table, the hints, the isolation layers this machine lacks."""
    parts = [render_table(report)]
    hints = render_hints(report)
    if hints:
        parts.append("Hints:\n" + hints)
    if report.missing_layers:
        parts.append(render_isolation(report))
    return "\n\n".join(parts)


def print_report(report: GradeReport, console=None) -> None:
    """Print the report: through ``console`` (a ``rich.console.Console``) when given or
    when stdout is a terminal, else as ``plain_report``'s text."""
    if console is None and not sys.stdout.isatty():
        print(plain_report(report))
        return
    from rich.console import Console
    from rich.text import Text

    console = console or Console()
    console.print(_table(report))
    if note := hidden_note(report):
        console.print(Text(note))
    items = hint_items(report)
    if items:
        console.print()
        console.print(Text("Hints:", style="bold"))
        console.print(_bullets(items))
    if report.missing_layers:
        console.print()
        console.print(Text(render_isolation(report), style="yellow"))


def _style(score: float, max_score: float) -> str:
    """Full marks green, some points yellow, none red (an exercise worth 0 counts as full)."""
    if score >= max_score:
        return "green"
    return "yellow" if score > 0 else "red"


def _points(score: float, max_score: float):
    from rich.text import Text

    return Text(f"{score:g}/{max_score:g}", style=_style(score, max_score))


def _table(report: GradeReport):
    """One row per exercise, the total as the footer; the first-hint column takes what the
    window leaves and wraps (``fold`` breaks only a word longer than the column)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE, show_footer=True, show_edge=False, pad_edge=False)
    table.add_column("exercise", footer="total", no_wrap=True)
    table.add_column("points", footer=_points(report.score, report.max_score), justify="right",
                     no_wrap=True)
    table.add_column("first hint", overflow="fold")
    for result in report.exercises:
        table.add_row(Text(result.name), _points(result.score, result.max_score),
                      Text(first_hint_whole(result)))
    return table


def _bullets(items: list[str]):
    """One bullet per hint, wrapped under its own first word (a hanging indent); what it is
    about (the exercise and checks) in bold."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        about, _, text = item.partition(": ")
        line = Text()
        line.append(about, style="bold")
        if text:
            line.append(f": {text}")
        grid.add_row("•", line)
    return grid


@contextmanager
def progress_display(exercises: tuple[str, ...] | list[str],
                     console=None) -> Iterator[Callable[[str], None] | None]:
    """``grade``'s ``progress``: on a terminal (stderr, or ``console``), a spinner, the
    exercises grading, how many of how many, the time so far; gone before the report prints.
    Elsewhere ``None``: nothing at all is written. Grading on several lanes, it shows every
    lane's exercise at once (``_Shown.lane``)."""
    if console is None and not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    # The stream now, not sys.stderr as the display writes: pytest, grading in this process,
    # swaps sys.stderr for its capture while checks run (and the display must not redirect).
    console = console or Console(file=sys.stderr)
    # The bar last: in a narrow window it is what goes.
    display = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                       BarColumn(bar_width=20), console=console, transient=True,
                       redirect_stdout=False, redirect_stderr=False)
    with display:
        yield _Shown(display, display.add_task("loading the graders", total=len(exercises)),
                     len(exercises))


class _Shown:
    """What the display says: each lane's exercise, and how many were started of how many.
    Called as ``show(exercise)`` by a grade on one lane; ``graders._lanes`` asks for
    ``show.lane(n)`` for each of its lanes, and tells it ``None`` once that lane is done.
    Lanes report from their own threads: the lock keeps the count whole."""

    def __init__(self, display, task, total: int) -> None:
        self._display, self._task, self._total = display, task, total
        self._grading: dict[int, str] = {}  # lane -> the exercise it grades now
        self._done = 0
        self._lock = threading.Lock()

    def __call__(self, exercise: str) -> None:
        self._tell(0, exercise)

    def lane(self, number: int) -> Callable[[str | None], None]:
        return lambda exercise: self._tell(number, exercise)

    def _tell(self, lane: int, exercise: str | None) -> None:
        with self._lock:
            if lane in self._grading:
                self._done += 1  # a lane moves on only once its exercise is graded
            if exercise is None:
                self._grading.pop(lane, None)
            else:
                self._grading[lane] = exercise
            names = [f"{name} ({LONG[name]})" if name in LONG else name
                     for _, name in sorted(self._grading.items())]
            started = self._done + len(self._grading)
            description = (f"grading {', '.join(names)} {started}/{self._total}" if names
                           else f"graded {self._done}/{self._total}")
            self._display.update(self._task, completed=self._done, description=description)

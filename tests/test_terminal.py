"""``grade`` on a terminal (rich: colours, the window's width, hints wrapped whole, a progress
display) and everywhere else (the plain text, and rich never imported).

The report is made by hand: no grading, except one ``grade`` run into a pipe.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graders import CheckResult, ExerciseResult, GradeReport
from graders._isolation import Layer
from graders._report import (
    FAILED,
    PASSED,
    SKIPPED,
    hint_items,
    render_hints,
    render_isolation,
    render_table,
)
from graders._terminal import print_report, progress_display

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 60
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SLIP = ("The gradient is 6 times too large: you summed the squared errors instead of averaging "
        "them over the batch, so every step overshoots by the batch size")
STUB = ("not implemented yet: digits.py still raises NotImplementedError (digits.py, line 54). "
        "Replace the `raise NotImplementedError` with your code.")


def _report() -> GradeReport:
    """Full marks, some points (a slip longer than the window), none (a stub), a skipped CUDA
    check, hidden points and an isolation layer this machine lacks."""
    return GradeReport("submission", (
        ExerciseResult("mse", (CheckResult("mse", "value", 3, 3, PASSED),)),
        ExerciseResult("backward", (
            CheckResult("backward", "value", 2, 2, PASSED),
            CheckResult("backward", "gradient[seed0-5]", 0, 4, FAILED,
                        f"backward / gradient[seed0-5]: expected 1, got 6. {SLIP}", mistake=SLIP),
        )),
        ExerciseResult("digits", (
            CheckResult("digits", "fit", 0, 5, FAILED, f"digits / fit: {STUB}"),
            CheckResult("digits", "cuda_predict", 0, 0, SKIPPED,
                        "digits / cuda_predict: skipped: CUDA is not available on this machine"),
        ), hidden_max=2),
    ), isolation=(Layer("seccomp", False, "the kernel has no seccomp filters"),))


def _terminal():
    """A terminal WIDTH columns wide whatever this machine's (NO_COLOR, COLUMNS, TERM)."""
    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=True, width=WIDTH,
                   color_system="standard", no_color=False)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def shown() -> tuple[str, str]:
    """What the terminal got: with its escape codes, and as the student reads it."""
    console = _terminal()
    print_report(_report(), console)
    raw = console.file.getvalue()
    return raw, ANSI.sub("", raw)


def test_scores_are_coloured_by_how_many_points(shown):
    raw, _ = shown
    assert re.search(r"\x1b\[32m\s*3/3\x1b\[0m", raw)  # full: green
    assert re.search(r"\x1b\[33m\s*2/6\x1b\[0m", raw)  # some: yellow
    assert re.search(r"\x1b\[31m\s*0/5\x1b\[0m", raw)  # none: red
    assert re.search(r"\x1b\[[0-9;]*33m\s*5/14\x1b\[0m", raw)  # the total: some


def test_every_line_fits_the_window(shown):
    _, text = shown
    assert max(len(line) for line in text.splitlines()) <= WIDTH


def test_the_first_hints_wrap_whole(shown):
    _, text = shown
    table = text[: text.index("total")]
    assert _words(f"gradient[seed0-5]: {SLIP}") in _words(table)  # the diagnosis, whole
    assert _words(f"fit: {STUB}") in _words(table)  # cut in the plain table, whole here
    assert sum("gradient" in line or "averaging" in line for line in table.splitlines()) >= 2
    assert "..." not in text


def test_totals_hidden_points_hints_and_layers(shown):
    _, text = shown
    total = next(line for line in text.splitlines() if line.startswith("total"))
    assert total.split()[:2] == ["total", "5/14"]
    assert "Hidden checks, run only by your instructor, add 2 more points (digits 2)." in (
        _words(text))
    hints = text[text.index("Hints:"):]
    assert hints.count("•") == len(hint_items(_report())) == 3  # one bullet per mistake
    for item in hint_items(_report()):
        assert _words(item) in _words(hints)
    assert _words(render_isolation(_report())) in _words(hints)


def test_plain_text_when_stdout_is_no_terminal(capsys):
    """Pipes, CI logs and nbgrader cells get the text they always got."""
    report = _report()
    print_report(report)
    out = capsys.readouterr().out
    assert out == (f"{render_table(report)}\n\nHints:\n{render_hints(report)}\n\n"
                   f"{render_isolation(report)}\n")
    assert "\x1b" not in out


def test_progress_says_which_exercise_and_vanishes():
    console = _terminal()
    with progress_display(("mse", "digits"), console=console) as show:
        show("mse")
        show("digits")
    raw = console.file.getvalue()
    assert "grading digits (trains a network) 2/2" in ANSI.sub("", raw)
    assert raw.endswith("\x1b[2K")  # transient: its line erased before the report prints


def _last_line(steps) -> str:
    """What the display last said (it renders its final state as it closes)."""
    console = _terminal()
    with progress_display(("mse", "digits", "net"), console=console) as show:
        for lane, exercise in steps:
            show.lane(lane)(exercise)
    said = re.findall(r"grad(?:ing|ed) [^\r\n]*", ANSI.sub("", console.file.getvalue()))
    return said[-1]


def test_progress_on_several_lanes_shows_each_lanes_exercise():
    """Grading on two lanes, both exercises in progress show, and the count moves on only
    as a lane finishes an exercise (it starts the next, or it is done)."""
    both = _last_line([(0, "mse"), (1, "digits")])
    assert both.startswith("grading mse, digits (trains a network) 2/3")
    moved_on = _last_line([(0, "mse"), (1, "digits"), (0, "net"), (1, None)])
    assert moved_on.startswith("grading net 3/3")
    assert _last_line([(0, "mse"), (1, "digits"), (1, None), (0, None)]).startswith(
        "graded 2/3")


def test_no_progress_when_stderr_is_no_terminal(capsys):
    with progress_display(("mse",)) as show:
        assert show is None
    assert capsys.readouterr().err == ""


def test_grade_into_a_pipe_prints_plain_text_without_rich():
    """nbgrader zeroes a cell that writes to stderr; importing rich would cost every run."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "graders", "grade", "mse",
                          "--submission", "solutions"],
                         capture_output=True, text=True, timeout=300, check=True, cwd=ROOT)
    assert run.stdout.startswith("exercise ")
    assert "\x1b" not in run.stdout
    assert re.search(r"^mse +(\d+)/\1 +all checks passed$", run.stdout, re.MULTILINE)
    modules = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()]
    assert all(line.startswith("import time:") for line in run.stderr.splitlines())
    assert "graders._terminal" in modules  # the path under test ran
    assert not [name for name in modules if name.split(".")[0] == "rich"]

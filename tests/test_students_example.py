"""The example report in docs/students.md is a real run's, so it can never go stale.

The block between the two markers below is what ``grade`` prints, in the student kit's
view (public checks, then the hidden points), for a student whose ``mse`` sums instead of
averaging and whose ``backward`` is still the stub. After changing a grader or the report,
``python tests/test_students_example.py`` writes the block again.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "students.md"
BEGIN = "<!-- example report: written by tests/test_students_example.py -->"
END = "<!-- end of the example report -->"
FILES = {"mse": ROOT / "tests" / "mistakes" / "mse" / "sums_instead_of_mean.py",
         "backward": ROOT / "exercises" / "backward.py"}


def example(sandbox, folder: Path) -> str:
    """The report, as ``grade`` prints it, of FILES graded in ``folder``."""
    from graders import grade
    from graders._report import render_hints, render_table

    for name, source in FILES.items():
        shutil.copyfile(source, folder / f"{name}.py")
    report = grade(folder, list(FILES), sandbox=sandbox, public_only=True)
    return f"{render_table(report)}\n\nHints:\n{render_hints(report)}"


def _block(report: str) -> str:
    return f"{BEGIN}\n```\n{report}\n```\n{END}"


def _on_page() -> str:
    text = PAGE.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def test_the_example_report_is_a_real_runs(sandbox, tmp_path):
    assert _on_page() == _block(example(sandbox, tmp_path)), (
        "docs/students.md's example report is stale: python tests/test_students_example.py")


def test_the_example_shows_a_slip_a_stub_and_the_hidden_points():
    shown = _on_page()
    table_row = next(line for line in shown.splitlines() if line.startswith("mse "))
    assert table_row.endswith("you summed instead of averaging.")  # the diagnosis, whole
    assert "summed instead of averaging" in shown
    assert "not implemented yet" in shown
    assert "Hidden checks, run only by your instructor" in shown


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    from graders._sandbox import Sandbox

    with Sandbox() as own, tempfile.TemporaryDirectory() as scratch:
        block = _block(example(own, Path(scratch)))
    page = PAGE.read_text()
    PAGE.write_text(page.replace(_on_page(), block))


def test_one_slip_gives_one_hint_and_skipped_checks_one_line():
    """Checks whose hints name the same mistake (numbers aside) share one line, showing the
    first one's expected and got; other mistakes keep their own; skipped CUDA checks close."""
    from graders._report import (
        FAILED,
        SKIPPED,
        CheckResult,
        ExerciseResult,
        GradeReport,
        render_hints,
    )

    def failed(check: str, got: str, mistake: str) -> CheckResult:
        return CheckResult("mse", check, 0, 2, FAILED,
                           f"mse / {check}: expected 1, got {got}. {mistake}", mistake=mistake)

    checks = (failed("numpy_value[a]", "5", "The loss is 5 times too large: you summed."),
              failed("numpy_value[b]", "7", "The loss is 7 times too large: you summed."),
              failed("gradient[a]", "6", "The gradient is 6 times too large."),
              CheckResult("mse", "cuda_device", 0, 0, SKIPPED,
                          "mse / cuda_device: skipped: CUDA is not available on this machine"))
    lines = render_hints(GradeReport("", (ExerciseResult("mse", checks),))).splitlines()
    assert lines == [
        "- mse / 2 checks (numpy_value[a], numpy_value[b]): expected 1, got 5. The loss is 5 "
        "times too large: you summed.",
        "- mse / gradient[a]: expected 1, got 6. The gradient is 6 times too large.",
        "- Skipped, CUDA is not available on this machine (1 check, no points lost): "
        "mse / cuda_device",
    ]

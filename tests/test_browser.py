"""The HTML reports as a person sees them: opened in headless Chromium with the network off.

Skipped, with the reason, where there is no Chromium (``.ci/run`` installs Debian's).
One student with a slip in several exercises (the pictures have something to show) and a
small mixed class are graded once; each page must render without a console message or an
error, fetch nothing, load every image, and not be blank; the ``net`` shape table must
highlight the layer a catalogued mistake gets wrong.

``python tests/test_browser.py`` writes the screenshots that docs/students.md and
docs/instructors.md show (docs/img/).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from browser import CHROMIUM, colours, load, screenshot

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "tests" / "mistakes"
IMAGES = ROOT / "docs" / "img"
# A student with one slip in each exercise that has a picture, besides backward (right).
STUDENT = {
    "mse": MISTAKES / "mse" / "sums_instead_of_mean.py",
    "backward": ROOT / "solutions" / "backward.py",
    "training": MISTAKES / "training" / "forgets_zero_grad.py",
    "net": MISTAKES / "net" / "flatten_everything.py",
    "classification": MISTAKES / "classification" / "softmax_unstable.py",
}
FIRST_WRONG_LAYER = "flatten"  # flatten_everything.py flattens the batch too
# The class: the reference, the stubs, and one slip each in mse and net.
CLASS = {
    "ada": {"mse": ROOT / "solutions" / "mse.py", "net": ROOT / "solutions" / "net.py"},
    "ben": {"mse": ROOT / "exercises" / "mse.py", "net": ROOT / "exercises" / "net.py"},
    "cai": {"mse": MISTAKES / "mse" / "sums_instead_of_mean.py",
            "net": ROOT / "solutions" / "net.py"},
    "dee": {"mse": MISTAKES / "mse" / "sums_instead_of_mean.py",
            "net": MISTAKES / "net" / "no_padding.py"},
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (apt-get install chromium)"),
]


def _graded(sandbox, folder: Path, files: dict[str, Path]):
    from graders import grade

    folder.mkdir(parents=True)
    for name, source in files.items():
        shutil.copyfile(source, folder / f"{name}.py")
    return grade(folder, list(files), sandbox=sandbox)


def write_pages(sandbox, folder: Path) -> dict[str, Path]:
    """The student's report and the class report (with each student's own), in ``folder``."""
    from graders._class_report import class_report, row_of_report
    from graders._html import student_report

    pages = {"student": folder / "student.html", "class": folder / "class.html"}
    report = _graded(sandbox, folder / "student", STUDENT)
    pages["student"].write_text(student_report(report, student="a student"), encoding="utf-8")
    rows = []
    for student, files in CLASS.items():
        graded = _graded(sandbox, folder / "class" / student, files)
        own = folder / "reports" / f"{student}.html"
        own.parent.mkdir(exist_ok=True)
        own.write_text(student_report(graded, student=student), encoding="utf-8")
        rows.append(row_of_report(student, graded, f"reports/{student}.html"))
    pages["class"].write_text(class_report(rows, title="week 3"), encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def pages(sandbox, tmp_path_factory) -> dict[str, Path]:
    return write_pages(sandbox, tmp_path_factory.mktemp("pages"))


@pytest.mark.parametrize("page", ["student", "class"])
def test_the_page_renders_offline_without_errors(pages, page):
    seen = load(pages[page])
    assert seen.console == ()
    assert seen.errors == ()
    assert seen.resources == ()  # nothing fetched: images and styles are inline
    assert all(seen.images)
    assert seen.svgs >= 1  # the pictures are inline SVG


def test_a_page_that_needs_the_network_is_caught(tmp_path):
    """The check above can fail: an image from the network neither loads nor goes unseen."""
    page = tmp_path / "online.html"
    page.write_text('<!doctype html><html><head></head><body>'
                    '<img src="https://example.com/plot.png"><script>console.error("x")'
                    "</script></body></html>")
    seen = load(page)
    assert seen.images == (False,)
    assert seen.resources == ("https://example.com/plot.png",)
    assert "error: x" in seen.console


@pytest.mark.parametrize("page", ["student", "class"])
def test_the_screenshot_is_not_blank(pages, page, tmp_path):
    assert colours(screenshot(pages[page], tmp_path / f"{page}.png")) > 20


def test_a_blank_page_is_caught(tmp_path):
    page = tmp_path / "blank.html"
    page.write_text("<!doctype html><html><body></body></html>")
    assert colours(screenshot(page, tmp_path / "blank.png")) == 1


ROWS = """[...document.querySelectorAll("table.shapes tbody tr")].map((row) => [
  row.cells[0].textContent, getComputedStyle(row).backgroundColor,
  row.hasAttribute("data-first-wrong")])"""


def test_the_shape_table_highlights_the_wrong_layer(pages):
    rows = load(pages["student"], ROWS).probe
    assert rows, "the net exercise's shape table is missing"
    highlighted = [layer for layer, _, first in rows if first]
    assert highlighted == [FIRST_WRONG_LAYER]
    background = {layer: colour for layer, colour, _ in rows}
    others = {colour for layer, colour in background.items() if layer != FIRST_WRONG_LAYER}
    assert background[FIRST_WRONG_LAYER] not in others  # it stands out on screen


SORT = """(() => {
  const table = document.querySelector("table.students");
  const column = [...table.tHead.rows[0].cells].findIndex((c) => /total/i.test(c.textContent));
  const rows = () => [...table.tBodies[0].rows].map((row) => [
    row.cells[0].textContent.trim(), parseFloat(row.cells[column].textContent)]);
  const header = table.tHead.rows[0].cells[column];
  const click = () => (header.querySelector("button") || header).click();
  click(); const first = rows(); click(); return [first, rows()];
})()"""


def test_the_class_table_sorts_by_total_and_links_each_student(pages):
    once, twice = load(pages["class"], SORT).probe
    assert sorted(name for name, _ in once) == sorted(CLASS)
    totals = [total for _, total in once]
    assert len(set(totals)) == 4
    assert totals in (sorted(totals), sorted(totals, reverse=True))
    assert twice == once[::-1]  # a second click reverses the order
    text = pages["class"].read_text()
    for student in CLASS:
        assert f'href="reports/{student}.html"' in text
        assert (pages["class"].parent / "reports" / f"{student}.html").is_file()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    from graders._sandbox import Sandbox

    IMAGES.mkdir(parents=True, exist_ok=True)
    with Sandbox() as own, tempfile.TemporaryDirectory() as scratch:
        written = write_pages(own, Path(scratch))
        screenshot(written["student"], IMAGES / "student-report.png", 1000, 1400)
        screenshot(written["class"], IMAGES / "class-report.png", 1000, 1400)
    print(f"wrote {IMAGES / 'student-report.png'} and {IMAGES / 'class-report.png'}")

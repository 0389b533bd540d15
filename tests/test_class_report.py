"""The class report: its numbers on hand-made rows, then a small mixed class through ``batch``.

The class (``mse`` and ``net`` only, one worker, graded once for the whole module): the
reference solutions, the stubs, the same catalogued ``mse`` mistake twice (once beside a
``net`` mistake), and a broken file from a student whose id is hostile HTML.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from courses import fixed_secret

from graders._class_report import (
    CheckStatus,
    ExerciseScore,
    Mistake,
    PassRate,
    StudentRow,
    class_report,
    frequent_mistakes,
    histogram,
    mistakes_of,
    pass_rates,
)
from graders._layout import EXERCISES_DIR, ROOT, SOLUTIONS
from graders.batch import LocalPool, run_batch
from graders.batch._outputs import REPORTS, RESULTS

HOSTILE = '<img src=x onerror="alert(1)">&'


class Page(HTMLParser):
    """The tags, attributes and scripts of an HTML page, as a browser would parse them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def counts(page: Page, name: str) -> list[int]:
    (figure,) = page.all("figure", **{"data-name": name})
    return [int(n) for n in figure["data-counts"].split()]


def assert_self_contained(text: str) -> Page:
    """Nothing to fetch: no URL, no src, no stylesheet link; scripts inline only."""
    page = Page(text)
    assert not re.search(r"(?i)\b(?:https?|ftp|file|data|javascript):", text)
    assert "//" not in "".join(a.get("href", "") for _, a in page.tags)
    assert not [t for t, a in page.tags if "src" in a or t in ("link", "img", "iframe", "object")]
    assert page.all("meta", **{"http-equiv": "Content-Security-Policy"})
    return page


# --- the numbers, on hand-made rows -------------------------------------------------------


def row(student, scores, checks=(), mistakes=(), report=None, status="graded"):
    return StudentRow(
        student,
        tuple(ExerciseScore(*s) for s in scores),
        tuple(CheckStatus(*c) for c in checks),
        mistakes_of(mistakes),
        report,
        status,
    )


HAND_MADE = [
    row("ann", [("mse", 8, 10), ("net", 8, 8)],
        [("mse", "value[a]", "passed"), ("mse", "value[b]", "failed"), ("net", "shape", "passed"),
         ("net", "core", "passed")],
        [("mse", "value[b]", "Summed 2 squares instead of averaging them")], report="ann.html"),
    row("ben", [("mse", 4, 10), ("net", 0, 8)],
        [("mse", "value[a]", "failed"), ("mse", "value[b]", "failed"),
         ("net", "shape", "failed"), ("net", "core", "gated")],
        [("mse", "value[a]", "Summed 12 squares instead of averaging them"),
         ("mse", "value[b]", "Summed 30 squares instead of averaging them"),
         ("net", "shape", "")]),
    row("cat", [("mse", 5, 10), ("net", 7.5, 8)],
        [("mse", "value[a]", "passed"), ("mse", "value[b]", "failed"), ("net", "shape", "failed"),
         ("net", "core", "skipped")],
        [("mse", "value[b]", "Summed 4 squares instead of averaging them"),
         ("net", "shape", "")]),
    row("dan", [("mse", 0, None, "error")], status="error"),
    row(HOSTILE, [("mse", 9.5, 10), ("net", 0, 8, "missing")],
        [("mse", "value[a]", "failed"), ("mse", "value[b]", "passed")],
        [("mse", "value[a]", f"{HOSTILE} is not a number")], report=f"{HOSTILE}.html"),
]


def test_histogram_bins_tenths_and_full_marks_apart():
    assert histogram([0, 0.05, 0.1, 0.55, 0.999, 1.0, 1.0]) == (2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 2)
    assert histogram([0.3, 0.7, 0.9]) == (0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0)  # floats on a bin edge


def test_pass_rates_count_cases_together_among_students_graded():
    rates = {(r.exercise, r.check): (r.passed, r.graded) for r in pass_rates(HAND_MADE)}
    assert rates == {
        ("mse", "value"): (0, 4),  # a check passes when all its cases pass
        ("net", "shape"): (1, 3),
        ("net", "core"): (1, 1),  # gated and skipped: not graded
    }


def test_nearly_everyone_is_four_in_five_of_at_least_three():
    assert PassRate("mse", "value", 1, 5).nearly_all_fail
    assert not PassRate("mse", "value", 1, 4).nearly_all_fail
    assert not PassRate("mse", "value", 0, 2).nearly_all_fail
    assert PassRate("mse", "value", 0, 3).nearly_all_fail


def test_a_mistake_counts_once_per_student_its_numbers_aside():
    counted = dict(frequent_mistakes(HAND_MADE))
    assert counted[Mistake("mse", "Summed # squares instead of averaging them")] == 3
    assert counted[Mistake("net", "shape failed")] == 2  # a hint naming no mistake: its check
    assert list(counted.values()) == sorted(counted.values(), reverse=True)


def test_class_report_of_hand_made_rows():
    page = assert_self_contained(class_report(HAND_MADE, title="Week 3 <b>"))
    text = class_report(HAND_MADE, title="Week 3 <b>")
    assert "<title>Week 3 &lt;b&gt;</title>" in text
    # Graded students only: ann 16/18, ben 4/18, cat 12.5/18, the hostile one 9.5/18.
    assert counts(page, "total") == [0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0]
    assert counts(page, "mse") == [0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0]
    assert counts(page, "net") == [2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    nearly = [li["data-check"] for li in page.all("li") if "data-check" in li]
    assert nearly == ["mse / value"]  # 4 of 4; net / shape 2 of 3, net / core 1 student
    mistakes = {(li["data-exercise"], li["data-count"]) for li in page.all("li")
                if "data-count" in li}
    assert mistakes == {("mse", "3"), ("net", "2"), ("mse", "1")}
    links = [a["href"] for a in page.all("a")]
    assert links == ["%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E%26.html", "ann.html"]
    assert HOSTILE not in text
    assert "onerror=\"" not in text
    assert "&lt;img src=x onerror=&quot;alert(#)&quot;&gt;&amp; is not a number" in text
    assert len(page.scripts) == 1
    assert "addEventListener" in page.scripts[0]
    headers = page.all("table", **{"class": "sortable students"})
    assert headers
    assert len(page.all("button")) == 5 + 5


def test_an_empty_class():
    page = assert_self_contained(class_report([], title="nobody"))
    assert not page.all("figure")


# --- a small mixed class through batch ----------------------------------------------------

BROKEN = 'def mse(y_pred, y:\n    return "<script>alert(1)</script>"\n'
MISTAKES = ROOT / "tests" / "mistakes"
CLASS = {
    "alice": {"mse": SOLUTIONS / "mse.py", "net": SOLUTIONS / "net.py"},
    "bob": {"mse": EXERCISES_DIR / "mse.py", "net": EXERCISES_DIR / "net.py"},  # the stubs
    "carol": {"mse": MISTAKES / "mse" / "sums_instead_of_mean.py", "net": SOLUTIONS / "net.py"},
    "dave": {"mse": MISTAKES / "mse" / "sums_instead_of_mean.py",
             "net": MISTAKES / "net" / "no_padding.py"},
    HOSTILE: {"mse": BROKEN},  # and no net: missing
}


def write_class(root: Path, students: dict[str, dict[str, Path | str]]) -> Path:
    for student, files in students.items():
        (root / student).mkdir(parents=True)
        for exercise, source in files.items():
            text = source.read_text() if isinstance(source, Path) else source
            (root / student / f"{exercise}.py").write_text(text)
    return root


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return fixed_secret(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def pool(course):
    with LocalPool(workers=1, hidden=(str(course),)) as shared:
        yield shared


@pytest.fixture(scope="module")
def batch_report(course, pool):
    root, out = write_class(course / "class", CLASS), course / "out"
    summary = run_batch(root, out, pool=pool, report=out / "class.html")
    return out, summary, (out / "class.html").read_text()


def score(out: Path, student: str) -> float:
    document = json.loads((out / RESULTS / f"{student}.json").read_text())
    return document["score"] / document["max_score"]


@pytest.mark.slow
def test_batch_writes_the_class_report_and_one_report_per_student(batch_report):
    out, summary, text = batch_report
    assert summary.graded == sorted(CLASS)
    assert summary.report == out / "class.html"
    page = assert_self_contained(text)
    links = {a["href"] for a in page.all("a")}
    assert {unquote(link) for link in links} == {f"{REPORTS}/{s}.html" for s in CLASS}
    for link in links:
        student = (out / unquote(link)).read_text()
        assert "<!doctype html>" in student.lower()
        assert HOSTILE not in student
        assert "<script>alert" not in student
    assert HOSTILE not in text
    assert "<script>alert" not in text


@pytest.mark.slow
def test_class_report_counts_the_batch_results(batch_report):
    out, _, text = batch_report
    page = Page(text)
    totals = {student: score(out, student) for student in CLASS}
    assert totals["alice"] == 1
    assert totals["bob"] == 0
    assert counts(page, "total") == list(histogram(totals.values()))
    assert sum(counts(page, "net")) == 5  # the one who handed in no net.py scores 0
    # mse's value checks: failed by the stubs, both mistakes and the broken file (4 of 5).
    nearly = {li["data-check"] for li in page.all("li") if "data-check" in li}
    assert {"mse / numpy_value", "mse / torch_value"} <= nearly
    assert not any(check.startswith("net /") for check in nearly)  # at most bob and dave
    mistakes = re.findall(r'<li data-count="(\d+)" data-exercise="mse">(.*?)</li>', text)
    summed = {item: count for count, item in mistakes if "summed instead of averaging" in item}
    # Carol and dave, once each, whatever the number of checks that named the slip (4 of
    # each value check and 2 of the gradient's: the loss's hint and the gradient's say what
    # they saw differently, and name the same slip).
    assert list(summed.values()) == ["2"]
    assert not any("times too large" in item for item in summed)


@pytest.mark.slow
def test_pass_rates_leave_out_exercises_not_handed_in(batch_report):
    _, _, text = batch_report
    rates = {
        found.group(1): (int(found.group(2)), int(found.group(3)))
        for found in re.finditer(r'<tr data-check="([^"]+)"[^>]*>(?:<td[^>]*>[^<]*</td>){2}'
                                 r'<td data-sort="(\d+)">\d+</td><td data-sort="(\d+)">', text)
    }
    assert rates["mse / numpy_value"] == (1, 5)
    # Graded for 4 (the hostile id handed in no net.py); the stubs failed it.
    assert rates["net / conv_output_size_values"] == (3, 4)
    assert rates["net / layers_default"] == (2, 3)  # the stubs' waits for a failed core check


@pytest.mark.slow
def test_a_missing_student_report_is_graded_again(batch_report, course, pool):
    """Results that still hold are kept, unless the report asked for is missing."""
    out, _, text = batch_report
    (out / REPORTS / "alice.html").unlink()
    summary = run_batch(course / "class", out, pool=pool, report=out / "again.html")
    assert summary.graded == ["alice"]
    assert (out / REPORTS / "alice.html").is_file()
    assert (out / "again.html").read_text() == text  # the same rows, the same links

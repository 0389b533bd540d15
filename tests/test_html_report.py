"""The student's HTML report (``grade --html``): one offline page, every exercise, every hint.

Built for the solutions, the stubs and one catalogued mistake per exercise (each set graded
once per module), then read back with ``html.parser`` as a browser would: it must nest, name no
URL, show each exercise's points and check groups as the report holds them, and keep every
student string as text. The drawing is tested on hand-made figure records: whole pixels,
breaks where values were not numbers, the first wrong layer marked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import pytest
from catalogue import mistakes, submission_files

from graders import EXERCISES, CheckResult, ExerciseResult, GradeReport
from graders._figures import Gradients, LossCurves, ShapeTable, Softmax
from graders._html import student_report
from graders._isolation import Layer
from graders._layout import EXERCISES_DIR, ROOT, SIBLINGS, SOLUTIONS
from graders._report import render_isolation

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"}
COORDINATES = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d"}
ONE_MISTAKE_EACH = [mistakes(exercise)[0] for exercise in EXERCISES]


@dataclass
class Element:
    tag: str
    attrs: dict
    text: list = field(default_factory=list)  # the text inside it, nested elements' too

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


class Page(HTMLParser):
    """Every element with its attributes and text; end tags that do not close the open
    element are recorded as ``problems``."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.problems: list[str] = []
        self._open: list[Element] = []
        self.feed(page)
        self.close()
        self.problems += [f"never closed: <{e.tag}>" for e in self._open if e.tag != "html"]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self._open or self._open[-1].tag != tag:
            self.problems.append(f"</{tag}> closes <{self._open[-1].tag if self._open else ''}>")
            return
        self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            element.text.append(data)

    def find(self, tag: str, class_: str = "", **wanted: str) -> list[Element]:
        """The ``tag`` elements with ``class_`` among their classes and the attributes
        ``wanted`` (``data_group="failed"`` is ``data-group``)."""
        return [e for e in self.elements if e.tag == tag
                and (not class_ or class_ in (e.attrs.get("class") or "").split())
                and all(e.attrs.get(name.replace("_", "-")) == value
                        for name, value in wanted.items())]

    def within(self, outer: Element) -> list[Element]:
        """The elements inside ``outer``, in order (``outer`` is a section: none nest)."""
        start = self.elements.index(outer)
        following = self.elements[start + 1:]
        end = next((i for i, e in enumerate(following) if e.tag == outer.tag), len(following))
        return following[:end]


def _groups_expected(result: ExerciseResult) -> Counter:
    return Counter("hidden" if c.visibility != "visible" else c.status for c in result.checks)


def _graded_mistakes(grade_files) -> GradeReport:
    """The mistakes in two grading runs: together, each beside the others (no exercise but
    ``SIBLINGS``' imports another), and each of those beside the reference files it imports."""
    together = {m.exercise: m.path for m in ONE_MISTAKE_EACH if m.exercise not in SIBLINGS}
    results = {r.name: r for r in grade_files(together).exercises}
    for mistake in ONE_MISTAKE_EACH:
        if mistake.exercise in SIBLINGS:
            files = submission_files(mistake.exercise, mistake.path)
            results[mistake.exercise] = grade_files(files, [mistake.exercise]).exercises[0]
    return GradeReport("catalogue", tuple(results[name] for name in EXERCISES),
                       (Layer("network", False, "no <netns>"),))


@pytest.fixture(scope="module")
def reports(sandbox, grade_files) -> dict[str, GradeReport]:
    from graders import grade

    return {"solutions": grade(SOLUTIONS, sandbox=sandbox),
            "stubs": grade(EXERCISES_DIR, sandbox=sandbox),
            "mistakes": _graded_mistakes(grade_files)}


@pytest.fixture(scope="module")
def pages(reports) -> dict[str, tuple[str, Page]]:
    built = {}
    for case, report in reports.items():
        page = student_report(report, student="s<1>")
        built[case] = (page, Page(page))
    return built


KINDS = ("solutions", "stubs", "mistakes")


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_nests_and_loads_nothing(pages, kind):
    page, parsed = pages[kind]
    assert parsed.problems == []
    assert page.startswith("<!doctype html>")
    tags = {e.tag for e in parsed.elements}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "base", "image",
                       "use", "foreignobject"}
    for element in parsed.elements:
        assert "src" not in element.attrs
        assert "xlink:href" not in element.attrs
        assert element.attrs.get("href", "#").startswith("#"), element.attrs
        assert not any("://" in (value or "") for value in element.attrs.values())
    for style in parsed.find("style"):
        assert "url(" not in style.words
        assert "@import" not in style.words
    assert "http" not in page.lower()


@pytest.mark.parametrize("kind", KINDS)
def test_every_exercise_has_its_points_and_groups(pages, reports, kind):
    _, parsed = pages[kind]
    sections = {e.attrs["data-exercise"]: e for e in parsed.find("section", class_="exercise")}
    assert list(sections) == [r.name for r in reports[kind].exercises]
    links = [e.attrs["href"] for e in parsed.find("a")]
    assert links == [f"#exercise-{name}" for name in sections]
    for result in reports[kind].exercises:
        section = sections[result.name]
        assert section.attrs["id"] == f"exercise-{result.name}"
        assert section.attrs["data-points"] == f"{result.score:g}"
        assert section.attrs["data-max-points"] == f"{result.max_score:g}"
        assert f"{result.score:g}/{result.max_score:g}" in section.words
        inside = parsed.within(section)
        shown = {e.attrs["data-group"]: int(e.attrs["data-count"])
                 for e in inside if e.tag == "details"}
        assert shown == dict(_groups_expected(result))
        assert sum(shown.values()) == len(result.checks)


@pytest.mark.parametrize("kind", KINDS)
def test_every_failed_check_has_its_hint(pages, reports, kind):
    _, parsed = pages[kind]
    for result in reports[kind].exercises:
        section = parsed.find("section", data_exercise=result.name)[0]
        hints = [e for e in parsed.within(section) if e.tag == "li" and "hint" in
                 e.attrs.get("class", "")]
        failed = [c for c in result.checks if c.status == "failed"]
        assert sum(int(h.attrs["data-checks"]) for h in hints) == len(failed)
        listed = " ".join(h.words for h in hints)
        for check in failed:
            assert check.check in listed
        first = {c.hint.split(": ", 1)[1] for c in failed[:1]}
        assert all(" ".join(hint.split()) in listed for hint in first)


def test_the_solutions_page_shows_no_hint_and_full_bars(pages, reports):
    page, parsed = pages["solutions"]
    assert reports["solutions"].score == reports["solutions"].max_score
    assert not parsed.find("ol", class_="hints")
    assert not parsed.find("details", data_group="failed")
    bars = parsed.find("svg", class_="score")
    assert bars
    assert all(
        next(e for e in parsed.within(bar) if "bar-fill" in e.attrs.get("class", ""))
        .attrs["width"] == bar.attrs["width"] for bar in bars)
    assert page.count("all checks passed") == len(EXERCISES)


def test_each_mistake_shows_its_catalogued_hint(pages, reports):
    _, parsed = pages["mistakes"]
    for mistake in ONE_MISTAKE_EACH:
        section = parsed.find("section", data_exercise=mistake.exercise)[0]
        hints = " ".join(e.words for e in parsed.within(section) if e.tag == "ol")
        assert " ".join(mistake.hint.split()) in hints, mistake.id
    footer = parsed.find("footer")[0]
    assert footer.words == " ".join(render_isolation(reports["mistakes"]).split())
    assert "no <netns>" in footer.words  # escaped, read back as text


def test_the_student_is_named_as_text(pages):
    _, parsed = pages["stubs"]
    assert parsed.find("h1")[0].words.endswith(": s<1>")
    assert parsed.find("title")[0].words.endswith(": s<1>")


# Hand-made reports: hostile text, hidden points, and figures of every kind.

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def _report(*figures, hint: str = HOSTILE, hidden_max: float = 0.0) -> GradeReport:
    checks = (
        CheckResult("mse", "value[<b>]", 0.0, 2.0, "failed", f"mse / value[<b>]: {hint}",
                    mistake=hint),
        CheckResult("mse", "shape", 1.0, 1.0, "passed"),
        CheckResult("mse", "later", 0.0, 1.0, "gated", "mse / later: not graded until `mse / "
                    "value` passes"),
        CheckResult("mse", "cuda", 0.0, 0.0, "skipped", "mse / cuda: skipped: CUDA is not "
                    "available on this machine"),
        CheckResult("mse", "variant", 0.0, 2.0, "failed", "mse / variant: off",
                    visibility="after_published"),
    )
    return GradeReport("hand", (ExerciseResult("mse", checks, hidden_max, figures),))


def test_student_text_stays_text():
    page = student_report(_report(ShapeTable.of(HOSTILE, [(HOSTILE, (1,), (2,))])),
                          title=HOSTILE, student=HOSTILE)
    parsed = Page(page)
    assert parsed.problems == []
    assert not parsed.find("script")
    assert not parsed.find("b")
    assert HOSTILE in parsed.find("ol", class_="hints")[0].words
    assert "value[<b>]" in parsed.find("details", data_group="failed")[0].words
    assert parsed.find("h1")[0].words == " ".join(f"{HOSTILE}: {HOSTILE}".split())
    assert HOSTILE in parsed.find("table", class_="shapes")[0].words


def test_groups_hidden_points_and_waits():
    parsed = Page(student_report(_report(hidden_max=3)))
    counts = {e.attrs["data-group"]: e.attrs["data-count"] for e in parsed.find("details")}
    assert counts == {"passed": "1", "failed": "1", "gated": "1", "hidden": "1", "skipped": "1"}
    section = parsed.find("section")[0]
    assert section.attrs["data-max-points"] == "6"  # the hidden 3 left out of the total
    assert "add 3 more points" in section.words
    assert "add 3 more points" in parsed.find("nav")[0].words
    gated = parsed.find("details", data_group="gated")[0]
    assert "not graded until `mse / value` passes: later" in gated.words
    assert "off" in parsed.find("ol", class_="hints")[0].words  # a hidden check's hint too
    assert not parsed.find("footer")  # no isolation records: no line


def _svg_numbers(page: str) -> list[str]:
    """Every coordinate written into the page's SVG."""
    values = []
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        for name, value in re.findall(r'\s([\w-]+)="([^"]*)"', svg):
            if name in COORDINATES:
                values += re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", value)
    return values


def _tick_texts(page: str) -> list[str]:
    return [text for svg in re.findall(r"<svg.*?</svg>", page, re.S)
            for text in re.findall(r"<text[^>]*>([^<]*)<", svg)]


PRECISE = 0.123456789  # a reference value the chart must not print


def test_loss_curves_break_at_nan_and_mark_the_departure():
    curves = LossCurves.of("loss", [2.0, 1.5, None, float("nan"), 1.0, 0.9],
                           [2.0, 1.4, 1.0, 0.6, 0.3, PRECISE])
    assert curves.departure == 2
    assert curves.why == "not a number"
    page = student_report(_report(curves))
    parsed = Page(page)
    paths = parsed.find("path", class_="student")
    assert len(paths) == 2  # two unbroken stretches
    assert len(parsed.find("path", class_="reference")) == 1
    departure = parsed.find("line", class_="departure")
    assert len(departure) == 1
    assert departure[0].attrs["x1"] == departure[0].attrs["x2"]
    texts = _tick_texts(page)
    assert "not a number" in texts
    assert "not a number at epoch 2" in texts
    assert "your code" in texts
    assert "reference" in texts
    assert all(re.fullmatch(r"-?\d+", value) for value in _svg_numbers(page))
    assert "0.123" not in page
    assert "0.12" in texts
    digits = [re.sub(r"e.*|\D", "", t).lstrip("0") for t in texts
              if re.fullmatch(r"[\d.e+-]+", t)]
    assert all(len(d) <= 2 for d in digits), texts


def test_a_blown_up_loss_is_drawn_on_a_log_scale_inside_the_chart():
    page = student_report(_report(LossCurves.of("loss", [1.0, 10.0, 1e12], [1.0, 0.5, 0.25])))
    assert "(loss on a log scale)" in page
    parsed = Page(page)
    chart = parsed.find("svg", class_="chart")[0]
    width, height = int(chart.attrs["width"]), int(chart.attrs["height"])
    for element in parsed.within(chart):
        for name in ("x", "x1", "x2", "cx"):
            assert 0 <= int(element.attrs.get(name, 0)) <= width
        for name in ("y", "y1", "y2", "cy"):
            assert 0 <= int(element.attrs.get(name, 0)) <= height


def test_shape_table_marks_the_first_wrong_layer():
    table = ShapeTable.of("shapes", [("conv1", (4, 6, 24, 24), (4, 6, 24, 24)),
                                     ("pool", (4, 6, 12, 12), (4, 6, 11, 11)),
                                     ("fc1", (4, 120), None)])
    parsed = Page(student_report(_report(table)))
    marked = [e for e in parsed.find("tr") if "data-first-wrong" in e.attrs]
    assert len(marked) == 1
    assert marked[0].attrs["class"] == "wrong"
    assert marked[0].words.startswith("pool")
    assert "no tensor" in parsed.find("table", class_="shapes")[0].words
    right = ShapeTable.of("shapes", [("conv1", (1,), (1,))])
    assert not [e for e in Page(student_report(_report(right))).find("tr")
                if "data-first-wrong" in e.attrs]


def test_gradient_bars_grow_from_zero_and_mark_nan():
    figure = Gradients.of("grads", [("w", 0.5, 0.25), ("b", -0.3, -0.3), ("c", None, 0.1)])
    page = student_report(_report(figure))
    parsed = Page(page)
    zero = next(e for e in parsed.find("line", class_="axis")
                if e.attrs["y1"] == e.attrs["y2"] and e.attrs["x1"] == "52"
                and int(e.attrs["y1"]) < 180)  # the zero line, above the x axis
    level = int(zero.attrs["y1"])
    yours = parsed.find("rect", class_="student")
    assert len(yours) == 2
    assert len(parsed.find("rect", class_="reference")) == 3
    up, down = yours
    assert int(up.attrs["y"]) + int(up.attrs["height"]) == level  # positive: above zero
    assert int(down.attrs["y"]) == level
    assert int(down.attrs["height"]) > 0
    assert int(up.attrs["height"]) > int(parsed.find("rect", class_="reference")[0]
                                         .attrs["height"])
    assert "×" in _tick_texts(page)
    assert all(re.fullmatch(r"-?\d+", value) for value in _svg_numbers(page))


def test_softmax_badge_says_stable_or_nan():
    bad = Softmax.of("softmax", [1000, 999, 0], [None, None, 0.0], [0.73, 0.27, 0.0])
    good = Softmax.of("softmax", [1, 2], [0.27, 0.73], [0.27, 0.73])
    parsed = Page(student_report(_report(bad, good)))
    badges = [e.words for e in parsed.find("span", class_="badge")]
    assert badges == ["nan", "nan", "nan", "stable"]  # the first figure's badge, its outputs
    table = parsed.find("table", class_="softmax")[0]
    logits = [e.words for e in parsed.within(table) if e.tag == "td" and e.attrs.get("class")]
    assert logits == ["1000", "999", "0"]
    assert len([e for e in parsed.within(table) if e.tag == "rect"]) == 2 * 1 + 2 * 3


def test_zero_or_several_figures_of_each_kind():
    assert not Page(student_report(_report())).find("figure")
    curves = LossCurves.of("loss", [1.0, 0.5], [1.0, 0.5])
    table = ShapeTable.of("shapes", [("conv1", (1,), (1,))])
    several = (curves, curves, table, table, LossCurves.of("empty", [], []),
               Gradients.of("none", []))
    parsed = Page(student_report(_report(*several)))
    kinds = [e.attrs["class"] for e in parsed.find("figure")]
    assert kinds == ["losscurves", "losscurves", "shapetable", "shapetable", "losscurves",
                     "gradients"]
    assert [e.words for e in parsed.find("p", class_="empty")] == [
        "No loss values came back.", "No gradients came back."]
    assert parsed.problems == []


def _cli(*args: str, code: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *(["-c", code] if code else ["-m", "graders"]),
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False)


def test_grade_html_writes_the_page(tmp_path):
    out = tmp_path / "report.html"
    done = _cli("grade", "mse", "--html", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    parsed = Page(out.read_text(encoding="utf-8"))
    assert parsed.problems == []
    assert [e.attrs["data-exercise"] for e in parsed.find("section")] == ["mse"]


def test_grade_without_html_imports_no_drawing():
    code = ("import sys\nfrom graders.__main__ import main\nstatus = main(['grade', 'mse'])\n"
            "drawn = [m for m in ('graders._html', 'graders._svg', 'matplotlib') "
            "if m in sys.modules]\nprint('drawing modules:', drawn, status)")
    done = _cli(code=code)
    assert done.returncode == 0, done.stderr
    assert "drawing modules: [] 0" in done.stdout


def test_the_hint_list_matches_the_terminal_report(reports):
    """The page groups hints as ``render_hints`` does: one item per terminal line."""
    from graders._report import render_hints

    report = replace(reports["stubs"], isolation=())
    parsed = Page(student_report(report))
    items = len(parsed.find("li", class_="hint"))
    gated = sum(len({c.hint.split(": ", 1)[1] for c in e.checks if c.status == "gated"})
                for e in report.exercises)
    lines = [line for line in render_hints(report).splitlines() if not line.startswith(
        "- Skipped")]
    assert items + gated == len(lines)

"""Release and autograde through the real nbgrader, in temporary course directories.

Slow-ish (releases collect the graders, autograde grades every notebook in the
sandbox), so the work is shared: one release and one autograde run per course.
The small course (``mse`` only) holds most students, an attacker among them; the
full course (every exercise) holds one catalogued mistake per exercise. Select
them with ``-m nbgrader``.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from graders._kit import kit_digest
from graders._layout import EXERCISES, EXERCISES_DIR, GRADERS, ROOT, SOLUTIONS
from graders._report import PASSED
from graders._variant import Variant, course_secret

pytest.importorskip("nbgrader", reason="needs the instructor extra (nbgrader)")
nbformat = pytest.importorskip("nbformat")

from catalogue import mistakes, variant_checks  # noqa: E402
from courses import fixed_secret  # noqa: E402

from graders.nbgrader import autograde  # noqa: E402
from graders.nbgrader._notebooks import check_cell_id, grade_id, module_from_notebook  # noqa: E402
from graders.nbgrader._source import GIVEN, SOLUTION, exercise_source, split_source  # noqa: E402
from graders.nbgrader.autograde import KIT_CHANGED, MARK  # noqa: E402
from graders.nbgrader.scores import NOT_GRADED, NOT_GRADED_MESSAGE  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.nbgrader]

SMALL, FULL = "basics", "pytorch-basics"
CELL_TIMEOUT = 10  # the small course's limit for cells, where nbgrader runs a kernel

MSE = exercise_source("mse")
REFERENCE_MSE = {s.name: s.source for s in MSE.segments if s.kind == SOLUTION}
# Right values, no shape check: partly right (the values are the core; the properties
# around them still earn), with a hint to read in the feedback.
NO_SHAPE_CHECK = """\
def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
"""
WARNS = """\
import warnings


def mse(y_pred, y):
    warnings.warn("computing the loss", UserWarning)
    torch.tensor(torch.zeros(1))  # torch warns too: copy-constructing from a tensor
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))


print(mse(torch.ones(3), torch.zeros(3)))
"""
TAMPER = (
    "import graders.nbgrader.kernel as grader\n\n"
    "FULL_MARKS = {full}\n"
    "grader.check = lambda exercise, name: float(FULL_MARKS[name])"
)
# What a notebook tried in an unsandboxed kernel: rewrite the reference so that a wrong
# answer (0.0) is the expected one, touch the grader, and leave a trace of having run.
ATTACKED = (SOLUTIONS / "mse.py", GRADERS / "test_mse.py")
ATTACK = """\
import os

for path, text in {{
    {reference!r}: "\\n\\ndef mse(y_pred, y):\\n    return 0.0\\n",
    {grader!r}: "\\n# rewritten by a student\\n",
}}.items():
    try:
        with open(path, "a") as handle:
            handle.write(text)
    except OSError:
        pass
try:
    with open({marker!r}, "w") as handle:
        handle.write("student code ran here")
except OSError:
    pass
"""
WRONG = "def mse(y_pred, y):\n    return 0.0\n"


def run_cli(*args) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "graders", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    print(done.stdout[-5000:], done.stderr[-5000:], sep="\n")
    return done


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    """Jupyter's config, data and runtime directories, away from the user's own."""
    root = tmp_path_factory.mktemp("jupyter")
    with pytest.MonkeyPatch.context() as patch:
        for kind in ("CONFIG", "DATA", "RUNTIME"):
            patch.setenv(f"JUPYTER_{kind}_DIR", str(root / kind.lower()))
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
        yield


def released(course, assignment, exercise):
    return nbformat.read(course / "release" / assignment / f"{exercise}.ipynb", as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def submit(course, assignment, student, exercise, solutions=None, *, after=None, edit=None):
    """A student's notebook, from the released one: their solution cells, extra cells, edits."""
    notebook = released(course, assignment, exercise)
    for cell in notebook.cells:
        for name, code in (solutions or {}).items():
            if nbgrader_meta(cell).get("grade_id") == grade_id(exercise, name):
                cell.source = code
        if edit and nbgrader_meta(cell).get("grade_id") in edit:
            cell.source = edit[nbgrader_meta(cell)["grade_id"]]
    if after:  # a cell of the student's own, after the last solution cell
        last = max(i for i, c in enumerate(notebook.cells) if nbgrader_meta(c).get("solution"))
        notebook.cells.insert(last + 1, nbformat.v4.new_code_cell(after))
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{exercise}.ipynb")


def student_cells(exercise: str, text: str) -> dict[str, str]:
    """A whole exercise file as solution cells: code outside them joins the next one."""
    reference = exercise_source(exercise)
    given = {s.source for s in reference.segments if s.kind == GIVEN}
    cells, pending = {}, []
    for segment in split_source(exercise, text, reference.solution_names).segments:
        if segment.kind == SOLUTION:
            cells[segment.name] = "\n\n\n".join([*pending, segment.source])
            pending = []
        elif segment.source not in given:
            pending.append(segment.source)
    if pending and cells:
        last = list(cells)[-1]
        cells[last] = "\n\n\n".join([cells[last], *pending])
    return cells


def one_mistake(exercise: str):
    """The first catalogued mistake of ``exercise`` whose file maps onto the notebook exactly."""
    reference = exercise_source(exercise)
    # Not code that fails variant checks only (tuned to the public inputs): what it fails
    # depends on the student's variant.
    variants = variant_checks(exercise)
    candidates = [m for m in mistakes(exercise) if not set(m.fails) <= variants]
    for mistake in candidates:
        text = mistake.path.read_text()
        cells = student_cells(exercise, text)
        if _body(reference.rebuild(cells)) == _body(text):
            return mistake
    return candidates[0] if candidates else None


def _body(text: str) -> str:
    body = ast.parse(text).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return ast.dump(ast.Module(body=body, type_ignores=[]))


# --- the two courses -------------------------------------------------------


@pytest.fixture(scope="module")
def full_release(jupyter, tmp_path_factory):
    course = fixed_secret(tmp_path_factory.mktemp("course-full"))
    done = run_cli("release", "--course", course, "--assignment", FULL)
    assert done.returncode == 0, done.stderr
    return course


@pytest.fixture(scope="module")
def small_release(jupyter, tmp_path_factory):
    course = fixed_secret(tmp_path_factory.mktemp("course-small"))
    done = run_cli(
        "release", "--course", course, "--assignment", SMALL, "--cell-timeout", CELL_TIMEOUT, "mse"
    )
    assert done.returncode == 0, done.stderr
    return course


def _full_marks(course) -> dict[str, float]:
    return {
        nbgrader_meta(c)["grade_id"].removeprefix("mse-test-"): nbgrader_meta(c)["points"]
        for c in released(course, SMALL, "mse").cells
        if nbgrader_meta(c).get("grade")
    }


def _hashes(paths) -> dict:
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@contextlib.contextmanager
def restored(paths):
    """If an attack gets through, the tests fail; the files are put back all the same."""
    saved = {path: path.read_bytes() for path in paths}
    try:
        yield
    finally:
        for path, data in saved.items():
            if path.read_bytes() != data:
                path.write_bytes(data)


@dataclass(frozen=True)
class Autograded:
    course: Path
    done: subprocess.CompletedProcess
    kit_before: dict
    kit_after: dict
    marker: Path  # written by the attacker's code wherever it runs outside the sandbox


@pytest.fixture(scope="module")
def small(small_release, tmp_path_factory):
    """Students of the small course, autograded together; one of them attacks the kit."""
    course = small_release
    marker = tmp_path_factory.mktemp("outside-the-sandbox") / "student-code-ran"
    attack = ATTACK.format(reference=str(ATTACKED[0]), grader=str(ATTACKED[1]), marker=str(marker))
    submit(course, SMALL, "reference", "mse", REFERENCE_MSE)
    submit(course, SMALL, "untouched", "mse")
    submit(course, SMALL, "warns", "mse", {"mse": WARNS})
    submit(
        course,
        SMALL,
        "edits_test",
        "mse",
        {"mse": NO_SHAPE_CHECK},
        edit={check_cell_id("mse", "shape_mismatch_raises"): "pass"},
    )
    submit(
        course,
        SMALL,
        "tampers",
        "mse",
        {"mse": NO_SHAPE_CHECK},
        after=TAMPER.format(full=_full_marks(course)) + "\n\n\nwhile True:\n    pass\n",
    )
    submit(course, SMALL, "attacker", "mse", {"mse": f"{attack}\n\n{WRONG}"}, after=attack)
    before = _hashes(ATTACKED)
    with restored(ATTACKED):
        done = run_cli("autograde", "--course", course, SMALL)
        after = _hashes(ATTACKED)
    return Autograded(course, done, before, after, marker)


@pytest.fixture(scope="module")
def full(full_release):
    """One student with one catalogued mistake in every exercise."""
    course = full_release
    chosen = {}
    for exercise in EXERCISES:
        mistake = one_mistake(exercise)
        code = student_cells(exercise, mistake.path.read_text()) if mistake else {}
        submit(course, FULL, "mistaken", exercise, code)
        chosen[exercise] = mistake
    return course, run_cli("autograde", "--course", course, FULL), chosen


# --- reading nbgrader's results -----------------------------------------------


def gradebook_scores(course, assignment, student, exercise) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(exercise, assignment, student)
            return {grade.name: grade.score for grade in notebook.grades}


def gradebook_comment(course, assignment, student, exercise) -> str:
    from nbgrader.api import Gradebook

    first = grade_id(exercise, exercise_source(exercise).solution_names[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            return gradebook.find_comment(first, exercise, assignment, student).comment or ""


def autograded(course, assignment, student, exercise):
    path = course / "autograded" / student / assignment / f"{exercise}.ipynb"
    return nbformat.read(path, as_version=4)


def feedback(course, assignment, student, exercise) -> str:
    return (course / "feedback" / student / assignment / f"{exercise}.html").read_text()


def cell_points(report, exercise) -> dict[str, tuple[float, float]]:
    """grade()'s results, summed per test cell (checks worth points only)."""
    cells: dict[str, tuple[float, float]] = {}
    for check in report.exercise(exercise).checks:
        name = check_cell_id(exercise, check.check.split("[")[0])
        earned, worth = cells.get(name, (0.0, 0.0))
        cells[name] = (earned + check.points, worth + check.max_points)
    return {name: value for name, value in cells.items() if value[1] > 0}


def extracted_grade(course, assignment, student, exercise, grade_files):
    """grade() on the code the autograder extracts from the submitted notebook, with the
    student's variant (``grade --student``), as autograde drew it from the course secret."""
    path = course / "submitted" / student / assignment / f"{exercise}.ipynb"
    code = module_from_notebook(json.loads(path.read_text()), exercise)
    variant = Variant(student, course_secret(course, create=False))
    return grade_files({exercise: code}, [exercise], variant=variant)


def notebook_scores(course, assignment, student, exercise) -> dict[str, float]:
    """What nbgrader reads from the autograded notebook's test cells (their outputs)."""
    from nbgrader.utils import determine_grade

    return {
        nbgrader_meta(c)["grade_id"]: determine_grade(c)[0]
        for c in autograded(course, assignment, student, exercise).cells
        if nbgrader_meta(c).get("grade")
    }


# --- release -------------------------------------------------------------------


def test_source_notebooks_rebuild_the_reference_solutions(full_release):
    for exercise in EXERCISES:
        path = full_release / "source" / FULL / f"{exercise}.ipynb"
        code = module_from_notebook(json.loads(path.read_text()), exercise)
        assert code == (SOLUTIONS / f"{exercise}.py").read_text(), exercise


def test_release_holds_stubs_only(full_release):
    folder = full_release / "release" / FULL
    assert sorted(p.name for p in folder.rglob("*")) == sorted(f"{e}.ipynb" for e in EXERCISES)
    for exercise in EXERCISES:
        text = (folder / f"{exercise}.ipynb").read_text()
        for forbidden in (
            "BEGIN SOLUTION",
            "END SOLUTION",
            "import pytest",
            "submission.",
            "graders.probes",
            "from solutions",
            "reference.",
        ):
            assert forbidden not in text, (exercise, forbidden)
        notebook = json.loads(text)
        stub = (EXERCISES_DIR / f"{exercise}.py").read_text()
        rebuilt = module_from_notebook(notebook, exercise).replace(
            "raise NotImplementedError()", "raise NotImplementedError"
        )
        assert _body(rebuilt) == _body(stub), exercise
        solution_cells = [
            c for c in notebook["cells"] if nbgrader_meta(nbformat.from_dict(c)).get("solution")
        ]
        assert solution_cells
        assert all("raise NotImplementedError" in "".join(c["source"]) for c in solution_cells)
        code = "\n".join(
            "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"
        )
        for line in _solution_lines(exercise):  # the introduction may quote the seeds' code
            assert line not in code, (exercise, line)


def _solution_lines(exercise: str) -> set[str]:
    """Lines of the solution regions that the stub (the docstrings included) does not hold."""
    stub = (EXERCISES_DIR / f"{exercise}.py").read_text()
    inside, lines = False, set()
    for line in (SOLUTIONS / f"{exercise}.py").read_text().splitlines():
        if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
            inside = "BEGIN" in line
        elif inside and len(line.strip()) > 20 and line.strip() not in stub:
            lines.add(line.strip())
    return lines


def test_test_cells_carry_the_points_of_the_cli(full_release, grade_files, tmp_path):
    empty = grade_files({}, list(EXERCISES))  # a missing file: every check at its max
    for exercise in EXERCISES:
        cells = {
            nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)
            for c in released(full_release, FULL, exercise).cells
            if nbgrader_meta(c).get("grade")
        }
        assert all(meta["locked"] and meta["points"] > 0 for meta in cells.values())
        expected = {name: worth for name, (_, worth) in cell_points(empty, exercise).items()}
        assert {name: meta["points"] for name, meta in cells.items()} == expected, exercise
        assert sum(expected.values()) == empty.exercise(exercise).max_score


# --- autograde: the small course -------------------------------------------------------


HONEST = ["reference", "untouched", "warns", "edits_test"]
STUDENTS = [*HONEST, "tampers", "attacker"]


def test_autograde_runs_and_exports(small):
    assert small.done.returncode == 0, small.done.stderr
    lines = (small.course / "grades.csv").read_text().splitlines()
    rows = {row["student_id"]: row for row in csv.DictReader(lines)}
    assert set(rows) == set(STUDENTS)
    assert float(rows["reference"]["score"]) == float(rows["reference"]["max_score"]) > 0
    assert float(rows["untouched"]["score"]) == 0


def test_autograde_writes_the_lms_gradebooks_from_the_export(small):
    """Beside nbgrader's export, the assignment's totals out of its own maximum (mse's)."""
    from graders._lms import nbgrader_names

    lines = (small.course / "grades.csv").read_text().splitlines()
    export = {row["student_id"]: row for row in csv.DictReader(lines)}
    worth = float(export["reference"]["max_score"])
    assert worth == sum(_full_marks(small.course).values())  # the released mse notebook's
    canvas_name, moodle_name = nbgrader_names(SMALL)
    canvas = list(csv.reader((small.course / canvas_name).read_text().splitlines()))
    assert canvas[0][-1] == SMALL
    assert float(canvas[1][-1]) == worth
    assert {row[0]: float(row[-1]) for row in canvas[2:]} == {
        student: float(row["score"]) for student, row in export.items()}
    moodle = list(csv.reader((small.course / moodle_name).read_text().splitlines()))
    assert {row[0]: float(row[1]) for row in moodle[1:]} == {
        student: float(row["score"]) for student, row in export.items()}


def test_no_student_code_runs_outside_the_sandbox(small):
    assert small.kit_after == small.kit_before  # the attack on the kit did nothing
    assert not small.marker.exists()  # the attacker's cells never ran outside the sandbox
    for student in STUDENTS:
        for cell in autograded(small.course, SMALL, student, "mse").cells:
            if cell.cell_type == "code" and not nbgrader_meta(cell).get("grade"):
                assert cell.outputs == [], (student, cell.source[:40])  # nothing executed


@pytest.mark.parametrize("student", STUDENTS)
def test_gradebook_matches_grade_on_the_extracted_code(small, grade_files, student):
    course = small.course
    report = extracted_grade(course, SMALL, student, "mse", grade_files)
    expected = {name: earned for name, (earned, _) in cell_points(report, "mse").items()}
    assert gradebook_scores(course, SMALL, student, "mse") == pytest.approx(expected)
    assert notebook_scores(course, SMALL, student, "mse") == pytest.approx(expected)
    total, worth = sum(expected.values()), report.exercise("mse").max_score
    header = f"(Score: {round(float(total), 2)} / {round(float(worth), 2)})"
    assert header in feedback(course, SMALL, student, "mse")


@pytest.mark.parametrize(
    ("student", "full_marks"),
    [
        ("reference", True),
        ("warns", True),
        ("untouched", False),
        ("edits_test", False),
        ("tampers", False),
        ("attacker", False),
    ],
)
def test_scores(small, student, full_marks):
    scores = gradebook_scores(small.course, SMALL, student, "mse")
    full = _full_marks(small.course)
    if full_marks:
        assert scores == {check_cell_id("mse", k): v for k, v in full.items()}
    elif student in ("untouched", "attacker"):  # the stub; a constant: no real work
        assert set(scores.values()) == {0.0}
    else:
        assert 0 < sum(scores.values()) < sum(full.values())


def test_the_attacker_gets_nothing_for_a_wrong_answer(small):
    scores = gradebook_scores(small.course, SMALL, "attacker", "mse")
    for check in ("numpy_value", "torch_value", "gradient"):
        assert scores[check_cell_id("mse", check)] == 0, check


def test_nobody_is_flagged(small):
    for word in ("MISMATCH", "tampering"):
        assert word not in small.done.stdout
    for student in ("reference", "warns"):  # full marks: nothing to say
        assert MARK not in gradebook_comment(small.course, SMALL, student, "mse")


def test_hints_reach_the_feedback_and_the_gradebook(small):
    hint = "silently broadcasts"
    for student in ("edits_test", "tampers"):
        comment = gradebook_comment(small.course, SMALL, student, "mse")
        assert comment.startswith(MARK)
        assert hint in comment
        assert hint in feedback(small.course, SMALL, student, "mse")
    # 29 public points and mse's hidden variant_values (2), which autograde grades with each
    # student's own variant: the slip (no shape check) costs 4 public points and no hidden one.
    for student, score in (("edits_test", 27), ("attacker", 0), ("reference", 31)):
        assert re.search(rf"^{student} +mse +{score} +31 ", small.done.stdout, re.MULTILINE)


def test_autograde_writes_the_class_report_and_one_report_per_student(small):
    folder = small.course / "reports" / SMALL
    page = (folder / "class.html").read_text()
    assert f"class report: {folder / 'class.html'}" in small.done.stdout
    links = set(re.findall(r'<a href="([^"]+)">', page))
    assert links == {f"students/{student}.html" for student in STUDENTS}
    for link in links:
        assert "<!doctype html>" in (folder / link).read_text().lower(), link
    assert not re.search(r"https?:", page)
    # Full marks (31 of 31): reference, warns; 27: edits_test, tampers; 0: the other two.
    counts = re.search(r'data-name="total" data-counts="([\d ]+)"', page).group(1)
    assert counts.split() == ["2", *"0000000", "2", "0", "2"]
    mistakes = re.findall(r'<li data-count="(\d+)" data-exercise="mse">(.*?)</li>', page)
    broadcasts = {count for count, item in mistakes if "silently broadcasts" in item}
    assert broadcasts == {"2"}  # edits_test and tampers, once each


def test_feedback_reads_well(small):
    """Hints wrap, no test cell value (``Out[ ]: 0.0``), the comment is a list of cells."""
    from graders.nbgrader.feedback import WRAP_CSS

    for student in STUDENTS:
        page = feedback(small.course, SMALL, student, "mse")
        assert WRAP_CSS in page, student  # the rule that makes the hints' <pre> wrap
        # No value after a test cell; every test cell was graded.
        for word in ("Out[", "output_execute_result", "NotRun", NOT_GRADED):
            assert word not in page, (student, word)
    page = feedback(small.course, SMALL, "edits_test", "mse")
    hint = re.search(r'class="output_subarea output_stream[^"]*">\s*<pre>[^<]*silently broad', page)
    assert hint, "the hint is not in the output's <pre>, where WRAP_CSS wraps it"
    cell = check_cell_id("mse", "shape_mismatch_raises")
    comment = re.search(r"<b>Comments:</b>(.*?)</div>", page, re.DOTALL).group(1)
    items = re.findall(r"<li>(.*?)</li>", comment, re.DOTALL)
    assert len(items) == 3  # the note on the edited cell, then the two cells that lost points
    assert items[1].startswith(f'Grade cell <a href="#{cell}"><code>{cell}</code></a>: 0/3.')
    assert f'<a name="{cell}"></a>' in page  # the link leads to the cell's heading


def test_the_autograde_log_holds_no_warnings(small):
    """Nothing an instructor cannot act on: nbgrader's checksum warnings for hidden checks
    or edited cells, SQLAlchemy's warnings about a new submission."""
    log = small.done.stdout + small.done.stderr
    assert re.findall(r"^.*(?:WARNING|Warning\b).*$", log, re.MULTILINE) == []
    # The edited test cell is the kit's note instead, in that student's line and comment.
    cell = check_cell_id("mse", "shape_mismatch_raises")
    assert re.search(rf"^edits_test +mse .*edited.*{cell}", small.done.stdout, re.MULTILINE)
    assert cell in gradebook_comment(small.course, SMALL, "edits_test", "mse")
    for student in ("reference", "untouched", "tampers"):  # hidden checks' cells included
        assert "edited" not in gradebook_comment(small.course, SMALL, student, "mse")


def test_test_cells_are_silent_on_stderr(small):
    for student in STUDENTS:
        for cell in autograded(small.course, SMALL, student, "mse").cells:
            if nbgrader_meta(cell).get("grade"):
                kinds = [o.output_type for o in cell.outputs]
                assert kinds[-1] == "execute_result", (student, kinds)
                assert all(
                    o.get("name") != "stderr" and o.output_type != "error" for o in cell.outputs
                )


def test_edited_test_cell_is_restored(small):
    cell = check_cell_id("mse", "shape_mismatch_raises")  # the cell it fails, emptied
    original = next(
        c
        for c in released(small.course, SMALL, "mse").cells
        if nbgrader_meta(c).get("grade_id") == cell
    )
    graded = next(
        c
        for c in autograded(small.course, SMALL, "edits_test", "mse").cells
        if nbgrader_meta(c).get("grade_id") == cell
    )
    assert graded.source == original.source
    assert gradebook_scores(small.course, SMALL, "edits_test", "mse")[cell] == 0


def test_nbgrader_alone_runs_nothing_and_gives_nothing(small, tmp_path):
    from graders.nbgrader.release import nbgrader_environment

    course = shutil.copytree(small.course, tmp_path / "course")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", SMALL, "--force", "--log-level=ERROR"],
        cwd=course,
        env=nbgrader_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not small.marker.exists()
    for student in STUDENTS:
        assert set(gradebook_scores(course, SMALL, student, "mse").values()) == {0.0}
        tests = [
            c
            for c in autograded(course, SMALL, student, "mse").cells
            if nbgrader_meta(c).get("grade")
        ]
        assert all(c.outputs[0].get("evalue") == NOT_GRADED_MESSAGE for c in tests)
        assert all(c.outputs[0].get("ename") == NOT_GRADED for c in tests)


def test_a_changed_kit_stops_autograde_before_any_grade(small, tmp_path, monkeypatch, capsys):
    course = shutil.copytree(small.course, tmp_path / "course")
    gradebook = (course / "gradebook.db").read_bytes()
    real = kit_digest()
    changed = replace(real, files=(*real.files, ("solutions/added.py", "not there")))
    monkeypatch.setattr(autograde, "kit_digest", lambda: changed)
    assert autograde.main(course, SMALL) == KIT_CHANGED
    err = capsys.readouterr().err
    assert "solutions/added.py" in err
    assert "refusing to record grades" in err
    assert (course / "gradebook.db").read_bytes() == gradebook


def test_score_outputs_are_read_by_nbgrader_as_the_sandboxed_points():
    from nbgrader.utils import determine_grade

    from graders.nbgrader.scores import score_outputs

    cell = nbformat.v4.new_code_cell(
        "check('mse', 'numpy_value')",
        metadata={"nbgrader": {"grade": True, "solution": False, "points": 8, "grade_id": "x"}},
    )
    for points, expected in ((3.5, 3.5), (0.0, 0.0), (8, 8.0), (9, 8.0), (-1, 0.0)):
        cell.outputs = score_outputs(points, 8.0, "mse / numpy_value: ...\n")
        assert determine_grade(cell) == (expected, 8.0)
        assert all(o.get("name") != "stderr" for o in cell.outputs)


def test_a_notebook_that_cannot_be_read_is_graded_as_empty(tmp_path):
    cases = {"list.ipynb": "[]", "broken.ipynb": "{", "deep.ipynb": "[" * 100_000}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        notebook, note = autograde.read_notebook(tmp_path / name)
        assert notebook == {}, name
        assert note, name
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "list.ipynb")
    assert "symbolic link" in autograde.read_notebook(tmp_path / "link.ipynb")[1]


def test_the_comment_renders_as_written_on_the_feedback_page():
    """A list after the score, cells linked by grade_id; ``**`` and ``<...>`` stay text."""
    from nbconvert.filters.markdown import markdown2html

    cell = check_cell_id("mse", "numpy_value")
    result = autograde.NotebookResult(
        "bob",
        "mse",
        (
            autograde.CellScore(cell, 0, 8, ("mse / numpy_value: mean((a - b) ** 2) <tensor>",)),
            autograde.CellScore(check_cell_id("mse", "gradient"), 4, 4),
        ),
        notes=("a note",),
    )
    page = markdown2html(f"No response.\n\n{autograde.comment_text(result)}")
    items = re.findall(r"<li>(.*?)</li>", page, re.DOTALL)
    assert items == [
        "a note.",
        f'Grade cell <a href="#{cell}"><code>{cell}</code></a>: 0/8. '
        "mean((a - b) ** 2) &lt;tensor&gt;",
    ]


def test_edited_read_only_cells_are_noted():
    notebook = {"cells": [
        {"cell_type": "code", "source": "pass", "metadata": {"nbgrader": {"grade_id": "t"}}},
        {"cell_type": "code", "source": ["a", "b"], "metadata": {"nbgrader": {"grade_id": "u"}}},
        {"cell_type": "code", "source": "x", "metadata": {"nbgrader": {"grade_id": "v"}}},
        "not a cell",
    ]}
    (note,) = autograde.edited_cells(notebook, {"t": "check()", "u": "ab", "w": "w"})
    assert note.endswith(": t")
    assert autograde.edited_cells(notebook, {"u": "ab"}) == ()


# --- autograde: one catalogued mistake per exercise --------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES)
def test_mistake_scores_as_the_cli_scores_it(full, grade_files, exercise):
    course, done, chosen = full
    assert done.returncode == 0, done.stderr
    secret = course_secret(course, create=False)
    report = extracted_grade(course, FULL, "mistaken", exercise, grade_files)
    expected = {name: earned for name, (earned, _) in cell_points(report, exercise).items()}
    assert gradebook_scores(course, FULL, "mistaken", exercise) == pytest.approx(expected)
    assert notebook_scores(course, FULL, "mistaken", exercise) == pytest.approx(expected)
    mistake = chosen[exercise]
    if mistake is not None:
        cli = grade_files({exercise: mistake.path}, [exercise],
                          variant=Variant("mistaken", secret)).exercise(exercise)
        assert report.exercise(exercise).score == cli.score < cli.max_score, mistake.name
        failed = {c.check.split("[")[0] for c in cli.checks if c.status != PASSED}
        assert set(mistake.fails) <= failed

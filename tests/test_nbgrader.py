"""Release and autograde through the real nbgrader, in temporary course directories.

Slow (every notebook is a kernel that imports torch), so the work is shared: one
release and one autograde run per course. The small course (``mse`` only) holds
most students; the full course (every exercise) holds one catalogued mistake per
exercise. Select them with ``-m nbgrader``.
"""

from __future__ import annotations

import ast
import csv
import json
import subprocess
import sys
import warnings

import pytest

from graders._layout import EXERCISES, EXERCISES_DIR, ROOT, SOLUTIONS
from graders._report import PASSED

pytest.importorskip("nbgrader", reason="needs the instructor extra (nbgrader)")
nbformat = pytest.importorskip("nbformat")

from catalogue import mistakes  # noqa: E402

from graders.nbgrader._notebooks import check_cell_id, grade_id, module_from_notebook  # noqa: E402
from graders.nbgrader._source import GIVEN, SOLUTION, exercise_source, split_source  # noqa: E402
from graders.nbgrader.autograde import MARK  # noqa: E402
from graders.nbgrader.execute import TIMEOUT_MESSAGE  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.nbgrader]

SMALL, FULL = "basics", "pytorch-basics"
CELL_TIMEOUT = 10  # the small course's limit for students' cells (the loop student's)

MSE = exercise_source("mse")
REFERENCE_MSE = {s.name: s.source for s in MSE.segments if s.kind == SOLUTION}
SUMS = """\
def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).sum()
    return float(np.sum((np.asarray(y_pred) - np.asarray(y)) ** 2))
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
    candidates = mistakes(exercise)
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
    course = tmp_path_factory.mktemp("course-full")
    done = run_cli("release", "--course", course, "--assignment", FULL)
    assert done.returncode == 0, done.stderr
    return course


@pytest.fixture(scope="module")
def small_release(jupyter, tmp_path_factory):
    course = tmp_path_factory.mktemp("course-small")
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


@pytest.fixture(scope="module")
def small(small_release):
    """Students of the small course, autograded together."""
    course = small_release
    submit(course, SMALL, "reference", "mse", REFERENCE_MSE)
    submit(course, SMALL, "untouched", "mse")
    submit(course, SMALL, "warns", "mse", {"mse": WARNS})
    submit(
        course,
        SMALL,
        "edits_test",
        "mse",
        {"mse": SUMS},
        edit={check_cell_id("mse", "numpy_value"): "pass"},
    )
    submit(
        course,
        SMALL,
        "tampers",
        "mse",
        {"mse": SUMS},
        after=TAMPER.format(full=_full_marks(course)),
    )
    submit(course, SMALL, "loops", "mse", REFERENCE_MSE, after="while True:\n    pass")
    submit(course, SMALL, "crashes", "mse", REFERENCE_MSE, after="import os\n\nos._exit(1)")
    return course, run_cli("autograde", "--course", course, SMALL)


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
    """grade() on the code the autograder extracts from the submitted notebook."""
    path = course / "submitted" / student / assignment / f"{exercise}.ipynb"
    code = module_from_notebook(json.loads(path.read_text()), exercise)
    return grade_files({exercise: code}, [exercise])


def kernel_scores(course, assignment, student, exercise) -> dict[str, float]:
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


STUDENTS = ["reference", "untouched", "warns", "edits_test", "tampers", "loops", "crashes"]


def test_autograde_runs_and_exports(small):
    course, done = small
    assert done.returncode == 0, done.stderr
    lines = (course / "grades.csv").read_text().splitlines()
    rows = {row["student_id"]: row for row in csv.DictReader(lines)}
    assert set(rows) == set(STUDENTS)
    assert float(rows["reference"]["score"]) == float(rows["reference"]["max_score"]) > 0
    assert float(rows["untouched"]["score"]) == 0


@pytest.mark.parametrize("student", STUDENTS)
def test_gradebook_matches_grade_on_the_extracted_code(small, grade_files, student):
    course, _ = small
    report = extracted_grade(course, SMALL, student, "mse", grade_files)
    expected = {name: earned for name, (earned, _) in cell_points(report, "mse").items()}
    assert gradebook_scores(course, SMALL, student, "mse") == pytest.approx(expected)
    total, worth = sum(expected.values()), report.exercise("mse").max_score
    header = f"(Score: {round(float(total), 2)} / {round(float(worth), 2)})"
    assert header in feedback(course, SMALL, student, "mse")


@pytest.mark.parametrize(
    ("student", "full_marks"),
    [
        ("reference", True),
        ("warns", True),
        ("loops", True),
        ("crashes", True),
        ("untouched", False),
        ("edits_test", False),
        ("tampers", False),
    ],
)
def test_scores(small, student, full_marks):
    course, _ = small
    scores = gradebook_scores(course, SMALL, student, "mse")
    expected = _full_marks(course) if full_marks else None
    if full_marks:
        assert scores == {check_cell_id("mse", k): v for k, v in expected.items()}
    elif student == "untouched":
        assert set(scores.values()) == {0.0}
    else:
        assert 0 < sum(scores.values()) < sum(_full_marks(course).values())


def test_honest_kernels_agree_with_the_sandbox(small):
    course, done = small
    for student in ("reference", "untouched", "warns", "edits_test", "loops"):
        kernel = kernel_scores(course, SMALL, student, "mse")
        assert kernel == gradebook_scores(course, SMALL, student, "mse"), student
        assert f"MISMATCH {student} " not in done.stdout
        if student != "loops":  # whose comment notes the timeout
            assert MARK not in gradebook_comment(course, SMALL, student, "mse")


def test_warnings_write_nothing_to_test_cells_stderr(small):
    course, _ = small
    cells = autograded(course, SMALL, "warns", "mse").cells
    solution = next(c for c in cells if nbgrader_meta(c).get("solution"))
    assert any(o.get("name") == "stderr" for o in solution.outputs)  # the warning did show
    for cell in cells:
        if nbgrader_meta(cell).get("grade"):
            assert all(o.output_type != "error" and o.get("name") != "stderr" for o in cell.outputs)


def test_edited_test_cell_is_restored(small):
    course, _ = small
    cell = check_cell_id("mse", "numpy_value")
    original = next(
        c for c in released(course, SMALL, "mse").cells if nbgrader_meta(c).get("grade_id") == cell
    )
    graded = next(
        c
        for c in autograded(course, SMALL, "edits_test", "mse").cells
        if nbgrader_meta(c).get("grade_id") == cell
    )
    assert graded.source == original.source
    assert gradebook_scores(course, SMALL, "edits_test", "mse")[cell] == 0


def test_tampering_is_outvoted_and_reported(small):
    course, done = small
    kernel = kernel_scores(course, SMALL, "tampers", "mse")
    scores = gradebook_scores(course, SMALL, "tampers", "mse")
    assert kernel == {check_cell_id("mse", k): v for k, v in _full_marks(course).items()}
    differing = [cell for cell in scores if scores[cell] != kernel[cell]]
    assert differing
    for cell in differing:
        assert f"MISMATCH tampers / mse / {cell}: the kernel said" in done.stdout
    comment = gradebook_comment(course, SMALL, "tampers", "mse")
    assert all(cell in comment for cell in differing)
    assert "the kernel said" in comment
    assert "the kernel said" in feedback(course, SMALL, "tampers", "mse")


def test_infinite_loop_times_out_in_its_cell_only(small):
    course, done = small
    cells = autograded(course, SMALL, "loops", "mse").cells
    timed_out = [
        c for c in cells if any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", []))
    ]
    assert len(timed_out) == 1
    assert timed_out[0].source.startswith("while True")
    kernel = kernel_scores(course, SMALL, "loops", "mse")
    assert kernel == gradebook_scores(course, SMALL, "loops", "mse")
    assert TIMEOUT_MESSAGE.split(" (")[0] in feedback(course, SMALL, "loops", "mse")
    assert "timed out in the kernel" in done.stdout


def test_dead_kernel_is_reported_and_the_solution_still_graded(small):
    course, done = small
    assert "The kernel died while running this cell" in feedback(course, SMALL, "crashes", "mse")
    assert "the kernel died" in gradebook_comment(course, SMALL, "crashes", "mse")
    assert "MISMATCH crashes" not in done.stdout


# --- autograde: one catalogued mistake per exercise --------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES)
def test_mistake_scores_as_the_cli_scores_it(full, grade_files, exercise):
    course, done, chosen = full
    assert done.returncode == 0, done.stderr
    report = extracted_grade(course, FULL, "mistaken", exercise, grade_files)
    expected = {name: earned for name, (earned, _) in cell_points(report, exercise).items()}
    assert gradebook_scores(course, FULL, "mistaken", exercise) == pytest.approx(expected)
    assert kernel_scores(course, FULL, "mistaken", exercise) == pytest.approx(expected)
    mistake = chosen[exercise]
    if mistake is not None:
        cli = grade_files({exercise: mistake.path}, [exercise]).exercise(exercise)
        assert report.exercise(exercise).score == cli.score < cli.max_score, mistake.name
        failed = {c.check.split("[")[0] for c in cli.checks if c.status != PASSED}
        assert set(mistake.fails) <= failed

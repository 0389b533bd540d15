"""One vocabulary for every grader: first_match, case_ids, Submission.shared, public imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import graders
from graders import Finding, StudentError, Submission, case_ids, first_match

GRADERS = Path(graders.__file__).parent


@pytest.mark.parametrize("path", sorted(GRADERS.glob("test_*.py")), ids=lambda p: p.stem)
def test_graders_import_only_the_public_api(path):
    """A grader names only what ``graders.__all__`` exports (and its own probes)."""
    private, unknown = [], []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graders"):
            if node.module == "graders":
                unknown += [a.name for a in node.names if a.name not in graders.__all__]
            elif not node.module.startswith("graders.probes"):
                private.append(node.module)
        elif isinstance(node, ast.Import):
            private += [a.name for a in node.names if a.name.startswith("graders._")]
    assert (private, unknown) == ([], [])


@pytest.mark.parametrize("path", sorted(GRADERS.glob("test_*.py")), ids=lambda p: p.stem)
def test_graders_never_import_the_solutions_nor_assert(path):
    """The reference only through ``answer_key`` (the student kit has no ``solutions``); a
    verdict only through ``fail`` (grading runs with ``--assert=plain``: a bare assert would
    fail a check with no hint)."""
    tree = ast.parse(path.read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert [name for name in imported if name.split(".")[0] == "solutions"] == []
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)] == []


def test_first_match_names_the_first_variant_that_explains_the_result():
    calls = []

    def summed():
        calls.append("summed")
        return 12.0

    candidates = [(6.0, "right answer: says nothing"), (summed, "you summed"),
                  (lambda: 1 / 0, "does not apply"), (12.0, "a later twin")]
    found = first_match(candidates, 12.0, lambda a, b: a == b, correct=6.0)
    assert found == Finding("you summed", 1)
    assert first_match(candidates, 7.0, lambda a, b: a == b) is None
    assert calls == ["summed", "summed"]  # computed only when reached


def test_case_ids_read_like_the_cases():
    assert case_ids([(0, (5,)), (1, (4, 3))], "seed") == ["seed0-5", "seed1-4x3"]
    assert case_ids(["numpy", "torch"]) == ["numpy", "torch"]
    assert len(set(case_ids([(0, 1), (1, 0)]))) == 2


def test_shared_runs_once_per_grading_run_and_remembers_a_failure(tmp_path):
    memo: dict = {}
    submission = Submission(None, tmp_path, "mse", 1.0, memo)
    again = Submission(None, tmp_path, "mse", 1.0, memo)  # another check, same run
    runs = []

    def broken():
        runs.append(1)
        raise StudentError("your code raised ValueError")

    assert submission.shared("value", lambda: runs.append(0) or 42) == 42
    assert again.shared("value", lambda: runs.append(0) or 43) == 42
    for handle in (submission, again):
        with pytest.raises(StudentError, match="ValueError"):
            handle.shared("broken", broken)
    assert runs == [0, 1]
    other_run = Submission(None, tmp_path, "mse", 1.0, {})
    assert other_run.shared("value", lambda: 7) == 7

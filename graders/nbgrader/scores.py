"""nbgrader's execution step, replaced: test cells get the sandbox's scores, no kernel starts.

``python -m graders autograde`` grades every submitted notebook in the kit's
sandbox first and writes the scores to a JSON file; ``graders.nbgrader.books``
then runs ``nbgrader autograde`` with ``SandboxScores`` where nbgrader's
``Execute`` was, and ``SandboxComment`` after ``SaveAutoGrades`` (see
``release.AUTOGRADE_PREPROCESSORS``):

- ``SandboxScores`` writes, for each test cell, what the student's own run of
  that cell would print (the hints) and, as the cell's value, the points the
  sandbox gave: nbgrader's ``SaveAutoGrades`` records exactly that score (a
  manual score still wins), and ``generate_feedback`` shows the hints;
- ``SandboxComment`` adds the kit's comment (notes, and the first hint of each
  test cell that lost points) to the gradebook comment of the notebook's first
  solution cell, after nbgrader's own ("No response.").

Before them, ``RestoreCells`` takes the place of nbgrader's ``OverwriteCells``
(``release.SANITIZE_PREPROCESSORS``): it puts locked cells back from the source as
nbgrader does, but a cell whose code a student edited is logged at INFO, not as a
warning that names no student: the kit's note (``autograde.edited_cells``) names
the cell in that student's summary line and comment, and the score never depended
on it.

No cell is executed. A test cell without a sandboxed score (``nbgrader
autograde`` run on its own, or formgrader's autograde button) gets an error
output, so zero points, never the full marks nbgrader gives a cell without
output. Nothing here writes to stderr: nbgrader scores a cell with stderr
output as zero.
"""

from __future__ import annotations

import json
from functools import cache

from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from traitlets import Unicode

NOT_GRADED = "NotGraded"
NOT_GRADED_MESSAGE = (
    "This test cell was not graded: the kit's autograder (`python -m graders autograde`) "
    "grades the solution cells in its sandbox and records the scores; nbgrader alone runs "
    "no student code in this course."
)


def error_output(name: str, message: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"]
    )


def score_outputs(points: float, max_points: float, text: str) -> list[NotebookNode]:
    """The hints as printed text, then the points as the cell's value (partial credit)."""
    outputs = [NotebookNode(output_type="stream", name="stdout", text=text)] if text else []
    value = repr(float(min(max(points, 0.0), max_points)))
    outputs.append(
        NotebookNode(
            output_type="execute_result",
            execution_count=None,
            metadata={},
            data={"text/plain": value},
        )
    )
    return outputs


@cache
def _table(path: str) -> dict:
    """The scores file written by ``python -m graders autograde``: student, notebook."""
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["notebooks"]


class SandboxResults(NbGraderPreprocessor):
    """What both steps read: ``--SandboxResults.scores=FILE`` configures them both."""

    scores = Unicode(
        "", help="The JSON file of sandboxed scores written by `python -m graders autograde`."
    ).tag(config=True)

    def entry(self, resources) -> dict:
        """This notebook's scores and comment; {} if it was not graded in the sandbox."""
        info = resources["nbgrader"]
        return _table(self.scores).get(info["student"], {}).get(info["notebook"], {})


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells; an edited locked cell's code is the kit's note instead."""

    def report_change(self, name, attr, old, new) -> None:
        if attr == "checksum":  # the code changed: restored below, and noted by the kit
            self.log.info("Cell %s was edited: its code is restored from the source", name)
        else:
            super().report_change(name, attr, old, new)


class SandboxScores(SandboxResults):
    """Fills each test cell's output from the sandbox's scores; executes nothing."""

    def preprocess(self, nb, resources):
        cells = self.entry(resources).get("cells", {})
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs, cell.execution_count = [], None  # nothing ran
            if utils.is_grade(cell) and not utils.is_solution(cell):
                cell.outputs = _test_cell_outputs(cell, cells)
        return nb, resources


class SandboxComment(SandboxResults):
    """Adds the kit's comment to the first solution cell's, once SaveAutoGrades has run."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        ours = self.entry(resources).get("comment", "")
        first = next((cell for cell in nb.cells if utils.is_solution(cell)), None)
        if not ours or first is None:
            return nb, resources
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            comment = gradebook.find_comment(
                first.metadata["nbgrader"]["grade_id"],
                info["notebook"],
                info["assignment"],
                info["student"],
            )
            comment.auto_comment = "\n\n".join(filter(None, [comment.auto_comment, ours]))
            gradebook.db.commit()
        return nb, resources


def _test_cell_outputs(cell: NotebookNode, scores: dict) -> list[NotebookNode]:
    meta = cell.metadata["nbgrader"]
    score = scores.get(meta["grade_id"])
    if score is None:
        return [error_output(NOT_GRADED, NOT_GRADED_MESSAGE)]
    return score_outputs(score["points"], float(meta["points"]), score.get("text", ""))

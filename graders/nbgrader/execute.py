"""nbgrader's Execute preprocessor, made to survive what student code does to a kernel.

Configured in the course's ``nbgrader_config.py`` (``Autograde.autograde_preprocessors``)
by ``python -m graders release``, it changes three things:

- time limits per cell: the student's cells get ``Execute.timeout``; the kit's
  locked cells (test cells wait for grading) get ``locked_cell_timeout``;
- a kernel that dies, or hangs past an interrupt, no longer fails the student's
  whole assignment: that cell says what happened, the cells after it are marked
  as not run, and the next notebook gets a fresh kernel;
- a test cell whose value is not a score nbgrader can read (more points than
  the cell is worth, say) gets zero with a message instead of stopping autograde.
"""

from __future__ import annotations

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Integer, default

DIED = "DeadKernelError"
HUNG = "UnresponsiveKernel"
NOT_RUN = "NotRun"
BAD_SCORE = "InvalidScore"
TIMED_OUT = "CellTimeoutError"

TIMEOUT_MESSAGE = (
    "This cell was still running when its time limit ran out, so the autograder "
    "interrupted it (an infinite loop?). The cells after it still ran."
)


def error_output(name: str, message: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"]
    )


class GuardedExecute(Execute):
    """Execute, with per-cell time limits and a clear record of kernel deaths."""

    locked_cell_timeout = Integer(
        600,
        help="Time limit (seconds) for the kit's locked cells; test cells wait for grading.",
    ).tag(config=True)

    @default("timeout_func")
    def _timeout_func_default(self):
        return self.cell_timeout

    @default("iopub_timeout")
    def _iopub_timeout_default(self):
        # After an interrupt, a test cell ends its grading before the kernel goes idle:
        # give it longer than nbclient's 4 s on a busy machine.
        return 30

    @default("error_on_timeout")
    def _error_on_timeout_default(self):
        return {
            "ename": TIMED_OUT,
            "evalue": TIMEOUT_MESSAGE,
            "traceback": [f"{TIMED_OUT}: {TIMEOUT_MESSAGE}"],
        }

    def cell_timeout(self, cell: NotebookNode) -> int | None:
        return self.locked_cell_timeout if utils.is_locked(cell) else self.timeout

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = ""
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped:
            cell.outputs = [error_output(NOT_RUN, self._stopped)]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop(
                cell,
                DIED,
                "The kernel died while running this cell (the process "
                "crashed, ran out of memory, or called os._exit).",
            )
        except CellTimeoutError:
            self._stop(
                cell,
                HUNG,
                "This cell ran past its time limit and the kernel did not "
                "respond to an interrupt, so the autograder stopped it.",
            )
        if utils.is_grade(cell) and not utils.is_solution(cell):
            _guard_score(cell)
        return cell, resources

    def _stop(self, cell: NotebookNode, name: str, message: str) -> None:
        self.log.error("%s: %s", name, message)
        cell.outputs.append(error_output(name, message))
        self._stopped = f"Not run: the kernel stopped in an earlier cell ({name})."


def _guard_score(cell: NotebookNode) -> None:
    """A value nbgrader cannot read as a score would abort autograde: make it zero."""
    try:
        utils.determine_grade(cell)
    except (ValueError, KeyError, TypeError) as error:
        points = cell.metadata["nbgrader"].get("points")
        cell.outputs.insert(
            0,
            error_output(
                BAD_SCORE,
                f"This test cell's value is not a score from 0 to {points} ({error}); "
                "it counts as 0 here, and the autograder's own grading decides.",
            ),
        )

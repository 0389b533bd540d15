"""nbgrader's feedback pages, made to read well: a last step of ``generate_feedback``.

``python -m graders autograde`` (``graders.nbgrader.books``) and the course's
``nbgrader_config.py`` run ``ReadableFeedback`` after nbgrader's own steps of
``generate_feedback`` (``release.FEEDBACK_PREPROCESSORS``). On each page it:

- leaves out each test cell's value (``Out[ ]: 0.0``): that number is how the
  sandbox's points reach nbgrader's ``SaveAutoGrades`` (``scores.score_outputs``),
  and the page already shows the cell's score in its heading;
- makes the printed output wrap: a hint is one long line, which nbgrader's page
  otherwise scrolls off to the side.

Only the page changes: the autograded notebook keeps the value, and nbgrader
reads the scores from the gradebook.
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor
from traitlets import List

# After nbgrader's own CSS (bootstrap's ``pre`` keeps long lines on one line).
WRAP_CSS = """\
/* torchgrade: hints are long lines; wrap them rather than scroll sideways */
div.output_area pre, div.output_subarea pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
}
"""


class ReadableFeedback(NbGraderPreprocessor):
    """Test cells without their value, printed output that wraps."""

    # As GetGrades declares it: the HTML exporter configures this option for every step,
    # and traitlets warns in the log about a step that does not take it as config.
    display_data_priority = List(GetGrades.display_data_priority.default()).tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
                cell.outputs = [o for o in cell.outputs if o.output_type != "execute_result"]
        inlining = resources.setdefault("inlining", {})
        inlining["css"] = [*inlining.get("css", []), WRAP_CSS]
        return nb, resources

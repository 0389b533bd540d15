"""``python -m graders classroom OUT``: a GitHub Classroom template repository.

The repository is the student kit (``graders._student_kit``: the stubs, the public checks and
their answer key; no solutions, no hidden checks) without its wheel, plus:

- ``.github/workflows/classroom.yml``: on every push, GitHub Actions grades with the kit's own
  command (``nox -s grade``, CPU torch), which writes Gradescope's ``results.json``; this
  module, run as a script, turns that file into the result GitHub Classroom's reporter
  (``classroom-resources/autograding-grading-reporter``) reads, and the reporter sends the
  points to Classroom. The workflow mirrors the one Classroom itself generates (its name,
  job and permissions), since Classroom replaces the file when the assignment has tests of
  its own: the assignment must have none.
- ``README.md`` for students: accept, clone, implement, grade locally, push, find the points.
- ``.gitignore``: the virtualenvs and the results file stay out of the students' commits.

Run as a script (``python -I graders/_classroom.py RESULTS``) it prints the step output line
``result=<base64>`` and imports nothing of the kit: the workflow runs it with the runner's
Python, which has no torch. Points a student can see are public points only: the hidden
checks, and the grade that counts, come from the instructor's ``batch`` on the cloned repos.
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
from pathlib import Path

WORKFLOW = Path(".github/workflows/classroom.yml")
RESULTS_FILE = "torchgrade-results.json"  # what the workflow's grade writes (--json)
RUNNER = "torchgrade"  # the grading step's id: the reporter reads TORCHGRADE_RESULTS
GRADE_COMMAND = f"nox -s grade -- --json {RESULTS_FILE}"
REPORT_COMMAND = f"python -I graders/_classroom.py {RESULTS_FILE}"
PYTHON = "3.12"  # the runner's Python for nox; the kit supports 3.10 to 3.13
MAX_MESSAGE = 500  # characters of a hint shown in the workflow's log

WORKFLOW_TEXT = f"""\
# Written by `python -m graders classroom`. On every push: grade with the kit's own command
# (CPU torch) and report the points to GitHub Classroom. Give the Classroom assignment no
# autograding tests of its own: Classroom would replace this file with its generated one.
name: Autograding Tests
"on":
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 30
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "{PYTHON}"
      - name: Keep uv's downloads (torch) between pushes
        uses: actions/cache@v4
        with:
          path: ~/.cache/uv
          key: uv-${{{{ runner.os }}}}-${{{{ hashFiles('pyproject.toml') }}}}
      - name: Install nox
        run: python -m pip install "nox[uv]"
      - name: Grade
        id: {RUNNER}
        env:
          UV_TORCH_BACKEND: cpu
        run: |
          {GRADE_COMMAND}
          {REPORT_COMMAND} >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          {RUNNER.upper()}_RESULTS: "${{{{ steps.{RUNNER}.outputs.result }}}}"
          GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
        with:
          runners: {RUNNER}
"""

README = """# {assignment}: PyTorch exercises

Implement the exercises in `exercises/` ({names}). Every push to this repository is graded
on GitHub (the same checks as on your machine) and the points go to GitHub Classroom.

## Start

1. Accept the assignment from the link your instructor sent: GitHub Classroom makes you a
   private copy of this repository.
2. Clone it, on Linux (on Windows: inside WSL 2):

   ```console
   git clone https://github.com/ORGANIZATION/YOUR-REPOSITORY.git
   cd YOUR-REPOSITORY
   ```

## Work, grade, push

Edit the files in `exercises/`; their docstrings say what each function must do. Grade them on
your machine:

```console
python3 -m venv .venv && .venv/bin/pip install "nox[uv]"
UV_TORCH_BACKEND=cpu .venv/bin/nox -s grade
```

The first run installs the CPU build of torch (minutes; drop `UV_TORCH_BACKEND=cpu` to get
the CUDA build on a machine with an NVIDIA GPU). Each exercise gets a score and a hint for
every failed check; `.venv/bin/nox -s grade -- mse` grades one exercise. More in
[docs/students.md](docs/students.md).

When you are ready, commit and push:

```console
git add exercises/
git commit -m "mse: handle shapes"
git push
```

## Your points

Each push starts the **Autograding Tests** workflow: open your repository's **Actions** tab,
then the newest run. Its **Grade** step prints the same table and hints as your own
`nox -s grade`; the **Autograding Reporter** step lists each check and ends with
`Total points: X/Y`, the points GitHub Classroom records (a red X means some checks still
fail, a green check all of them pass). The run takes a few minutes.

These are the public checks' points. Your instructor also runs hidden checks worth the points
the report lists (see [docs/students.md](docs/students.md#public-and-hidden-points)), on your
last push before the deadline. Do not edit `graders/` or `.github/`: the grade that counts is
decided with the instructor's own copy of the checks.
"""

GITIGNORE = f""".venv/
.nox/
__pycache__/
{RESULTS_FILE}
"""


def build(out: Path, assignment: str, exercises: tuple[str, ...], sandbox=None) -> Path:
    """Write the template repository to ``out`` (which must not exist yet); ``out``."""
    from graders._student_kit import build as build_kit
    from graders._student_kit import with_siblings

    out = Path(out)
    exercises = with_siblings(exercises)
    build_kit(out, assignment, exercises, sandbox=sandbox)
    shutil.rmtree(out / "dist")  # a repository holds the sources; the wheel is for pip
    (out / WORKFLOW).parent.mkdir(parents=True, exist_ok=True)
    (out / WORKFLOW).write_text(WORKFLOW_TEXT)
    (out / "README.md").write_text(README.format(assignment=assignment,
                                                 names=", ".join(exercises)))
    (out / ".gitignore").write_text(GITIGNORE)
    return out


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def reporter_result(results: dict) -> dict:
    """The reporter's result for one runner, from the kit's ``results.json``: one test per
    check worth points, with its points, and the kit's maximum. The reporter sums the tests'
    ``score`` over ``max_score``: the kit's score, exactly."""
    tests = [
        {
            "name": str(test.get("name", "check"))[:200],
            "status": "pass" if test["score"] >= test["max_score"] else "fail",
            "score": test["score"],
            "message": _short(test.get("output", "")),
            "test_code": GRADE_COMMAND,
            "filename": "",
            "line_no": 0,
            "execution_time": "",
        }
        for test in results.get("tests", [])
        if test.get("max_score", 0) > 0  # skipped CUDA checks carry no points: not "passed"
    ]
    passed = results["score"] >= results["max_score"]
    return {"version": 1, "status": "pass" if passed else "fail",
            "max_score": results["max_score"], "tests": tests}


def output_line(results: dict) -> str:
    """``result=<base64 JSON>``: the step output the reporter decodes."""
    encoded = json.dumps(reporter_result(results), separators=(",", ":")).encode()
    return f"result={base64.b64encode(encoded).decode()}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(f"usage: {REPORT_COMMAND.replace(RESULTS_FILE, 'RESULTS_JSON')}", file=sys.stderr)
        return 2
    print(output_line(json.loads(Path(argv[0]).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

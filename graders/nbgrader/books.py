"""nbgrader's books for ``python -m graders autograde``: autograde, feedback, export.

Run by ``python -m graders autograde`` once the sandbox has graded every notebook::

    python -m graders.nbgrader.books ASSIGNMENT SCORES [LOG_LEVEL]   # in the course directory

It runs, as nbgrader's own commands would (same config, same log):

1. ``nbgrader autograde ASSIGNMENT --create --force`` with nbgrader's Execute step
   replaced by ``graders.nbgrader.scores.SandboxScores`` (the preprocessors are given
   on the command line, where they win over any config file): no kernel starts, the
   test cells get the sandbox's scores and hints from SCORES, and SaveAutoGrades
   records them;
2. ``nbgrader generate_feedback ASSIGNMENT --force``, its pages made readable by
   ``graders.nbgrader.feedback.ReadableFeedback``;
3. ``nbgrader export --to grades.csv``.

One process for the three: importing nbgrader takes seconds. The exit status is
the first failing command's, else 0; every command runs regardless. The log holds
what an instructor can act on: nbgrader's warnings that cannot be acted on are
removed where they arise (see ``release.SANITIZE_PREPROCESSORS`` and
``quiet_gradebook``).
"""

from __future__ import annotations

import sys
import warnings

from graders.nbgrader.release import (
    AUTOGRADE_PREPROCESSORS,
    FEEDBACK_PREPROCESSORS,
    SANITIZE_PREPROCESSORS,
)

# nbgrader 0.9's Gradebook.add_submission, under SQLAlchemy 2, reads the new submission's
# notebooks before adding it to the session: SQLAlchemy warns that the backref "will not
# proceed", then nbgrader adds the submission itself. Once per new student, harmless.
UNADDED_SUBMISSION = r"Object of type <Submitted(Assignment|Notebook)> not in session"


def quiet_gradebook() -> None:
    """Ignore only nbgrader's harmless SQLAlchemy warning about a new submission."""
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", message=UNADDED_SUBMISSION, category=SAWarning)


def nbgrader(*args: str) -> int:
    """One nbgrader command, in this process (as nbgrader's own test suite runs them)."""
    from jupyter_core.application import NoStart
    from nbgrader.apps import NbGraderApp

    print(f"$ nbgrader {' '.join(args)}", flush=True)
    app = NbGraderApp.instance()
    try:
        app.initialize(list(args))
        app.start()
    except NoStart:  # how a Jupyter app says its subcommand has run
        return 0
    except SystemExit as done:  # nbgrader's apps exit through sys.exit on errors
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    finally:
        app.reset()
    return 0


def autograde_arguments(assignment: str, scores: str, log_level: str) -> list[str]:
    sanitize = [f"--Autograde.sanitize_preprocessors={name}" for name in SANITIZE_PREPROCESSORS]
    steps = [f"--Autograde.autograde_preprocessors={name}" for name in AUTOGRADE_PREPROCESSORS]
    return [
        "autograde",
        assignment,
        "--create",
        "--force",
        *sanitize,
        *steps,
        f"--SandboxResults.scores={scores}",
        f"--log-level={log_level}",
    ]


def main(argv: list[str]) -> int:
    assignment, scores, *rest = argv
    log_level = rest[0] if rest else "WARN"
    quiet_gradebook()
    feedback = [f"--GenerateFeedback.preprocessors={name}" for name in FEEDBACK_PREPROCESSORS]
    codes = [
        nbgrader(*autograde_arguments(assignment, scores, log_level)),
        nbgrader("generate_feedback", assignment, "--force", *feedback, f"--log-level={log_level}"),
        nbgrader("export", "--to", "grades.csv", f"--log-level={log_level}"),
    ]
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""torchgrade for nbgrader courses: release notebooks, autograde them, return feedback.

- ``release``: ``python -m graders release`` builds the course's source
  notebooks from solutions/ and docs/ and runs ``nbgrader generate_assignment``.
- ``kernel``: what the notebooks' test cells call in the student's kernel.
- ``execute``: nbgrader's Execute preprocessor with per-cell time limits that
  survives dead kernels (configured by ``release``).
- ``autograde``: ``python -m graders autograde`` runs ``nbgrader autograde``, grades
  the solution cells again in the sandbox, records those scores in the
  gradebook, then runs ``generate_feedback`` and ``export``.

Nothing here imports torch or nbgrader at import time.
"""

"""torchgrade for nbgrader courses: release notebooks, autograde them, return feedback.

- ``release``: ``python -m graders release`` builds the course's source
  notebooks from solutions/ and docs/ and runs ``nbgrader generate_assignment``.
- ``kernel``: what the notebooks' test cells call in the student's kernel.
- ``autograde``: ``python -m graders autograde`` grades every submitted notebook's
  solution cells in the sandbox (no student code runs anywhere else), then
  ``books`` runs nbgrader's autograde, generate_feedback and export, where
  ``scores`` replaces nbgrader's execution with the sandbox's scores and
  ``feedback`` makes the feedback pages read well.

Importing the package imports neither torch nor nbgrader; ``scores`` and
``feedback`` import nbgrader (they run inside nbgrader's process, started by ``books``).
"""

"""Grader-written code that runs in the sandboxed child, beside the student's code.

The rule: the child only observes.

A probe calls the student's code and returns what it produced, as plain data:
tensors, numbers, lists, state dicts, losses, storage addresses, the names of
classes or of the operations that ran. It never returns a comparison, a
verdict ("is a Dataset", "same storage", "called a banned function"), or an
expected value, and never anything computed by a helper the student can reach.
Everything expected is computed in the parent, which decides.

Anything in the child, these modules included, can be rebound by the
submission before a probe runs: a comparison made there could be made to
agree. So a probe's report is trusted no more than the student's own return
values, and the parent checks it against what it computes itself. (How the
code computes, such as classification's ban on PyTorch's softmax, can only be
observed there, not proven: tampering with the probe can hide it.) Where a
parent loops over per-case results it checks their count first
(``expect_count``) and zips with ``strict=True``.

Each probe is a module-level function ``probe(module, *args, **kwargs)`` whose
first argument is the student's exercise module.
"""

import importlib
import pkgutil


def load_all() -> None:
    """Import every probe module (in the fork server, so children start warm)."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")

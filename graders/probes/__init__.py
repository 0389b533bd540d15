"""Grader-written code that runs in the sandboxed child, beside the student's code.

Each probe is a module-level function ``probe(module, *args, **kwargs)`` whose
first argument is the student's exercise module. Probes return plain data
only; the parent decides. They are trusted to be honest, not to be safe: a
submission can tamper with them, but then only loses its own points.
"""

import importlib
import pkgutil


def load_all() -> None:
    """Import every probe module (in the fork server, so children start warm)."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")

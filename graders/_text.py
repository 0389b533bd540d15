"""Text hygiene: anything that came from a child is made printable and short before use.

Student code controls its exception messages, its reprs and what it prints. A
terminal escape sequence there could redraw the score table, a control
character could corrupt JSON or HTML readers, and a huge message repeated into
every hint once made a 56 MB ``results.json``. Every string that reaches a
report, a terminal, HTML or JSON goes through ``printable`` first.
"""

from __future__ import annotations

import re

MAX_HINT = 1_000  # characters in one hint, the student's own text included

# ANSI/VT escape sequences (CSI, OSC, and two-character escapes), then any other
# control character but newline and tab. C1 controls (0x80-0x9f) act as escapes too.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, limit: int = MAX_HINT, *, lines: bool = False) -> str:
    """``text`` without escape sequences or control characters, cut to ``limit`` characters.

    Unless ``lines``, newlines and tabs become spaces too: a hint is one line, so
    a message cannot print a fake row under the score table.
    """
    text = text[: limit * 4]  # bound the regex work before cleaning
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    if not lines:
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."

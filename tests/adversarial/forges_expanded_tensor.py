"""Rebinds the child's encoder to send a tensor whose metadata claims far more than its data.

A 100000 x 100000 float tensor backed by four bytes: a parent that trusted the
shape would allocate 40 GB. The decoder checks every tensor's bytes against its
shape and dtype and refuses the record.

checks: numpy_returns_float, torch_value
score: 0
hint: outside the grading protocol
"""

import struct

from graders import _wire


def _forged(value):
    def text(s):
        return struct.pack("<I", len(s)) + s.encode()

    shape = struct.pack("<B", 2) + struct.pack("<Q", 100_000) * 2
    return (_wire.MAGIC + _wire.RETURNED + _wire.TENSOR + struct.pack("<B", 8) + text("float32")
            + text("cpu") + text("") + shape + struct.pack("<Q", 4) + b"\0\0\0\0")


_wire.encode_returned = _forged


def mse(y_pred, y):
    return 0.0

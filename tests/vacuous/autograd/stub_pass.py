"""The scaffold with every `raise NotImplementedError` replaced by `pass`.

Nothing is done, so nothing may pay.
"""

import torch  # noqa: F401


def leaf_gradients(fn, *inputs):
    pass


def sgd_update_(params, lr):
    pass

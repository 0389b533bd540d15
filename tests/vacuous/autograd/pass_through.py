"""Pass-through: leaf_gradients hands back detached copies of its inputs as the "gradients";
sgd_update_ leaves the parameters (and their gradients) as they are."""


def leaf_gradients(fn, *inputs):
    return tuple(x.detach().clone() for x in inputs)


def sgd_update_(params, lr):
    return None

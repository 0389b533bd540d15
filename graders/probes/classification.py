"""Probes for the classification exercise (run in the child).

``operations`` runs softmax and cross_entropy, forward and backward, under a
``TorchDispatchMode`` that records every aten operation reaching PyTorch's
dispatcher, and collects the autograd nodes of their results. Every spelling of
PyTorch's own softmax or cross-entropy (``torch.softmax``, ``F.cross_entropy``,
``torch.ops.aten._softmax``, ``torch._C._nn.nll_loss``, ``nn.CrossEntropyLoss``...)
ends in the same few kernels, so the parent, which decides what is banned, sees
them whatever name the student called them by.
"""

import torch
from torch.utils._python_dispatch import TorchDispatchMode

GRAPH_NODES = 10_000  # autograd nodes walked at most


class _Recorder(TorchDispatchMode):
    """Records the name of each aten operation it sees (``aten::_softmax``) and runs it."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.names.add(func.name().split(".")[0])  # the overload (".Tensor") says nothing
        return func(*args, **(kwargs or {}))


def _graph(result) -> list[str]:
    """The types of the autograd nodes behind ``result`` (SoftmaxBackward0, ...)."""
    node = getattr(result, "grad_fn", None) if isinstance(result, torch.Tensor) else None
    seen, todo, names = set(), [node], set()
    while todo and len(seen) < GRAPH_NODES:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        names.add(type(node).__name__)
        todo.extend(next_node for next_node, _ in node.next_functions)
    return sorted(names)


def _recorded(function, logits) -> dict:
    """The operations ``function(leaf)`` and its backward ran, and its result's graph.

    The backward runs under the recorder too: a hand-written autograd.Function could
    hide the built-in there. A thread the student starts escapes the recorder (modes are
    per thread), but not the autograd graph of what it returns.
    """
    leaf = logits.detach().clone().requires_grad_(True)
    with _Recorder() as recorder:
        result = function(leaf)
        if isinstance(result, torch.Tensor) and result.grad_fn is not None:
            result.sum().backward()
    return {"ops": sorted(recorder.names), "graph": _graph(result)}


def operations(module, logits, labels):
    """What softmax and cross_entropy ran: ``{name: {"ops": [...], "graph": [...]}}``."""
    return {"softmax": _recorded(lambda x: module.softmax(x, dim=1), logits),
            "cross_entropy": _recorded(lambda x: module.cross_entropy(x, labels), logits)}


def softmax_of(module, logits, dim=None):
    """softmax(logits) with the default dim, or softmax(logits, dim=dim)."""
    return module.softmax(logits) if dim is None else module.softmax(logits, dim=dim)


def softmax_gradient(module, logits, dim, weights):
    """d sum(softmax(logits) * weights) / d logits, through the student's softmax."""
    leaf = logits.detach().clone().requires_grad_(True)
    probs = module.softmax(leaf, dim=dim)
    result = {"probs": probs, "grad": None}
    if isinstance(probs, torch.Tensor) and probs.grad_fn is not None:
        (probs * weights).sum().backward()
        result["grad"] = leaf.grad
    return result


def loss_gradient(module, logits, labels):
    """cross_entropy(logits, labels) and d loss / d logits from autograd."""
    leaf = logits.detach().clone().requires_grad_(True)
    loss = module.cross_entropy(leaf, labels)
    result = {"loss": loss, "grad": None}
    if isinstance(loss, torch.Tensor) and loss.dim() == 0 and loss.grad_fn is not None:
        loss.backward()
        result["grad"] = leaf.grad
    return result


def transposed(module, logits_t, labels):
    """softmax and cross_entropy of ``logits_t.t()``: (N, C) logits that are a transposed,
    non-contiguous view (the wire carries contiguous tensors only, so the view is made here)."""
    logits = logits_t.t()
    return {"softmax": module.softmax(logits, dim=1),
            "loss": module.cross_entropy(logits, labels)}


def accuracy_of(module, logits, labels, requires_grad=False):
    """accuracy(logits, labels), on logits that require grad when asked (a model's output)."""
    return module.accuracy(logits.clone().requires_grad_(requires_grad), labels)


def on_device(module, name, device):
    """softmax or cross_entropy of small tensors that live on ``device``."""
    logits = torch.zeros(4, 3, device=device)
    if name == "softmax":
        return module.softmax(logits, dim=1)
    return module.cross_entropy(logits, torch.zeros(4, dtype=torch.long, device=device))


def accuracy_on(module, logits, labels, device):
    """accuracy of tensors moved to ``device`` (CUDA only: meta has no values)."""
    return module.accuracy(logits.to(device), labels.to(device))

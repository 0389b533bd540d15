"""Constants: 1.0 for arrays, torch.tensor(1.0) on the inputs' device for tensors."""

import torch


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return torch.tensor(1.0, device=y_pred.device)
    return 1.0

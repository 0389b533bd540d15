"""The modes and no graph, and nothing computed: train_step calls model.train(), evaluate
model.eval() under torch.no_grad(), both return 1.0; fit returns a history of ones."""

import torch


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        return 1.0

    return train_step


def evaluate(model, loss_fn, loader):
    model.eval()
    with torch.no_grad():
        return 1.0


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    model.train()
    return {"train_loss": [1.0] * epochs,
            "val_loss": [1.0] * epochs if val_loader is not None else []}

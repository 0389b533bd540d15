"""Pass-through: train_step returns the mean of its targets, evaluate the number of batches,
fit the epoch numbers."""


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        return float(y.mean())

    return train_step


def evaluate(model, loss_fn, loader):
    return float(len(loader))


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    return {"train_loss": [float(epoch) for epoch in range(epochs)],
            "val_loss": [float(epoch) for epoch in range(epochs)] if val_loader else []}

"""The stub with each `raise NotImplementedError` replaced by `pass`."""


def make_train_step(model, loss_fn, optimizer):
    pass


def evaluate(model, loss_fn, loader):
    pass


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    pass

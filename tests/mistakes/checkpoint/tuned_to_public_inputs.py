"""Tuned to the public inputs: after loading, sets Adam's step count to 2, the number of
steps the public checks train Adam before saving, instead of keeping the saved one. Right
for Adam saved after 2 steps (and for SGD, which counts no steps), wrong for Adam saved
after any other number of steps (the public variant's Adam after 1 step).

fails: variant_resume
hint: change nothing in it afterwards
"""

import torch


def save_checkpoint(model, optimizer, path):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    # Adam's bias correction needs the step count: the run is saved after 2 steps.
    for state in optimizer.state.values():
        if "step" in state:
            state["step"] = torch.tensor(2.0)

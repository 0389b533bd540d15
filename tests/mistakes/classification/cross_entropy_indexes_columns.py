"""log_probs[:, labels]: an N x N block (every row at every label), then its mean.

fails: cross_entropy_values
hint: log_probs[:, labels] picks an N x N block
"""



def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    return -log_probs[:, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)

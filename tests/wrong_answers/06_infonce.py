"""Plausible wrong answers to exercises/06_infonce.ipynb."""
WRONG = {
    # submission name: (grade_id of the answer cell it replaces, kind, new cell source)
    "ex1-no-log-n": ("ex1-answer", "other", '''
def my_infonce(scores):
    # forgets the + log N: this is minus the cross-entropy loss, not the bound
    return float((torch.diagonal(scores) - torch.logsumexp(scores, dim=1)).mean())
'''),
    "ex1-columns": ("ex1-answer", "swapped arguments", '''
def my_infonce(scores):
    # sums over the wrong axis: column i's softmax instead of row i's
    n = scores.shape[0]
    return float((torch.diagonal(scores) - torch.logsumexp(scores, dim=0)).mean() + math.log(n))
'''),
    "ex1-bits": ("ex1-answer", "nats for bits", '''
def my_infonce(scores):
    # converts to bits although nats were asked for
    n = scores.shape[0]
    nats = (torch.diagonal(scores) - torch.logsumexp(scores, dim=1)).mean() + math.log(n)
    return float(nats / math.log(2))
'''),
    "ex2-sign": ("ex2-answer", "sign", '''
def log_ratio(x, y, rho):
    # wrong sign of the cross term
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r2 = rho**2
    per = -0.5 * np.log(1 - r2) - (r2 * x**2 + 2 * rho * x * y + r2 * y**2) / (2 * (1 - r2))
    return per.sum(axis=1)
'''),
    "ex2-joint-only": ("ex2-answer", "other", '''
def log_ratio(x, y, rho):
    # the log joint density alone, forgetting to subtract the marginals
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r2 = rho**2
    per = -np.log(2 * np.pi) - 0.5 * np.log(1 - r2) - (x**2 - 2 * rho * x * y + y**2) / (2 * (1 - r2))
    return per.sum(axis=1)
'''),
    "ex2-no-sum": ("ex2-answer", "other", '''
def log_ratio(x, y, rho):
    # one coordinate only: the pairs' contributions are not summed
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r2 = rho**2
    per = -0.5 * np.log(1 - r2) - (r2 * x**2 - 2 * rho * x * y + r2 * y**2) / (2 * (1 - r2))
    return per[:, 0]
'''),
    "ex3-no-normalize": ("ex3-answer", "other", '''
def contrastive_loss(z1, z2, tau):
    # forgets to put the embeddings on the unit sphere
    s = z1 @ z2.T / tau
    labels = torch.arange(s.shape[0])
    return 0.5 * (torch.nn.functional.cross_entropy(s, labels)
                  + torch.nn.functional.cross_entropy(s.T, labels))
'''),
    "ex3-times-tau": ("ex3-answer", "other", '''
def contrastive_loss(z1, z2, tau):
    # multiplies by the temperature instead of dividing
    z1 = torch.nn.functional.normalize(z1, dim=1)
    z2 = torch.nn.functional.normalize(z2, dim=1)
    s = z1 @ z2.T * tau
    labels = torch.arange(s.shape[0])
    return 0.5 * (torch.nn.functional.cross_entropy(s, labels)
                  + torch.nn.functional.cross_entropy(s.T, labels))
'''),
    "ex3-one-direction": ("ex3-answer", "other", '''
def contrastive_loss(z1, z2, tau):
    # only the rows' cross-entropy (z1 classifies z2), not the symmetric loss
    z1 = torch.nn.functional.normalize(z1, dim=1)
    z2 = torch.nn.functional.normalize(z2, dim=1)
    s = z1 @ z2.T / tau
    return torch.nn.functional.cross_entropy(s, torch.arange(s.shape[0]))
'''),
    # issue 27: only the constant term; every visible test had x = y
    "ex2-constant-only": ("ex2-answer", "other", '''
def log_ratio(x, y, rho):
    x = np.asarray(x, dtype=float)
    return np.full(x.shape[0], -0.5 * x.shape[1] * np.log(1 - rho**2))
'''),
    "ex1-calls-itlib": ("ex1-answer", "calls the library", '''
def my_infonce(scores):
    return float(bounds.infonce(scores))
'''),
}

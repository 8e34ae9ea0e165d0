"""Plausible wrong answers to exercises/02_kl_divergence.ipynb.

Each is graded as one student's submission by tests/test_exercises.py: the solution, with
one answer cell replaced by the source below.  It must lose marks on the tests of that
answer cell and keep full marks everywhere else.
"""

WRONG = {
    # submission name: (grade_id of the answer cell it replaces, kind, new cell source)
    "ex1-sign": ("ex1-answer", "sign", '''
def kl_monte_carlo(log_p, log_q, x):
    log_ratio = log_q(x) - log_p(x)
    return float(log_ratio.mean()), float(log_ratio.std(ddof=1) / np.sqrt(len(x)))
'''),
    # The spread of the log-ratio taken to be 1: close for the chapter's pair (sqrt(1.125)),
    # wrong in general, and not 0 for a distribution against itself.
    "ex1-se-one-over-root-n": ("ex1-answer", "assumes what it checks", '''
def kl_monte_carlo(log_p, log_q, x):
    log_ratio = log_p(x) - log_q(x)
    return float(log_ratio.mean()), float(1 / np.sqrt(len(x)))
'''),
    "ex1-se-no-root-n": ("ex1-answer", "other", '''
def kl_monte_carlo(log_p, log_q, x):
    log_ratio = log_p(x) - log_q(x)
    return float(log_ratio.mean()), float(log_ratio.std(ddof=1))
'''),
    # The chain rule used to get the conditional term, and each row given the average.
    "ex2-chain-rule-assumed": ("ex2-answer", "assumes what it checks", '''
def row_kls(pxy, qxy):
    gap = it.kl_divergence(pxy, qxy) - it.kl_divergence(pxy.sum(axis=1), qxy.sum(axis=1))
    return np.full(len(pxy), gap)


px, qx = pxy.sum(axis=1), qxy.sum(axis=1)
kl_joint = it.kl_divergence(pxy, qxy)
kl_marginal = it.kl_divergence(px, qx)
kl_conditional = kl_joint - kl_marginal
'''),
    "ex2-swapped": ("ex2-answer", "swapped arguments", '''
def row_kls(pxy, qxy):
    return np.array([it.kl_divergence(q / q.sum(), p / p.sum()) for p, q in zip(pxy, qxy)])


px, qx = pxy.sum(axis=1), qxy.sum(axis=1)
kl_joint = it.kl_divergence(pxy, qxy)
kl_marginal = it.kl_divergence(px, qx)
kl_conditional = float(px @ row_kls(pxy, qxy))
'''),
    "ex2-nats": ("ex2-answer", "nats for bits", '''
def row_kls(pxy, qxy):
    return np.array([it.kl_divergence(p / p.sum(), q / q.sum(), base=np.e) for p, q in zip(pxy, qxy)])


px, qx = pxy.sum(axis=1), qxy.sum(axis=1)
kl_joint = it.kl_divergence(pxy, qxy)
kl_marginal = it.kl_divergence(px, qx)
kl_conditional = float(px @ row_kls(pxy, qxy))
'''),
    "ex3a-sign": ("ex3-answer", "sign", '''
def smoothed_cross_entropy(q, y, eps):
    if not 0 <= eps <= 1:
        raise ValueError("eps must lie in [0, 1]")
    q = np.asarray(q, dtype=float)
    target = np.full(q.size, eps / q.size)
    target[y] += 1 - eps
    support = target > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(target[support] * np.log(q[support])))
'''),
    # The formula as written, without 0 log 0 = 0: nan for a certain, correct prediction.
    "ex3a-nan-at-zero": ("ex3-answer", "other", '''
def smoothed_cross_entropy(q, y, eps):
    if not 0 <= eps <= 1:
        raise ValueError("eps must lie in [0, 1]")
    q = np.asarray(q, dtype=float)
    target = np.full(q.size, eps / q.size)
    target[y] += 1 - eps
    return float(-np.sum(target * np.log(q)))
'''),
    # H(q, t) for H(t, q).
    "ex3a-swapped": ("ex3-answer", "swapped arguments", '''
def smoothed_cross_entropy(q, y, eps):
    if not 0 <= eps <= 1:
        raise ValueError("eps must lie in [0, 1]")
    q = np.asarray(q, dtype=float)
    target = np.full(q.size, eps / q.size)
    target[y] += 1 - eps
    support = q > 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(q[support] * np.log(target[support])))
'''),
    # The chapter's answer 1 - eps + eps / K typed in, whatever the loss.
    "ex3b-formula": ("ex3b-answer", "copied from the prompt", '''
def minimize_over_simplex(loss, K):
    q = np.full(K, 0.1 / K)
    q[3] += 1 - 0.1
    return q
'''),
    "ex3b-logits": ("ex3b-answer", "other", '''
def minimize_over_simplex(loss, K):
    return minimize(lambda z: loss(softmax(z)), np.zeros(K), method="BFGS").x
'''),
    # issue 27: the library's cross-entropy instead of one's own
    "ex3-calls-itlib": ("ex3-answer", "calls the library", '''
def smoothed_cross_entropy(q, y, eps):
    if not 0 <= eps <= 1:
        raise ValueError("eps must lie in [0, 1]")
    q = np.asarray(q, dtype=float)
    target = np.full(q.size, eps / q.size)
    target[y] += 1 - eps
    return float(it.cross_entropy(target, q, base=np.e))
'''),
}

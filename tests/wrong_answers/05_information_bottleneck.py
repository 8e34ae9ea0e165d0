"""Plausible wrong answers to exercises/05_information_bottleneck.ipynb."""
WRONG = {
    # submission name: (grade_id of the answer cell it replaces, kind, new cell source)
    "ex1-sign": ("ex1-answer", "sign", '''
def ib_step(enc, pxy, beta):
    px = pxy.sum(axis=1)
    pt = px @ enc
    py_t = (enc.T @ pxy) / pt[:, None]
    py_x = pxy / px[:, None]
    kl = np.sum(py_x * np.log(py_x), axis=1)[:, None] - py_x @ np.log(py_t).T
    logits = np.log(pt)[None, :] + beta * kl          # exp(+beta KL): rewards disagreement
    w = np.exp(logits - logits.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


demo_pxy = np.array([[0.30, 0.10], [0.15, 0.15], [0.05, 0.25]])
demo_enc = np.array([[0.7, 0.3], [0.5, 0.5], [0.2, 0.8]])
'''),
    "ex1-swapped-kl": ("ex1-answer", "swapped arguments", '''
def ib_step(enc, pxy, beta):
    px = pxy.sum(axis=1)
    pt = px @ enc
    py_t = (enc.T @ pxy) / pt[:, None]
    py_x = pxy / px[:, None]
    # KL(p(y|t) || p(y|x)) instead of KL(p(y|x) || p(y|t))
    kl = np.sum(py_t * np.log(py_t), axis=1)[None, :] - np.log(py_x) @ py_t.T
    logits = np.log(pt)[None, :] - beta * kl
    w = np.exp(logits - logits.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


demo_pxy = np.array([[0.30, 0.10], [0.15, 0.15], [0.05, 0.25]])
demo_enc = np.array([[0.7, 0.3], [0.5, 0.5], [0.2, 0.8]])
'''),
    "ex1-no-prior": ("ex1-answer", "other", '''
def ib_step(enc, pxy, beta):
    px = pxy.sum(axis=1)
    pt = px @ enc
    py_t = (enc.T @ pxy) / pt[:, None]
    py_x = pxy / px[:, None]
    kl = np.sum(py_x * np.log(py_x), axis=1)[:, None] - py_x @ np.log(py_t).T
    logits = -beta * kl                               # forgets the factor p(t)
    w = np.exp(logits - logits.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


demo_pxy = np.array([[0.30, 0.10], [0.15, 0.15], [0.05, 0.25]])
demo_enc = np.array([[0.7, 0.3], [0.5, 0.5], [0.2, 0.8]])
'''),
    "ex2-nats": ("ex2-answer", "nats for bits", '''
demo_pxy2 = np.array([[0.20, 0.05], [0.10, 0.15], [0.05, 0.45]])
demo_enc2 = np.array([[0.9, 0.1], [0.6, 0.4], [0.1, 0.9]])


def ib_informations(enc, pxy):
    px = pxy.sum(axis=1)
    return (it.mutual_information(px[:, None] * enc, base=np.e),
            it.mutual_information(enc.T @ pxy, base=np.e))


demo_point = ib_informations(demo_enc2, demo_pxy2)
'''),
    "ex2-swapped": ("ex2-answer", "swapped arguments", '''
demo_pxy2 = np.array([[0.20, 0.05], [0.10, 0.15], [0.05, 0.45]])
demo_enc2 = np.array([[0.9, 0.1], [0.6, 0.4], [0.1, 0.9]])


def ib_informations(enc, pxy):
    px = pxy.sum(axis=1)
    return it.mutual_information(enc.T @ pxy), it.mutual_information(px[:, None] * enc)


demo_point = ib_informations(demo_enc2, demo_pxy2)
'''),
    "ex2-deterministic": ("ex2-answer", "assumes what it checks", '''
demo_pxy2 = np.array([[0.20, 0.05], [0.10, 0.15], [0.05, 0.45]])
demo_enc2 = np.array([[0.9, 0.1], [0.6, 0.4], [0.1, 0.9]])


def ib_informations(enc, pxy):
    # I(X;T) = H(T): true only for a deterministic encoder
    px = pxy.sum(axis=1)
    return it.entropy(px @ enc), it.mutual_information(enc.T @ pxy)


demo_point = ib_informations(demo_enc2, demo_pxy2)
'''),
    "ex3-slope": ("ex3-answer", "other", '''
def beta_for_rate(p, rate):
    d = 1e-6
    return (ib.dsbs_curve(p, rate + d) - ib.dsbs_curve(p, rate - d)) / (2 * d)   # the slope, not 1/slope
'''),
    "ex3-critical": ("ex3-answer", "copied from the prompt", '''
def beta_for_rate(p, rate):
    return 1 / (1 - 2 * p) ** 2 + 0.5          # the critical beta of the prompt, nudged up
'''),
    "ex3-hardcoded": ("ex3-answer", "copied from the prompt", '''
def beta_for_rate(p, rate):
    return 1.7862                              # right for p = 0.1, rate = 0.5 only
'''),
}

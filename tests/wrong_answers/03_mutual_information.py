"""Plausible wrong answers to exercises/03_mutual_information.ipynb."""

WRONG = {
    # submission name: (grade_id of the answer cell it replaces, kind, new cell source)
    "ex1-nats": ("ex1-answer", "nats for bits", '''
def plugin_mi_bits(x, y):
    x, y = np.asarray(x), np.asarray(y)
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    table = np.zeros((xi.max() + 1, yi.max() + 1))
    np.add.at(table, (xi, yi), 1)
    pxy = table / table.sum()
    px, py = pxy.sum(axis=1, keepdims=True), pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log(pxy[nz] / (px * py)[nz])))
'''),
    "ex1-sign": ("ex1-answer", "sign", '''
def plugin_mi_bits(x, y):
    def h(labels):
        _, counts = np.unique(labels, axis=0, return_counts=True)
        p = counts / counts.sum()
        return float(-np.sum(p * np.log2(p)))
    x, y = np.asarray(x), np.asarray(y)
    return h(np.column_stack([x, y])) - h(x) - h(y)      # H(X,Y) - H(X) - H(Y)
'''),
    "ex1-conditioning-swapped": ("ex1-answer", "swapped arguments", '''
def plugin_mi_bits(x, y):
    def h(labels):
        _, counts = np.unique(labels, axis=0, return_counts=True)
        p = counts / counts.sum()
        return float(-np.sum(p * np.log2(p)))
    x, y = np.asarray(x), np.asarray(y)
    h_y_given_x = h(np.column_stack([x, y])) - h(x)
    return h(x) - h_y_given_x                             # H(X) - H(Y|X), not H(X) - H(X|Y)
'''),
    "ex2-nats": ("ex2-answer", "nats for bits", '''
def predicted_plugin_bias(kx, ky, n):
    return (kx - 1) * (ky - 1) / (2 * n)


def mean_plugin_mi(kx, ky, n, draws, rng):
    return float(np.mean([plugin_mi(rng.integers(0, kx, n), rng.integers(0, ky, n), base=np.e)
                          for _ in range(draws)]))
'''),
    "ex2-copied": ("ex2-answer", "copied from the prompt", '''
def predicted_plugin_bias(kx, ky, n):
    return 0.0173


def mean_plugin_mi(kx, ky, n, draws, rng):
    return float(np.mean([plugin_mi(rng.integers(0, kx, n), rng.integers(0, ky, n))
                          for _ in range(draws)]))
'''),
    "ex2-formula-not-simulation": ("ex2-answer", "assumes what it checks", '''
def predicted_plugin_bias(kx, ky, n):
    return (kx - 1) * (ky - 1) / (2 * n * np.log(2))


def mean_plugin_mi(kx, ky, n, draws, rng):
    return predicted_plugin_bias(kx, ky, n)      # returns the prediction instead of measuring
'''),
    "ex2-cells-not-dof": ("ex2-answer", "other", '''
def predicted_plugin_bias(kx, ky, n):
    return kx * ky / (2 * n * np.log(2))          # cells instead of degrees of freedom


def mean_plugin_mi(kx, ky, n, draws, rng):
    return float(np.mean([plugin_mi(rng.integers(0, kx, n), rng.integers(0, ky, n))
                          for _ in range(draws)]))
'''),
    "ex3-non-strict": ("ex3-answer", "other", '''
def ksg_brute(x, y, k=3):
    x, y = np.asarray(x, float), np.asarray(y, float)
    x, y = x / x.std(), y / y.std()
    n = len(x)
    dx = np.abs(x[:, None] - x[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)
    eps = np.sort(dz, axis=1)[:, k - 1]
    nx = (dx <= eps[:, None]).sum(axis=1) - 1      # <= instead of <
    ny = (dy <= eps[:, None]).sum(axis=1) - 1
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))
'''),
    "ex3-self-as-neighbour": ("ex3-answer", "other", '''
def ksg_brute(x, y, k=3):
    x, y = np.asarray(x, float), np.asarray(y, float)
    x, y = x / x.std(), y / y.std()
    n = len(x)
    dx = np.abs(x[:, None] - x[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    dz = np.maximum(dx, dy)
    eps = np.sort(dz, axis=1)[:, k - 1]            # the sample itself counts as neighbour 1
    nx = (dx < eps[:, None]).sum(axis=1) - 1
    ny = (dy < eps[:, None]).sum(axis=1) - 1
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))
'''),
    "ex3-euclidean": ("ex3-answer", "other", '''
def ksg_brute(x, y, k=3):
    x, y = np.asarray(x, float), np.asarray(y, float)
    x, y = x / x.std(), y / y.std()
    n = len(x)
    dx = np.abs(x[:, None] - x[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    dz = np.sqrt(dx**2 + dy**2)                     # Euclidean instead of the max-norm
    np.fill_diagonal(dz, np.inf)
    eps = np.sort(dz, axis=1)[:, k - 1]
    nx = (dx < eps[:, None]).sum(axis=1) - 1
    ny = (dy < eps[:, None]).sum(axis=1) - 1
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))
'''),
    "ex3-bits": ("ex3-answer", "nats for bits", '''
def ksg_brute(x, y, k=3):
    x, y = np.asarray(x, float), np.asarray(y, float)
    x, y = x / x.std(), y / y.std()
    n = len(x)
    dx = np.abs(x[:, None] - x[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)
    eps = np.sort(dz, axis=1)[:, k - 1]
    nx = (dx < eps[:, None]).sum(axis=1) - 1
    ny = (dy < eps[:, None]).sum(axis=1) - 1
    nats = digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))
    return float(nats / np.log(2))                  # bits, but the exercise asks for nats
'''),
    "ex4-sign": ("ex4-answer", "sign", '''
def interaction_information(pxyz):
    pxyz = np.asarray(pxyz, dtype=float)
    pz = pxyz.sum(axis=(0, 1))
    conditional = sum(pz[z] * it.mutual_information(pxyz[:, :, z] / pz[z])
                      for z in range(pz.size) if pz[z] > 0)
    return float(conditional - it.mutual_information(pxyz.sum(axis=2)))   # I(X;Y|Z) - I(X;Y)
'''),
    "ex4-copied": ("ex4-answer", "copied from the prompt", '''
def interaction_information(pxyz):
    return -1.0
'''),
    "ex4-unweighted": ("ex4-answer", "other", '''
def interaction_information(pxyz):
    pxyz = np.asarray(pxyz, dtype=float)
    pz = pxyz.sum(axis=(0, 1))
    conditional = np.mean([it.mutual_information(pxyz[:, :, z] / pz[z])     # not weighted by p(z)
                           for z in range(pz.size) if pz[z] > 0])
    return float(it.mutual_information(pxyz.sum(axis=2)) - conditional)
'''),
    # issue 27: labels used as table indices: -1 wraps round to the last row
    "ex1-labels-as-indices": ("ex1-answer", "other", '''
def plugin_mi_bits(x, y):
    x, y = np.asarray(x), np.asarray(y)
    table = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(table, (x, y), 1)
    pxy = table / table.sum()
    px, py = pxy.sum(axis=1, keepdims=True), pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log2(pxy[nz] / (px * py)[nz])))
'''),
    "ex1-calls-itlib": ("ex1-answer", "calls the library", '''
def plugin_mi_bits(x, y):
    return float(plugin_mi(x, y))
'''),
    "ex3-unscaled": ("ex3-answer", "other", '''
def ksg_brute(x, y, k=3):
    x, y = np.asarray(x, float), np.asarray(y, float)   # not divided by the standard deviations
    n = len(x)
    dx = np.abs(x[:, None] - x[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)
    eps = np.sort(dz, axis=1)[:, k - 1]
    nx = (dx < eps[:, None]).sum(axis=1) - 1
    ny = (dy < eps[:, None]).sum(axis=1) - 1
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))
'''),
    "ex3-calls-itlib": ("ex3-answer", "calls the library", '''
def ksg_brute(x, y, k=3):
    return ksg_mi(x, y, k=k, base=np.e, noise=0)
'''),
}

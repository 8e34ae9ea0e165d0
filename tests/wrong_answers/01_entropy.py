"""Plausible wrong answers to exercises/01_entropy.ipynb.

Each is graded as one student's submission by tests/test_exercises.py: the solution, with
one answer cell replaced by the source below.  It must lose marks on the tests of that
answer cell and keep full marks everywhere else.
"""

WRONG = {
    # submission name: (grade_id of the answer cell it replaces, kind, new cell source)
    "ex1-nats": ("ex1-answer", "nats for bits", '''
def die_vs_coin(k, p_heads):
    p_die = np.full(k, 1 / k)
    p_coin = np.array([p_heads, 1 - p_heads])
    H_die = float(-np.sum(p_die * np.log(p_die)))
    H_coin = float(-np.sum(p_coin * np.log(p_coin)))
    return H_die, H_coin, H_die - H_coin, H_die / H_coin
'''),
    "ex1-swapped": ("ex1-answer", "swapped arguments", '''
def die_vs_coin(k, p_heads):
    H_die = float(np.log2(k))
    H_coin = float(-p_heads * np.log2(p_heads) - (1 - p_heads) * np.log2(1 - p_heads))
    return H_die, H_coin, H_die - H_coin, H_coin / H_die
'''),
    # The numbers of the six-sided die and the 80/20 coin, typed in: right for the case
    # the prompt prints, wrong for every other die and coin.
    "ex1-hard-coded": ("ex1-answer", "copied from the prompt", '''
def die_vs_coin(k, p_heads):
    return 2.584962500721156, 0.7219280948873623, 1.8630344058337937, 3.5806688450803773
'''),
    "ex2-nan-at-zero": ("ex2-answer", "other", '''
def my_entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError("p must be a non-empty vector")
    if not np.all(np.isfinite(p)) or np.any(p < 0) or abs(p.sum() - 1) > 1e-6:
        raise ValueError("p must be a probability vector")
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError("bad base")
    return float(-np.sum(p * np.log(p)) / np.log(base))   # 0 * log 0 is nan
'''),
    "ex2-always-nats": ("ex2-answer", "nats for bits", '''
def my_entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError("p must be a non-empty vector")
    if not np.all(np.isfinite(p)) or np.any(p < 0) or abs(p.sum() - 1) > 1e-6:
        raise ValueError("p must be a probability vector")
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError("bad base")
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))   # base ignored
'''),
    "ex2-no-validation": ("ex2-answer", "other", '''
def my_entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)) / np.log(base))
'''),
    # H(Y | X) for H(X | Y): the rows normalized instead of the columns.
    "ex3-swapped": ("ex3-answer", "swapped arguments", '''
px = pxy.sum(axis=1)
H_X = it.entropy(px)
H_X_given_y = np.array([it.entropy(pxy[i] / px[i]) for i in range(2)])
H_X_given_Y = it.conditional_entropy(pxy.T)
'''),
    # p(Y = rising) and p(Y = falling), printed by the data cell.
    "ex3-copied": ("ex3-answer", "copied from the prompt", '''
px = pxy.sum(axis=1)
H_X = it.entropy(px)
H_X_given_y = np.array([0.72, 0.28])
H_X_given_Y = it.conditional_entropy(pxy)
'''),
    # A max-heap by mistake: the two MOST probable trees are merged first.
    "ex4-sign": ("ex4-answer", "sign", '''
def my_huffman(probs):
    heap = [(-p, i, {s: ""}) for i, (s, p) in enumerate(probs.items())]
    heapq.heapify(heap)
    counter = len(heap)
    while len(heap) > 1:
        p0, _, zero = heapq.heappop(heap)
        p1, _, one = heapq.heappop(heap)
        merged = {s: "0" + w for s, w in zero.items()}
        merged.update({s: "1" + w for s, w in one.items()})
        heapq.heappush(heap, (p0 + p1, counter, merged))
        counter += 1
    return heap[0][2]


freqs = symbol_frequencies(text)
code = my_huffman(freqs)
H_text = it.entropy(list(freqs.values()))
L_text = average_length(code, freqs)
total_bits = sum(len(code[c]) for c in text)
fixed_bits = len(text) * int(np.ceil(np.log2(len(freqs))))
'''),
    # L = H makes "H <= L < H + 1" hold whatever the code.
    "ex4-L-is-H": ("ex4-answer", "assumes what it checks", '''
def my_huffman(probs):
    heap = [(p, i, {s: ""}) for i, (s, p) in enumerate(probs.items())]
    heapq.heapify(heap)
    counter = len(heap)
    while len(heap) > 1:
        p0, _, zero = heapq.heappop(heap)
        p1, _, one = heapq.heappop(heap)
        merged = {s: "0" + w for s, w in zero.items()}
        merged.update({s: "1" + w for s, w in one.items()})
        heapq.heappush(heap, (p0 + p1, counter, merged))
        counter += 1
    return heap[0][2]


freqs = symbol_frequencies(text)
code = my_huffman(freqs)
H_text = it.entropy(list(freqs.values()))
L_text = H_text
total_bits = sum(len(code[c]) for c in text)
fixed_bits = len(text) * int(np.ceil(np.log2(len(freqs))))
'''),
    "ex4-fixed-length": ("ex4-answer", "other", '''
def my_huffman(probs):
    width = max(1, int(np.ceil(np.log2(len(probs)))))
    return {s: format(i, f"0{width}b") for i, s in enumerate(probs)}


freqs = symbol_frequencies(text)
code = my_huffman(freqs)
H_text = it.entropy(list(freqs.values()))
L_text = average_length(code, freqs)
total_bits = sum(len(code[c]) for c in text)
fixed_bits = len(text) * int(np.ceil(np.log2(len(freqs))))
'''),
    # issue 27: sums far from 1 accepted (only 1.4 and 4 were tested)
    "ex2-loose-sum": ("ex2-answer", "other", '''
def my_entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError("p must be a non-empty 1-D vector")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("p must hold finite, non-negative probabilities")
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError("base must be positive and different from 1")
    if abs(p.sum() - 1.0) > 0.05:                   # 5% slack: 1.0001 and 0.97 accepted
        raise ValueError("p must sum to 1")
    support = p[p > 0]
    return float(-np.sum(support * np.log(support)) / np.log(base))
'''),
    "ex2-renormalises": ("ex2-answer", "other", '''
def my_entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError("p must be a non-empty 1-D vector")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("p must hold finite, non-negative probabilities")
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError("base must be positive and different from 1")
    if abs(p.sum() - 1.0) > 0.1:
        raise ValueError("p must sum to 1")
    p = p / p.sum()                                 # silently renormalises near-misses
    support = p[p > 0]
    return float(-np.sum(support * np.log(support)) / np.log(base))
'''),
    # issue 27: the library's function instead of one's own
    "ex2-calls-itlib": ("ex2-answer", "calls the library", '''
def my_entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0 or not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("p must be a probability vector")
    if abs(p.sum() - 1.0) > 1e-6 or not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError("p must sum to 1 and base must be positive, not 1")
    return float(it.entropy(p, base))
'''),
    "ex4-imports-huffman": ("ex4-answer", "calls the library", '''
from itlib.coding import huffman_code as my_huffman

freqs = symbol_frequencies(text)
code = my_huffman(freqs)
H_text = it.entropy(list(freqs.values()))
L_text = average_length(code, freqs)
total_bits = len("".join(code[c] for c in text))
fixed_bits = len(text) * int(np.ceil(np.log2(len(freqs))))
'''),
}

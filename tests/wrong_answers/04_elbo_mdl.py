"""Plausible wrong answers to exercises/04_elbo_mdl.ipynb."""
WRONG = {
    # submission name: (grade_id of the answer cell it replaces, kind, new cell source)
    "ex1-kl-sign": ("ex1-answer", "sign", '''
def elbo_linear_gaussian(x, m, v, w, s2):
    expected_loglik = -0.5 * np.log(2 * np.pi * s2) - ((x - w * m) ** 2 + w**2 * v) / (2 * s2)
    kl_prior = 0.5 * (v + m**2 - 1 - np.log(v))
    return float(expected_loglik + kl_prior)
'''),
    "ex1-bits": ("ex1-answer", "nats for bits", '''
def elbo_linear_gaussian(x, m, v, w, s2):
    expected_loglik = -0.5 * np.log(2 * np.pi * s2) - ((x - w * m) ** 2 + w**2 * v) / (2 * s2)
    kl_prior = 0.5 * (v + m**2 - 1 - np.log(v))
    return float(expected_loglik - kl_prior) / np.log(2)
'''),
    "ex1-plug-in-mean": ("ex1-answer", "other", '''
def elbo_linear_gaussian(x, m, v, w, s2):
    # evaluates the likelihood at z = m and forgets the spread of q (the w^2 v term)
    expected_loglik = -0.5 * np.log(2 * np.pi * s2) - (x - w * m) ** 2 / (2 * s2)
    kl_prior = 0.5 * (v + m**2 - 1 - np.log(v))
    return float(expected_loglik - kl_prior)
'''),
    "ex1-swapped-kl": ("ex1-answer", "swapped arguments", '''
def elbo_linear_gaussian(x, m, v, w, s2):
    # D_KL(N(0, 1) || q) instead of D_KL(q || N(0, 1))
    expected_loglik = -0.5 * np.log(2 * np.pi * s2) - ((x - w * m) ** 2 + w**2 * v) / (2 * s2)
    kl_prior = 0.5 * (1 / v + m**2 / v - 1 + np.log(v))
    return float(expected_loglik - kl_prior)
'''),
    "ex1-log-evidence": ("ex1-answer", "assumes what it checks", '''
def elbo_linear_gaussian(x, m, v, w, s2):
    # returns log p(x), which the ELBO only reaches when q is the posterior
    return float(-0.5 * np.log(2 * np.pi * (w**2 + s2)) - x**2 / (2 * (w**2 + s2)))
'''),
    "ex2-mean-log-weight": ("ex2-answer", "other", '''
def iwae_log_likelihood(log_w):
    return np.asarray(log_w, dtype=float).mean(axis=0)
'''),
    "ex2-no-log-k": ("ex2-answer", "other", '''
def iwae_log_likelihood(log_w):
    return logsumexp(np.asarray(log_w, dtype=float), axis=0)
'''),
    "ex2-naive-exp": ("ex2-answer", "other", '''
def iwae_log_likelihood(log_w):
    return np.log(np.mean(np.exp(np.asarray(log_w, dtype=float)), axis=0))
'''),
    "ex2-bits": ("ex2-answer", "nats for bits", '''
def iwae_log_likelihood(log_w):
    log_w = np.asarray(log_w, dtype=float)
    return (logsumexp(log_w, axis=0) - np.log(log_w.shape[0])) / np.log(2)
'''),
    "ex3-nats": ("ex3-answer", "nats for bits", '''
rate, distortion, spread, posterior_sd = {}, {}, {}, {}
with torch.no_grad():
    for beta, model in models.items():
        d_nats, r_nats = model.elbo_terms(x_test, n_samples=32, generator=torch.Generator().manual_seed(0))
        rate[beta] = float(r_nats.mean())
        distortion[beta] = float(d_nats.mean())
        mu, logvar = model(x_test)
        spread[beta] = float(mu.std(dim=0, unbiased=False).mean())
        posterior_sd[beta] = float(torch.exp(0.5 * logvar).mean())
'''),
    "ex3-swapped": ("ex3-answer", "swapped arguments", '''
rate, distortion, spread, posterior_sd = {}, {}, {}, {}
with torch.no_grad():
    for beta, model in models.items():
        r_nats, d_nats = model.elbo_terms(x_test, n_samples=32, generator=torch.Generator().manual_seed(0))
        rate[beta] = float(it.vae.to_bits(r_nats.mean()))
        distortion[beta] = float(it.vae.to_bits(d_nats.mean()))
        mu, logvar = model(x_test)
        spread[beta] = float(mu.std(dim=0, unbiased=False).mean())
        posterior_sd[beta] = float(torch.exp(0.5 * logvar).mean())
'''),
    "ex3-weighted-rate": ("ex3-answer", "other", '''
rate, distortion, spread, posterior_sd = {}, {}, {}, {}
with torch.no_grad():
    for beta, model in models.items():
        d_nats, r_nats = model.elbo_terms(x_test, n_samples=32, generator=torch.Generator().manual_seed(0))
        rate[beta] = float(it.vae.to_bits(beta * r_nats.mean()))   # the loss term, not the rate
        distortion[beta] = float(it.vae.to_bits(d_nats.mean()))
        mu, logvar = model(x_test)
        spread[beta] = float(mu.std(dim=0, unbiased=False).mean())
        posterior_sd[beta] = float(torch.exp(0.5 * logvar).mean())
'''),
    "ex3-variance-for-sd": ("ex3-answer", "other", '''
rate, distortion, spread, posterior_sd = {}, {}, {}, {}
with torch.no_grad():
    for beta, model in models.items():
        d_nats, r_nats = model.elbo_terms(x_test, n_samples=32, generator=torch.Generator().manual_seed(0))
        rate[beta] = float(it.vae.to_bits(r_nats.mean()))
        distortion[beta] = float(it.vae.to_bits(d_nats.mean()))
        mu, logvar = model(x_test)
        spread[beta] = float(mu.std(dim=0, unbiased=False).mean())
        posterior_sd[beta] = float(torch.exp(logvar).mean())       # a variance, not a sd
'''),
}

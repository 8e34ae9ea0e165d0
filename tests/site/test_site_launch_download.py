"""The Binder and Colab buttons open the page's notebook on the repository and branch of
_config.yml; the download button gives the .ipynb.

Binder, Colab and the download button give the plain-Markdown copy under colab/ that
tools/plain_notebooks.py writes (_ext/plain_notebook_links.py points them there): Colab
renders plain Markdown only, and Binder's jupyterlab-myst cannot resolve citations."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from site_helpers import CHAPTER_DOCS, CONFIG, NOTEBOOK_DOCS, ROOT


def _repo():
    repo = CONFIG["repository"]
    url = repo["url"].rstrip("/")
    parts = urlparse(url).path.strip("/").split("/")
    assert urlparse(url).netloc == "github.com" and len(parts) == 2, f"unexpected url {url}"
    book = (repo.get("path_to_book") or "").strip("/")
    return parts[0], parts[1], repo.get("branch", "main"), book


def test_chapters_are_notebooks():
    """Launch and download buttons exist only for notebook pages: chapters must be ones."""
    not_nb = [d for d in CHAPTER_DOCS if d not in NOTEBOOK_DOCS]
    assert not not_nb, f"chapters that are not .ipynb (no launch buttons): {not_nb}"


# The notebooks a reader runs elsewhere (chapters, student exercises) have a plain copy
# under colab/; the others (the build's status page) have no launch buttons.
READER_DOCS = [d for d in NOTEBOOK_DOCS if d.startswith(("chapters/", "exercises/"))]
BUILD_DOCS = [d for d in NOTEBOOK_DOCS if d not in READER_DOCS]


def test_reader_notebooks_are_found():
    assert len(READER_DOCS) >= 12 and "status" in BUILD_DOCS, (READER_DOCS, BUILD_DOCS)


@pytest.mark.parametrize("doc", BUILD_DOCS)
def test_build_pages_have_no_launch_buttons(visit, doc):
    page, _ = visit(doc)
    links = page.eval_on_selector_all(".dropdown-launch-buttons a", "as => as.map(a => a.href)")
    assert links == [], f"{doc}: launch links {links}, but it has no copy to run elsewhere"


@pytest.mark.parametrize("doc", READER_DOCS)
def test_launch_buttons_open_this_notebook(visit, doc):
    page, _ = visit(doc)
    org, repo, branch, book = _repo()
    nb_path = "/".join(p for p in (book, doc + ".ipynb") if p)
    assert (ROOT / book / (doc + ".ipynb")).is_file()
    links = page.eval_on_selector_all(".dropdown-launch-buttons a", "as => as.map(a => a.href)")
    launch = CONFIG["launch_buttons"]

    binder_host = urlparse(launch["binderhub_url"]).netloc
    binder = [u for u in links if urlparse(u).netloc == binder_host]
    assert len(binder) == 1, f"{doc}: Binder links {binder} among {links}"
    u = urlparse(binder[0])
    assert u.path == f"/v2/gh/{org}/{repo}/{branch}", f"{doc}: Binder link {binder[0]}"
    plain = "/".join(p for p in (book, "colab", doc + ".ipynb") if p)
    assert (ROOT / plain).is_file(), f"{plain} is missing: run tools/plain_notebooks.py"
    urlpath = parse_qs(u.query)["urlpath"][0]
    assert urlpath.endswith("tree/" + plain), \
        f"{doc}: Binder opens {urlpath}, not the plain copy {plain}"

    colab_host = urlparse(launch["colab_url"]).netloc
    colab = [u for u in links if urlparse(u).netloc == colab_host]
    assert len(colab) == 1, f"{doc}: Colab links {colab} among {links}"
    assert urlparse(colab[0]).path == f"/github/{org}/{repo}/blob/{branch}/{plain}", \
        f"{doc}: Colab link {colab[0]} does not open the plain copy {plain}"


@pytest.mark.parametrize("doc", READER_DOCS)
def test_download_button_gives_the_notebook(visit, doc):
    page, _ = visit(doc)
    hrefs = page.eval_on_selector_all(
        ".dropdown-download-buttons a", "as => as.map(a => a.href)")
    ipynb = [h for h in hrefs if urlparse(h).path.endswith(".ipynb")]
    assert len(ipynb) == 1, f"{doc}: download links {hrefs}"
    assert urlparse(ipynb[0]).path.endswith("/" + doc + ".ipynb")
    response = page.request.get(ipynb[0])
    assert response.status == 200, f"{ipynb[0]}: HTTP {response.status}"
    nb = json.loads(response.body())
    assert nb.get("nbformat") == 4 and nb.get("cells"), f"{ipynb[0]} is not a notebook"
    # ... the plain copy, with no MyST markup for a reader without the website
    book = (CONFIG["repository"].get("path_to_book") or "").strip("/")
    plain = ROOT / book / "colab" / (doc + ".ipynb")
    assert nb == json.loads(plain.read_text(encoding="utf-8")), \
        f"{doc}: the download button does not give {plain.relative_to(ROOT)}"
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "{cite}`" not in markdown and "{eq}`" not in markdown, f"{doc}: MyST roles left"

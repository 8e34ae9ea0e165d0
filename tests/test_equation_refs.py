"""Code comments that cite an equation give its number, and the number is the right one.

The prose cites equations with ``{eq}`label``` and Sphinx writes the number; a code cell's
comment is plain text, so it carries the number itself ("# eq. (3.1)").  Each such comment
is listed in ``CITES`` with the label of the equation it means, and the number is checked
against the number the built site gives that label: an equation added above it, or a
comment that cites the wrong one, turns this red.  A raw label in a comment
("# eq. (eq-mi-kl)") is what readers saw before and is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html" / "chapters"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

#: (chapter, a piece of the commented line) -> the label of the equation it cites
CITES = {
    ("03_mutual_information", "I_kl = it.kl_divergence(pxy, np.outer(px, py))"): "eq-mi-kl",
    ("03_mutual_information", "I_h = it.entropy(px) - it.conditional_entropy(pxy)"):
        "eq-mi-entropies",
    ("03_mutual_information", "pmi = np.log2(pxy / np.outer(px, py))"): "eq-pmi",
    ("03_mutual_information", "I(X;Y) - I(X;Y|Z) in bits"): "eq-interaction",
    ("03_mutual_information", "I_xy + I_xz_given_y"): "eq-mi-chain",
    ("03_mutual_information", "predicted = (kx - 1) * (ky - 1)"): "eq-plugin-mi-bias",
    ("03_mutual_information", "truth = it.gaussian.mutual_information(rho)"): "eq-gaussian-mi",
    ("05_information_bottleneck", "# One pass of eq."): "eq-ib-equations",
    ("06_infonce", "return H_X + log_q.mean()"): "eq-ba",
}

_CITE = re.compile(r"#.*\beq\. \((\d+\.\d+)\)")
_RAW_LABEL = re.compile(r"#.*\(eq-[a-z0-9-]+\)")
_EQNO = re.compile(r'class="eqno">\((\d+\.\d+)\)<a class="headerlink" href="#equation-([\w-]+)"')


def _code_lines(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.source.splitlines()


def cited(path: Path) -> list[tuple[str, str]]:
    """(line, number) for every code line of a chapter whose comment cites an equation."""
    return [(line, m.group(1)) for line in _code_lines(path) if (m := _CITE.search(line))]


def _label(chapter: str, line: str) -> str:
    labels = [label for (ch, piece), label in CITES.items() if ch == chapter and piece in line]
    assert len(labels) == 1, (
        f"{chapter}: the comment in {line.strip()!r} cites an equation; add it to CITES in "
        f"{Path(__file__).name} with the label it means" if not labels else
        f"{chapter}: {line.strip()!r} matches several CITES entries")
    return labels[0]


def test_every_listed_citation_is_in_its_chapter():
    found = {(p.stem, piece) for p in CHAPTERS for line, _ in cited(p)
             for (ch, piece) in CITES if ch == p.stem and piece in line}
    assert found == set(CITES), f"not found in the chapters: {sorted(set(CITES) - found)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_cited_numbers_are_the_equations_numbers(path):
    cites = cited(path)
    if not cites:
        return
    html = HTML / f"{path.stem}.html"
    if not html.exists():
        pytest.fail(f"{html.relative_to(ROOT)} is missing: run `make book` first")
    numbers = {label: number for number, label in _EQNO.findall(html.read_text("utf8"))}
    assert numbers, f"no numbered equation found in {html.name}: has Sphinx's markup changed?"
    for line, number in cites:
        label = _label(path.stem, line)
        assert label in numbers, f"{path.stem}: no equation labelled {label} on the page"
        assert number == numbers[label], (
            f"{path.stem}: {line.strip()!r} cites eq. ({number}), but {label} is "
            f"eq. ({numbers[label]})")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_comment_shows_a_raw_label(path):
    raw = [line.strip() for line in _code_lines(path) if _RAW_LABEL.search(line)]
    assert not raw, f"{path.stem}: comments show an equation's label, not its number: {raw}"

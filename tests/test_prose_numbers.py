"""Numbers in a chapter's prose are printed by the chapter's checked cells.

A number typed into the text does not change when the code that computed it does.  To
keep the two together, every decimal number with 3 or more significant digits in a
chapter's prose must appear, as a whole token, in the stored outputs of that chapter's
cells tagged ``nbval-check-output``.  nbval compares those outputs with a fresh run, so a
change in the code turns nbval red until the outputs are re-stored, and then this test
turns red until the prose is updated.

What counts as prose
    Markdown cells, including inline and display math (a number in ``$...$`` is still a
    number the reader takes from the text), and the figure captions and alt texts of
    code cells (``mystnb.figure.caption``, ``mystnb.image.alt``).  Left out: inline code
    spans and fenced blocks (code and directives, not claims), and digits that belong
    to a name or a label (``c1-shannon1948``, ``eq-kl-gauss-1d``, ``x_2.5``) or to a
    version string (``2.13.0``).

What counts as a decimal number
    Digits with a decimal point, ``1.4427`` or ``.5``; its significant digits are the
    digits after the leading zeros (``0.469`` has 3, ``0.80`` has 2, ``2.05`` has 3).
    A sign is not part of the token: ``-1.27`` in the prose is looked up as ``1.27``.

What counts as printed
    The ``text/plain`` data and ``stream`` text of the checked cells.  The token must be
    bounded by non-digits there too, so ``3.32`` is not found inside ``3.322``.

Exact constants may be typed in the prose without a cell printing them; each entry of
``ALLOWED`` says why it cannot drift.
"""

from __future__ import annotations

import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

#: number (as typed in the prose) -> why it is exact and needs no printing cell
ALLOWED = {
    "1.4427": "1/ln 2, the number of bits in a nat: a constant of the units, not a result",
}

_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
# a decimal number not glued to a name, a label or another number (versions like 2.13.0)
_NUMBER = re.compile(r"(?<![\w.])(?<!\w-)\d*\.\d+(?!\w|\.\d)")


def significant_digits(token: str) -> int:
    """Number of significant digits of a decimal token: '0.469' -> 3, '0.80' -> 2."""
    return len(token.replace(".", "").lstrip("0"))


def prose_numbers(text: str) -> list[str]:
    """Decimal numbers with 3 or more significant digits in a piece of prose."""
    text = _CODE_SPAN.sub(" ", text)
    return [t for t in _NUMBER.findall(text) if significant_digits(t) >= 3]


def chapter_prose(nb) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        mystnb = cell.get("metadata", {}).get("mystnb", {})
        parts.append(mystnb.get("figure", {}).get("caption", ""))
        parts.append(mystnb.get("image", {}).get("alt", ""))
    return "\n".join(parts)


def checked_output_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "nbval-check-output" not in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif "text/plain" in out.get("data", {}):
                parts.append(out["data"]["text/plain"])
    return "\n".join(parts)


def is_printed(token: str, printed: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(token)}(?![\d])", printed) is not None


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_prose_number_is_printed_by_a_checked_cell(path):
    nb = nbformat.read(path, as_version=4)
    printed = checked_output_text(nb)
    missing = sorted({t for t in prose_numbers(chapter_prose(nb))
                      if t not in ALLOWED and not is_printed(t, printed)})
    assert not missing, (
        f"{path.name}: these numbers in the prose are printed by no cell tagged "
        f"nbval-check-output (store the outputs, print them, or fix the prose): {missing}")


def test_the_guard_sees_numbers_and_ignores_labels_and_code():
    text = ("H = 0.469 bits, $h = -1.27$ bits, 0.80 on average, eq-kl-gauss-1d, "
            "c1-shannon1948, `torch==2.13.0`, version 2.13.0, 10,000 samples, .125, x_2.505, "
            "it ends at 2.585.")
    assert prose_numbers(text) == ["0.469", "1.27", ".125", "2.585"]


def test_the_guard_wants_whole_tokens():
    assert is_printed("3.322", "max 3.322 bits")
    assert not is_printed("3.32", "max 3.322 bits")
    assert not is_printed("0.469", "H = 10.469 bits")
    assert is_printed("1.27", "h = -1.27 bits")


def test_the_guard_fails_when_a_prose_number_drifts():
    # the first chapter's checked outputs do not print a number one digit away from a real one
    nb = nbformat.read(CHAPTERS[0], as_version=4)
    printed = checked_output_text(nb)
    real = [t for t in prose_numbers(chapter_prose(nb)) if t not in ALLOWED]
    assert real, "chapter 1 has no guarded number in its prose"
    token = real[0]
    drifted = token[:-1] + str((int(token[-1]) + 1) % 10)
    assert not is_printed(drifted, printed) or drifted in real

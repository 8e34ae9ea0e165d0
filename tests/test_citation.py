"""CITATION.cff is valid Citation File Format 1.2 and agrees with _config.yml; the README,
the front matter, the site's footer (_config.yml's ``copyright``), LICENSE and CITATION.cff
state the same licences: the text under CC BY 4.0, the code under MIT."""

from __future__ import annotations

import datetime
import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
# The keys CFF 1.2.0's schema requires, and the licences of this book (SPDX identifiers).
CFF_REQUIRED = {"cff-version", "message", "title", "authors"}
LICENCES = {"CC-BY-4.0", "MIT"}


def _cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf8"))


def _section(markdown: str, heading: str) -> str:
    """The text of the ``## heading`` section, Markdown links reduced to their text."""
    m = re.search(rf"^##\s+{heading}\s*$(.*?)(?=^#|\Z)", markdown, re.M | re.S)
    assert m, f"no '## {heading}' section"
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1))


def licences_stated(text: str) -> dict[str, str]:
    """{'text': SPDX id, 'code': SPDX id} as a sentence states them, e.g. 'The text is
    licensed under CC BY 4.0 and the code ... under the MIT license' or 'Text CC BY 4.0,
    code MIT'.  A part that is not stated is missing from the result."""
    flat = " ".join(text.split())
    found = {}
    for part in ("text", "code"):
        # from the word naming the part to the next licence name, within one clause
        m = re.search(rf"\b{part}\b[^;]*?\b(CC[ -]BY[ -](\d\.\d)|MIT)\b", flat, re.I)
        if m:
            found[part] = f"CC-BY-{m.group(2)}" if m.group(2) else "MIT"
    return found


def test_cff_has_the_required_keys_and_types():
    cff = _cff()
    missing = CFF_REQUIRED - cff.keys()
    assert not missing, f"CITATION.cff lacks CFF's required keys {sorted(missing)}"
    assert cff["cff-version"] == "1.2.0", f"cff-version is {cff['cff-version']!r}, not '1.2.0'"
    assert isinstance(cff["authors"], list) and cff["authors"], "authors must be a non-empty list"
    for author in cff["authors"]:
        # a person has family-names/given-names, an entity (this book's authors) a name
        assert {"name", "family-names", "given-names"} & author.keys(), (
            f"author {author!r} has no name, family-names or given-names")
    assert cff["authors"] == [{"name": CONFIG["author"]}], (
        f"CITATION.cff's authors {cff['authors']!r} differ from _config.yml's "
        f"author {CONFIG['author']!r}")
    assert cff["title"] == CONFIG["title"], (
        f"CITATION.cff's title {cff['title']!r} differs from _config.yml's {CONFIG['title']!r}")


def test_cff_names_the_repository_of_config():
    url = CONFIG["repository"]["url"]
    assert _cff().get("repository-code") == url, (
        f"CITATION.cff's repository-code {_cff().get('repository-code')!r} differs from "
        f"_config.yml's repository url {url!r}: a fork that publishes its own copy updates both")


def test_cff_licences():
    lic = _cff().get("license")
    lic = {lic} if isinstance(lic, str) else set(lic or [])
    assert lic == LICENCES, f"CITATION.cff's license is {sorted(lic)}, expected {sorted(LICENCES)}"


def test_cff_version_is_itlib_version():
    import itlib
    assert str(_cff().get("version")) == itlib.__version__, (
        f"CITATION.cff's version {_cff().get('version')!r} != itlib {itlib.__version__!r}")


@pytest.mark.parametrize("where", ["README.md licence section", "intro.md licence section",
                                   "_config.yml copyright (the site's footer)", "LICENSE"])
def test_every_place_states_the_same_licences(where):
    text = {
        "README.md licence section": lambda: _section(
            (ROOT / "README.md").read_text(encoding="utf8"), "License"),
        "intro.md licence section": lambda: _section(
            (ROOT / "intro.md").read_text(encoding="utf8"), "License"),
        "_config.yml copyright (the site's footer)": lambda: CONFIG["copyright"],
        "LICENSE": lambda: (ROOT / "LICENSE").read_text(encoding="utf8"),
    }[where]()
    assert licences_stated(text) == {"text": "CC-BY-4.0", "code": "MIT"}, (
        f"{where} states {licences_stated(text)}, expected text CC BY 4.0 and code MIT "
        f"(as CITATION.cff): {' '.join(text.split())[:300]!r}")


def test_footer_year_and_authors():
    year = str(datetime.date.today().year)
    assert CONFIG["author"] in CONFIG["copyright"], "the footer does not name the authors"
    assert re.match(r"\d{4}", CONFIG["copyright"]) and CONFIG["copyright"][:4] <= year


def test_licences_stated_reads_both_parts():
    # the parser itself: a swapped or missing statement is reported, not accepted
    assert licences_stated("Text CC BY 4.0, code MIT") == {"text": "CC-BY-4.0", "code": "MIT"}
    assert licences_stated("Text MIT; code CC BY 4.0") == {"text": "MIT", "code": "CC-BY-4.0"}
    assert licences_stated("The code is MIT.") == {"code": "MIT"}


def test_front_matter_has_how_to_cite():
    intro = (ROOT / "intro.md").read_text(encoding="utf8")
    section = _section(intro, "How to cite")
    assert "CITATION.cff" in section and CONFIG["title"] in " ".join(section.split())
    urls = re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", section)
    assert urls == [CONFIG["repository"]["url"]], (
        f"'How to cite' in intro.md names {urls}, not _config.yml's repository url")

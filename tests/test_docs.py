"""The README, the maintainer's guide and the benchmarks page cannot go stale (issue 33).

README.md is short (at most 150 lines) and keeps the order a newcomer reads in; the rest is
in CONTRIBUTING.md and benchmarks/README.md.  For the three documents:

- every link inside the repository resolves;
- every path they name in backticks exists (build outputs excepted);
- every ``make`` target they name is one the Makefile has, and ``make -n`` accepts it;
- every script they tell you to run (``python tools/x.py``, ``bash tools/x.sh``,
  ``python -m pytest PATH``) exists, compiles, and answers ``--help`` where it parses
  arguments.  The commands themselves run elsewhere: ``make book``/``make test`` in CI
  (``.ci/run``), the tools in the tests of tests/test_tools.py and their own tests.
"""

from __future__ import annotations

import py_compile
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["README.md", "CONTRIBUTING.md", "benchmarks/README.md"]
#: What the build or the set-up writes: named in the documents, absent from a fresh clone.
GENERATED = ("_build/", ".venv", "_vendor/")
#: README.md's sections, in the order issue 33 gives.
README_SECTIONS = ["Read it", "Run it", "Build the book and run the tests", "For instructors",
                   "Contributing", "Cite", "License"]


def _text(doc: str) -> str:
    return (ROOT / doc).read_text(encoding="utf8")


def _outside_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def test_readme_is_short_and_in_order():
    text = _text("README.md")
    assert len(text.splitlines()) <= 150, f"README.md has {len(text.splitlines())} lines"
    headings = re.findall(r"^## (.+?)\s*$", text, re.M)
    assert headings == README_SECTIONS, headings
    for link in ("CONTRIBUTING.md", "exercises/README.md", "benchmarks/README.md", "LICENSE"):
        assert f"]({link})" in text, f"README.md does not link {link}"
    for command in ("make book", "make test"):
        assert command in text


def test_the_guide_links_the_benchmarks_page():
    assert "](benchmarks/README.md)" in _text("CONTRIBUTING.md")


@pytest.mark.parametrize("doc", DOCS)
def test_links_inside_the_repository_resolve(doc):
    base = (ROOT / doc).parent
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _outside_code_blocks(_text(doc))):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        if not (base / target.split("#", 1)[0]).exists():
            broken.append(target)
    assert not broken, f"links of {doc} that resolve to nothing: {broken}"


def _named_paths(text: str) -> set[str]:
    """Paths in backticks: a token with a slash or a file suffix, no placeholder in it."""
    found = set()
    for code in re.findall(r"`([^`\n]+)`", text):
        for token in code.split():
            token = token.strip(",;:()")
            if not re.fullmatch(r"\.?[\w./-]+", token) or re.search(r"NN|<|\*", token):
                continue
            if "/" in token or re.search(r"\.(py|md|txt|yml|yaml|toml|cff|sh|ipynb|json|bib)$",
                                         token):
                if token.startswith(("http", "//")) or token.count(".") > 3:
                    continue
                found.add(token)
    return found


@pytest.mark.parametrize("doc", DOCS)
def test_every_named_path_exists(doc):
    base = (ROOT / doc).parent
    missing = []
    for path in sorted(_named_paths(_text(doc))):
        if path.startswith(GENERATED) or path.rstrip("/") in (".venv", ".venv-ipyw7"):
            continue
        if not ((ROOT / path).exists() or (base / path).exists()):
            missing.append(path)
    assert not missing, f"{doc} names paths that do not exist: {missing}"


def _make_targets() -> set[str]:
    return set(re.findall(r"^([\w-]+):(?!=)", (ROOT / "Makefile").read_text(), re.M))


@pytest.mark.parametrize("doc", DOCS)
def test_every_make_target_exists(doc):
    named = set(re.findall(r"`make ([a-z][\w-]*)", _text(doc)))
    assert named, f"{doc} names no make target"
    unknown = named - _make_targets()
    assert not unknown, f"{doc} names make targets the Makefile lacks: {sorted(unknown)}"
    for target in sorted(named):
        if target in ("clean",):
            continue
        done = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"make -n {target}: {done.stderr[-1500:]}"


def _scripts(text: str) -> set[str]:
    return set(re.findall(r"\b(?:python|bash)\s+((?:tools|benchmarks|tests)/[\w/]+\.(?:py|sh))",
                          text))


@pytest.mark.parametrize("doc", DOCS)
def test_every_script_exists_and_answers(doc):
    text = _text(doc)
    scripts = _scripts(text)
    assert scripts or doc == "README.md", f"{doc} names no script"
    for script in sorted(scripts):
        path = ROOT / script
        assert path.is_file(), f"{doc} names {script}, which does not exist"
        if path.suffix == ".py":
            py_compile.compile(str(path), doraise=True)
            if "argparse" in path.read_text(encoding="utf8"):
                done = subprocess.run([sys.executable, str(path), "--help"], cwd=ROOT,
                                      capture_output=True, text=True, timeout=120)
                assert done.returncode == 0 and "usage" in done.stdout.lower(), (
                    f"python {script} --help: {done.stderr[-1500:]}")
    for target in re.findall(r"-m pytest ((?:tests|chapters)/[\w/.]*)", text):
        if "NN" not in target:
            assert (ROOT / target).exists(), f"{doc}: python -m pytest {target}: no such path"


def test_the_guide_describes_every_extension_and_tool():
    text = _text("CONTRIBUTING.md")
    present = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "_ext").glob("*.py"))]
    present += [p.relative_to(ROOT).as_posix() + ("/" if p.is_dir() else "")
                for p in sorted((ROOT / "tools").iterdir())
                if not p.name.startswith((".", "__")) and p.name != "__pycache__"]
    missing = [p for p in present if f"`{p}`" not in text]
    assert not missing, f"CONTRIBUTING.md does not describe {missing}"

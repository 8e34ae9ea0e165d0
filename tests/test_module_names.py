"""No two script folders hold a module of the same name.

The tests, the benchmarks and the build put several folders on ``sys.path`` (``_ext/``,
``tools/``, ``benchmarks/``, ``tests/``, ``tests/site/``), and one pytest run imports from all
of them.  Python keeps the first module it finds under a name, so two files of the same name
in two of these folders make an import depend on which test ran first: in CI,
``tests/site/test_site_sections.py`` imported ``benchmarks/section_sizes.py`` as
``section_sizes``, and ``_ext/light_pages.py`` then got the benchmark instead of
``_ext/section_sizes.py``.
"""

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["_ext", "tools", "benchmarks", "tests", "tests/site"]
# ``sys.path.insert(0, str(ROOT / "name"))`` as the scripts write it.
INSERT = re.compile(r'sys\.path\.insert\(0, str\(ROOT / "([^"]+)"\)\)')


def _scripts():
    for folder in ("_ext", "tools", "benchmarks", "tests"):
        yield from (p for p in (ROOT / folder).rglob("*.py") if p != Path(__file__).resolve())


def test_the_folders_put_on_the_path_are_the_ones_checked():
    named = {m for path in _scripts() for m in INSERT.findall(path.read_text(encoding="utf8"))}
    assert named, "found no sys.path.insert: has the way the scripts write it changed?"
    assert named <= set(FOLDERS), f"add {sorted(named - set(FOLDERS))} to FOLDERS"


def test_no_module_name_is_in_two_folders():
    where = defaultdict(list)
    for folder in FOLDERS:
        for path in (ROOT / folder).glob("*.py"):
            if path.name not in ("__init__.py", "conftest.py"):
                where[path.stem].append(folder)
    twice = {name: folders for name, folders in where.items() if len(folders) > 1}
    assert not twice, f"module names in more than one folder on sys.path: {twice}"

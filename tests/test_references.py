"""references.bib parses strictly and holds each key once (merges of chapters append to it)."""

import re
from pathlib import Path

from pybtex.database import parse_file
from pybtex.errors import set_strict_mode

BIB = Path(__file__).resolve().parents[1] / "references.bib"


def test_bibliography_parses_strictly():
    set_strict_mode(True)
    try:
        db = parse_file(str(BIB))
    finally:
        set_strict_mode(False)
    assert len(db.entries) > 10


def test_every_key_appears_once():
    keys = re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), re.M)
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, f"keys defined more than once in references.bib: {dupes}"

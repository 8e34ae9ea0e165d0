"""The chapters' checked outputs against the book build's own execution of them.

Each chapter is executed once, by ``make book`` (MyST-NB through jupyter-cache), which
writes the executed notebook to ``_build/jupyter_execute/chapters/``.  These tests compare
that execution with the outputs stored in ``chapters/*.ipynb`` for the cells tagged
``nbval-check-output``, by nbval's ``--nbval-lax`` rules (streams merged, ``\\r`` and
``\\b`` applied; images, metadata, execution counts and widget model ids not compared), so
nbval does not have to execute every chapter a second time.

They also make sure the execution is the current one: the executed notebook has the same
code cells as the source, and it was made with the current ``itlib`` and requirements
(the digest that ``tools/forget_stale_outputs.py`` recorded before the build).
"""

import copy
import sys
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import coalesce_streams, transform_streams_for_comparison

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
EXECUTED = BUILD / "jupyter_execute" / "chapters"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CHECK, SKIP = "nbval-check-output", "nbval-skip"
# nbval's skip_compare without --nbdime: keys of an output that are never compared.
SKIP_COMPARE = {"metadata", "traceback", "prompt_number", "output_type", "name",
                "execution_count", "application/vnd.jupyter.widget-view+json",
                "image/png", "image/jpeg"}

sys.path.insert(0, str(ROOT / "tools"))
import forget_stale_outputs  # noqa: E402

pytestmark = pytest.mark.slow


def flatten(outputs) -> dict:
    """nbval's comparison form: every compared key -> the list of its values, in order."""
    flat = defaultdict(list)
    for out in transform_streams_for_comparison(coalesce_streams(copy.deepcopy(outputs))):
        for key, value in out.items():
            if key in SKIP_COMPARE:
                continue
            if key == "data":
                for mime, payload in value.items():
                    if mime not in SKIP_COMPARE:
                        flat[mime].append(payload)
            else:
                flat[key].append(value)
    return dict(flat)


def differences(stored, executed) -> list[str]:
    """What differs between two lists of outputs, by nbval's rules (empty if they agree)."""
    want, got = flatten(stored), flatten(executed)
    if set(want) != set(got):
        return [f"output kinds differ: stored {sorted(want)}, executed {sorted(got)}"]
    return [f"{key}:\n--- stored\n{w}\n--- executed\n{g}"
            for key in want for w, g in zip(want[key], got[key]) if w != g] + [
            f"{key}: {len(want[key])} stored outputs, {len(got[key])} executed"
            for key in want if len(want[key]) != len(got[key])]


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def executed_notebook(chapter: Path):
    path = EXECUTED / chapter.name
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make book` first "
                    "(it executes every chapter once)")
    return nbformat.read(path, as_version=4)


def test_the_build_executed_the_current_itlib():
    record = BUILD / forget_stale_outputs.DIGEST_FILE
    assert record.exists(), "run `make book` first"
    paths = [ROOT / p for p in forget_stale_outputs.DEFAULT_WATCHED]
    assert record.read_text().strip() == forget_stale_outputs.digest(paths, ROOT), (
        "itlib or the requirements changed after the last `make book`: rebuild the book "
        "(`make test` does)")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_checked_outputs_match_the_books_execution(chapter):
    source = nbformat.read(chapter, as_version=4)
    executed = executed_notebook(chapter)
    src_code = [c for c in source.cells if c.cell_type == "code"]
    run_code = [c for c in executed.cells if c.cell_type == "code"]
    assert [c.source for c in src_code] == [c.source for c in run_code], (
        f"{chapter.name}: the book executed other code than the chapter has: rebuild the book")
    checked = 0
    problems = []
    for number, (src, run) in enumerate(zip(src_code, run_code), start=1):
        errors = [o for o in run.outputs if o.output_type == "error"]
        assert not errors, f"code cell {number} of {chapter.name} raised {errors[0].ename}"
        if CHECK in tags(src) and SKIP not in tags(src):
            checked += 1
            problems += [f"code cell {number} ({src.source.splitlines()[0][:60]!r}): {d}"
                         for d in differences(src.outputs, run.outputs)]
    assert checked > 0, f"{chapter.name} has no cell tagged {CHECK}"
    assert not problems, f"{chapter.name}: checked outputs differ from the book's execution:\n" + (
        "\n\n".join(problems))


def test_the_comparison_catches_a_changed_number():
    """The rules above are strict where nbval is: a changed digit is a difference, a plot's
    bytes or a widget's random model id is not."""
    out = nbformat.v4.new_output
    stored = [out("stream", name="stdout", text="H = 0.722 bits\n"),
              out("display_data", data={"text/plain": "<Figure>", "image/png": "AAA"})]
    same = [out("stream", name="stdout", text="H = 0.72"), out("stream", name="stdout", text="2 bits\n"),
            out("display_data", data={"text/plain": "<Figure>", "image/png": "BBB"})]
    assert differences(stored, same) == []
    changed = copy.deepcopy(same)
    changed[1].text = "3 bits\n"
    assert differences(stored, changed)
    assert differences(stored, same[:2])  # the figure's output is missing

"""itlib's sliders and quizzes under ipywidgets 7.7.1, the version Google Colab ships.

The book is built with ipywidgets 8; a reader who opens a chapter in Colab gets 7.7.1.
`make test` first builds a separate virtual environment, .venv-ipyw7/env (git-ignored),
from tests/requirements-ipywidgets7.txt (ipywidgets==7.7.1 and the book's numerical
pins), again only when that file changes; a failed download is reported there, as a
set-up error.  This test then runs, with that environment's Python and the repository's
itlib on PYTHONPATH, a script that builds a slider and a quiz and goes through every
display path a notebook uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".venv-ipyw7"
ENV = CACHE / "env"
REQUIREMENTS = ROOT / "tests" / "requirements-ipywidgets7.txt"
STAMP = ENV / ".installed-stamp"  # written by the Makefile when the install succeeded


@pytest.fixture(scope="session")
def ipyw7_python() -> Path:
    """The Python of the ipywidgets-7 environment that `make test` builds."""
    python = ENV / "bin" / "python"
    if not (STAMP.is_file() and python.is_file()):
        pytest.fail(f"{ENV.relative_to(ROOT)} is missing: `make test` builds it "
                    f"(or `make ipywidgets7` alone)")
    if STAMP.stat().st_mtime < REQUIREMENTS.stat().st_mtime:
        pytest.fail(f"{ENV.relative_to(ROOT)} is older than {REQUIREMENTS.relative_to(ROOT)}: "
                    "`make ipywidgets7` rebuilds it")
    return python


# Runs in the ipywidgets-7 environment; prints one JSON line of findings.
_SCRIPT = textwrap.dedent(r'''
    import json
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import ipywidgets as widgets
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display
    from IPython.utils.capture import capture_output

    import itlib
    from itlib.quiz import MultipleChoice, Numeric, Option, Quiz

    out = {"ipywidgets": widgets.__version__, "itlib": itlib.__file__}

    def draw(p):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.bar(["heads", "tails"], [p, 1 - p])
        return fig

    s = itlib.slider(draw, [0.1, 0.5, 0.9], name="p", alt="Coin with p = {value}")
    q = Quiz([
        Numeric("Entropy of a fair coin, in bits?", answer=1.0, tol=0.01, unit="bits",
                mistakes=[(0.693, "That is in nats.")]),
        MultipleChoice("Entropy is ...", [
            Option("expected surprisal", correct=True, feedback="Yes."),
            Option("always at most 1", feedback="Only for two outcomes, in bits."),
        ]),
    ])

    # The live form: an ipywidgets 7 VBox of a SelectionSlider and an Image.
    box = s.widget()
    control, image = box.children
    out["widget"] = [type(box).__name__, type(control).__name__, type(image).__name__]
    out["start"] = [control.value, control.label, image.value == s.frames()[control.value]]
    control.value = 2
    out["moved"] = [control.label, image.value == s.frames()[2]]

    # The display bundle: the live widget for Jupyter/Colab, the static form, the text.
    bundle = s._repr_mimebundle_()
    out["bundle"] = sorted(bundle)
    view = bundle["application/vnd.jupyter.widget-view+json"]
    out["view_model_known"] = view["model_id"] in widgets.Widget.widgets
    out["view_version"] = view["version_major"]
    out["static"] = bundle["text/html"].count('class="itlib-slider-frame"')

    html = q._repr_html_()
    out["quiz_html"] = ['class="itlib-quiz"' in html, html.count('<fieldset class="itlib-quiz-question"')]
    out["quiz_text"] = repr(q).splitlines()[0]

    # What a notebook cell does: display() through an IPython shell, and a cell whose
    # last expression is the object.
    shell = InteractiveShell.instance()
    with capture_output() as cap:
        display(s)
        display(q)
    out["displayed"] = [sorted(o.data) for o in cap.outputs]
    formatted, _ = shell.display_formatter.format(s)
    out["formatted"] = sorted(formatted)
    shell.user_ns.update(s=s, q=q, draw=draw)
    results = [shell.run_cell(code) for code in
               ("s", "q", "import itlib; itlib.slider(draw, [0, 1], name='x')")]
    out["cells"] = [r.success for r in results]
    out["errors"] = [repr(r.error_in_exec) for r in results if not r.success][:1]
    print("ITLIB-RESULT " + json.dumps(out))
''')


def test_slider_and_quiz_under_ipywidgets_7(ipyw7_python):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg",
               MPLCONFIGDIR=str(CACHE / "mplconfig"))
    env.pop("PYTHONHOME", None)
    done = subprocess.run([str(ipyw7_python), "-c", _SCRIPT], capture_output=True, text=True,
                          env=env, cwd=str(CACHE), timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("ITLIB-RESULT ")]
    assert line, done.stdout[-3000:] + done.stderr[-3000:]
    out = json.loads(line[-1].split(" ", 1)[1])

    assert out["ipywidgets"] == "7.7.1"
    assert Path(out["itlib"]).resolve().parent == ROOT / "itlib", "tested the wrong itlib"
    assert out["widget"] == ["VBox", "SelectionSlider", "Image"]
    assert out["start"] == [1, "0.50", True]
    assert out["moved"] == ["0.90", True], "moving the slider does not change the picture"
    assert out["bundle"] == ["application/vnd.jupyter.widget-view+json", "text/html",
                             "text/plain"]
    assert out["view_model_known"] and out["view_version"] == 2
    assert out["static"] == 3
    assert out["quiz_html"] == [True, 2]
    assert out["quiz_text"].startswith("Quiz:")
    assert out["displayed"] == [out["bundle"], ["text/html", "text/plain"]]
    assert out["formatted"] == out["bundle"]
    assert out["cells"] == [True, True, True], out["errors"]

"""Self-checking quizzes for the book's "check your understanding" cells.

Questions are written in Python, so a numeric answer is computed (with itlib) rather
than typed in.  Every text (question, option, feedback, explanation) may hold inline math
as ``$...$`` TeX: it is drawn as MathML (latex2mathml), which browsers render natively, so
it reads as math on the website, in the PDF, in JupyterLab and in Colab, also in the
feedback that the quiz's script shows.  A :class:`Quiz` displays as

* ``text/html``: buttons and answer boxes with feedback, driven by a small inline
  script.  It needs no kernel, so it works on the static website as well as in
  Jupyter, Binder and Colab.
* ``text/plain``: the questions and the full answer key.  Under ``nbval`` this is the
  output that is compared, so a change in itlib that alters an answer fails the tests.

The output is deterministic: element ids are derived from a hash of the content, never
from a random number generator.

Example
-------
>>> q = Quiz([
...     Numeric("Entropy of a fair coin?", answer=1.0, tol=0.01, unit="bits"),
...     MultipleChoice("Entropy is ...", [
...         Option("expected surprisal", correct=True, feedback="Yes: E[-log p(X)]."),
...         Option("always at most 1", feedback="Only for two outcomes, in bits."),
...     ]),
... ])
>>> print(repr(q).splitlines()[1])
1. Entropy of a fair coin?
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import numbers
import re
from dataclasses import dataclass

from ._html import bind_once, script_json

__all__ = ["Option", "MultipleChoice", "Numeric", "Quiz", "option_order"]


def option_order(question: str, texts) -> list[int]:
    """A fixed permutation of the options ``texts`` of ``question``: the indices sorted by
    the SHA-256 of question and option text.  The same on every run, machine and Python
    version (no random number generator); a different question gives a different order.

    >>> option_order("Entropy of a fair die?", ["log2 6 bits", "6 bits", "1 bit"])
    [2, 1, 0]
    """
    texts = list(texts)

    def rank(i):
        blob = f"{question}\x00{texts[i]}\x00{i}".encode("utf8")
        return hashlib.sha256(blob).hexdigest()

    return sorted(range(len(texts)), key=rank)


@dataclass(frozen=True)
class Option:
    """One answer of a multiple-choice question, with the feedback its choice gets."""

    text: str
    correct: bool = False
    feedback: str = ""

    def __post_init__(self):
        _check_text(self.text, "Option text")
        if not isinstance(self.correct, bool):
            raise TypeError(f"Option correct must be True or False (got {self.correct!r})")
        if not isinstance(self.feedback, str):
            raise TypeError(f"Option feedback must be a string (got {type(self.feedback).__name__})")
        _inline(self.text, "Option text")
        _inline(self.feedback, "Option feedback")


class MultipleChoice:
    """A multiple-choice question: every option carries its own feedback.

    Parameters
    ----------
    question : str
        The question.  Inline ``code`` in backticks is shown as code, and ``$...$`` as
        math (TeX, drawn as MathML); every text of a quiz reads both.
    options : list of Option or of (text, correct, feedback) tuples
        At least two options, at least one of them correct.
    explanation : str, optional
        Shown after a correct choice.
    shuffle : bool, default True
        Show the options in a fixed pseudo-random order derived from the question and
        option texts (a SHA-256 hash, see :func:`option_order`), so that the correct
        option's position gives nothing away and is the same on every run (nbval
        compares the quiz's text).  ``False`` keeps the order given ("none of the above"
        last, say).
    """

    kind = "mc"

    def __init__(self, question: str, options, *, explanation: str = "", shuffle: bool = True):
        _check_text(question, "question")
        opts = [o if isinstance(o, Option) else Option(*o) for o in options]
        if len(opts) < 2:
            raise ValueError(f"options must hold at least 2 choices (got {len(opts)})")
        if not any(o.correct for o in opts):
            raise ValueError(f"options must include a correct choice (question: {question!r})")
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False (got {shuffle!r})")
        _inline(question, "question")
        _check_explanation(explanation)
        self.question = question
        self.options = [opts[i] for i in option_order(question, [o.text for o in opts])] \
            if shuffle else opts
        self.explanation = explanation

    def _key(self):
        return {"kind": self.kind,
                "correct": [o.correct for o in self.options],
                "feedback": [_inline(o.feedback) for o in self.options],
                "explanation": _inline(self.explanation)}

    def _text(self, number: int) -> list[str]:
        lines = [f"{number}. {self.question}"]
        for letter, o in zip("abcdefghijklmnopqrstuvwxyz", self.options):
            mark = "*" if o.correct else " "
            lines.append(f"   {mark}({letter}) {o.text}")
        return lines

    def _html(self, qid: str, number: int) -> str:
        buttons = "\n".join(
            f'<button type="button" class="itlib-quiz-option" data-index="{i}" '
            f'aria-pressed="false"{_math_label(_inline(o.text))}>{_inline(o.text)}</button>'
            for i, o in enumerate(self.options)
        )
        return (
            f'<fieldset class="itlib-quiz-question" data-kind="mc">'
            f'<legend>{number}. {_inline(self.question)}</legend>'
            f'<div class="itlib-quiz-options">{buttons}</div>'
            f'<p class="itlib-quiz-feedback" role="status" aria-live="polite"></p>'
            f'</fieldset>'
        )


class Numeric:
    """A question with a numeric answer, accepted within an absolute tolerance.

    Parameters
    ----------
    question : str
        The question.  State the unit the reader should answer in.
    answer : float
        The correct value, best computed with itlib rather than typed in.
    tol : float
        Accepted absolute error (``|given - answer| <= tol``); must be positive.
    unit : str, optional
        Shown beside the answer box ("bits", "nats").
    explanation : str, optional
        Shown after a correct answer.
    mistakes : list of (value, feedback), optional
        Values a reader typically reaches by a known mistake (the answer in nats
        instead of bits, say) and the hint that answers them.
    """

    kind = "num"

    def __init__(self, question: str, answer, *, tol, unit: str = "", explanation: str = "",
                 mistakes=()):
        _check_text(question, "question")
        self.question = question
        self.answer = _check_number(answer, "answer")
        self.tol = _check_number(tol, "tol")
        if self.tol <= 0:
            raise ValueError(f"tol must be positive (got {tol!r})")
        _inline(question, "question")
        _check_explanation(explanation)
        self.unit = unit
        self.explanation = explanation
        self.mistakes = [(_check_number(v, "mistakes value"), str(f)) for v, f in mistakes]
        for _, f in self.mistakes:
            _inline(f, "mistakes feedback")
        for v, _ in self.mistakes:
            if abs(v - self.answer) <= self.tol:
                raise ValueError(
                    f"mistakes value {v:.6g} lies within tol of the answer {self.answer:.6g}")

    def _key(self):
        return {"kind": self.kind, "answer": float(f"{self.answer:.10g}"),
                "tol": float(f"{self.tol:.10g}"),
                "mistakes": [[float(f"{v:.10g}"), _inline(f)] for v, f in self.mistakes],
                "explanation": _inline(self.explanation)}

    def _text(self, number: int) -> list[str]:
        unit = f" {self.unit}" if self.unit else ""
        return [f"{number}. {self.question}",
                f"   answer: {self.answer:.6g}{unit} (accepted within ±{self.tol:.3g})"]

    def _html(self, qid: str, number: int) -> str:
        unit = f" ({html.escape(self.unit)})" if self.unit else ""
        return (
            f'<fieldset class="itlib-quiz-question" data-kind="num">'
            f'<legend>{number}. {_inline(self.question)}</legend>'
            f'<label>Your answer{unit}: '
            f'<input type="text" inputmode="decimal" autocomplete="off" '
            f'class="itlib-quiz-input"></label> '
            f'<button type="button" class="itlib-quiz-check">Check</button>'
            f'<p class="itlib-quiz-feedback" role="status" aria-live="polite"></p>'
            f'</fieldset>'
        )


class Quiz:
    """A titled list of questions that displays as an interactive quiz.

    Parameters
    ----------
    questions : list of MultipleChoice or Numeric
    title : str, default "Check your understanding"
    """

    def __init__(self, questions, *, title: str = "Check your understanding"):
        questions = list(questions)
        if not questions:
            raise ValueError("questions must not be empty")
        for i, q in enumerate(questions):
            if not isinstance(q, (MultipleChoice, Numeric)):
                raise TypeError(
                    f"questions[{i}] must be a MultipleChoice or Numeric (got {type(q).__name__})")
        _check_text(title, "title")
        self.questions = questions
        self.title = title

    @property
    def quiz_id(self) -> str:
        """A stable id, the hash of the rendered text and answer key."""
        blob = json.dumps([repr(self), [q._key() for q in self.questions]], sort_keys=True)
        return "itlib-quiz-" + hashlib.sha1(blob.encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        lines = [f"Quiz: {self.title}"]
        for n, q in enumerate(self.questions, 1):
            lines += q._text(n)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        qid = self.quiz_id
        body = "\n".join(q._html(qid, n) for n, q in enumerate(self.questions, 1))
        key = script_json([q._key() for q in self.questions], sort_keys=True)
        return (
            f'<div class="itlib-quiz" id="{qid}" data-itlib-quiz="{qid}">'
            f"<style>{_CSS}</style>"
            f'<p class="itlib-quiz-title"><strong>{html.escape(self.title)}</strong></p>\n'
            f'<p class="itlib-quiz-static">{_STATIC_NOTE}</p>\n'
            f"{body}\n"
            f'<script type="application/json" class="itlib-quiz-key">{key}</script>'
            f"<script>{_JS}</script>"
            f"</div>"
        )


def _check_text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string (got {type(value).__name__})")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")


def _check_explanation(value):
    if not isinstance(value, str):
        raise TypeError(f"explanation must be a string (got {type(value).__name__})")
    _inline(value, "explanation")


def _check_number(value, name) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number (got {type(value).__name__} {value!r})")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return v


# A $ that opens or closes inline math: not one written \$ (a dollar sign).
_DOLLAR = re.compile(r"(?<!\\)\$")


def _inline(text: str, name: str = "text") -> str:
    """``text`` as HTML: escaped, `backticked` spans shown as code, and ``$...$`` spans
    (inline TeX) as MathML, which browsers draw natively (the website, JupyterLab, Colab
    and the PDF alike; no MathJax needed, also in feedback shown by the quiz's script).
    ``\\$`` is a dollar sign.  An unmatched ``$`` or TeX that cannot be read raises
    ``ValueError`` naming ``name``."""
    parts = _DOLLAR.split(text)
    if len(parts) % 2 == 0:
        raise ValueError(f"{name} has an unmatched $ (inline math is written $...$, a dollar "
                         f"sign \\$): {text!r}")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(_mathml(part, name))
        else:
            escaped = html.escape(part.replace("\\$", "$"))
            out.append(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))
    return "".join(out)


def _math_label(inline_html: str) -> str:
    """`` aria-label="..."`` for a button whose text holds math, else "".  A button's name
    is computed from its text, and a formula alone gives none (axe: button-name); the label
    is the text with each formula read as its characters ("β=0.01")."""
    if "<math" not in inline_html:
        return ""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", inline_html)).split())
    return f' aria-label="{html.escape(text, quote=True)}"'


def _mathml(tex: str, name: str) -> str:
    """Inline TeX as a MathML ``<math>`` element (latex2mathml)."""
    if not tex.strip():
        raise ValueError(f"{name} has an empty $...$")
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip())
    except Exception as e:  # latex2mathml raises its own exception types
        raise ValueError(f"{name}: the math ${tex}$ cannot be read as TeX "
                         f"({type(e).__name__}: {e})") from None
    unknown = re.search(r">(\\[A-Za-z]+)<", mathml)  # latex2mathml shows these as text
    if unknown:
        raise ValueError(f"{name}: the math ${tex}$ uses {unknown[1]}, a TeX command that "
                         f"cannot be drawn")
    return mathml


# Shown where the quiz's script has not run: a saved output in Jupyter before the cell
# is run (or the notebook trusted), where the buttons do nothing.  The script hides it.
_STATIC_NOTE = ("This quiz answers once its cell has run: run the cell (Shift+Enter) "
                "to check your answers.")

_CSS = (
    ".itlib-quiz{border:1px solid #8888;border-radius:6px;padding:.6em 1em;margin:1em 0}"
    ".itlib-quiz fieldset{border:0;padding:0;margin:.8em 0}"
    ".itlib-quiz legend{font-size:1rem;font-weight:600;line-height:1.4;padding:0;margin-bottom:.3em}"
    ".itlib-quiz-title{font-size:1.1rem;margin:.2em 0}"
    ".itlib-quiz-option,.itlib-quiz-check{font:inherit;color:inherit;background:transparent;"
    "border:1px solid currentColor;border-radius:4px;padding:.2em .7em;margin:.2em .4em .2em 0;"
    "cursor:pointer}"
    ".itlib-quiz-option[aria-pressed=true]{outline:3px solid #3b82f6;outline-offset:1px}"
    ".itlib-quiz-input{font:inherit;color:inherit;background:transparent;"
    "border:1px solid currentColor;border-radius:4px;padding:.1em .4em;width:8em}"
    ".itlib-quiz-feedback{margin:.3em 0;min-height:1.2em}"
    ".itlib-quiz-feedback.right,.itlib-quiz-feedback.wrong{color:#fff;border-radius:4px;"
    "padding:.2em .5em}"
    ".itlib-quiz-feedback.right{background:#166534}"
    ".itlib-quiz-feedback.wrong{background:#9f1239}"
)

# The key of each question is read from the quiz's JSON script element (see _html).
_JS = bind_once("itlib-quiz", r"""    var note = root.querySelector('.itlib-quiz-static');
    if (note) { note.hidden = true; }
    var keyEl = root.querySelector('script.itlib-quiz-key');
    if (!keyEl) { return; }
    var key = JSON.parse(keyEl.textContent);
    var questions = root.querySelectorAll('fieldset.itlib-quiz-question');
    Array.prototype.forEach.call(questions, function (fs, qi) {
      var k = key[qi];
      var out = fs.querySelector('.itlib-quiz-feedback');
      function say(ok, html) {
        out.className = 'itlib-quiz-feedback ' + (ok ? 'right' : 'wrong');
        out.innerHTML = html;
      }
      if (k.kind === 'mc') {
        var buttons = fs.querySelectorAll('.itlib-quiz-option');
        Array.prototype.forEach.call(buttons, function (b, i) {
          b.addEventListener('click', function () {
            Array.prototype.forEach.call(buttons, function (o) { o.setAttribute('aria-pressed', 'false'); });
            b.setAttribute('aria-pressed', 'true');
            var ok = k.correct[i];
            var text = (ok ? 'Correct. ' : 'Not quite. ') + k.feedback[i];
            if (ok && k.explanation) { text += ' ' + k.explanation; }
            say(ok, text);
          });
        });
      } else {
        var input = fs.querySelector('.itlib-quiz-input');
        var check = function () {
          var raw = input.value.trim().replace(',', '.');
          var x = Number(raw);
          if (raw === '' || !isFinite(x)) { say(false, 'Please type a number, for example 0.5.'); return; }
          if (Math.abs(x - k.answer) <= k.tol) {
            say(true, 'Correct. ' + (k.explanation || ''));
            return;
          }
          for (var m = 0; m < k.mistakes.length; m++) {
            if (Math.abs(x - k.mistakes[m][0]) <= k.tol) { say(false, 'Not quite. ' + k.mistakes[m][1]); return; }
          }
          say(false, 'Not quite: try again.');
        };
        fs.querySelector('.itlib-quiz-check').addEventListener('click', check);
        input.addEventListener('keydown', function (e) { if (e.key === 'Enter') { check(); } });
      }
    });
""")

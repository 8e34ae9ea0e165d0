"""Quiz math reads as math on the website (issue 26, item 5: "quizzes write math as plain
text ("2^1000"): render it").

A quiz writes its math as ``$...$`` TeX, which itlib.quiz draws as MathML.  On every page
with a quiz, in chromium:

* no question, option, feedback or explanation shows math as plain text: outside its
  ``<math>`` elements no text holds ``$``, ``^``, a ``_`` subscript, a Unicode superscript
  or subscript, ``log2`` or ``D_KL``;
* the page's quizzes hold math, and chromium lays it out as math: each ``<msup>``'s
  exponent sits above its base's baseline, each ``<mfrac>``'s numerator above its
  denominator;
* feedback that holds math shows it as math once the reader answers.
"""

from __future__ import annotations

import re

import pytest

from site_helpers import QUIZ_DOCS

#: What plain-text math looks like: TeX left as text, Unicode super/subscripts, ASCII names.
PLAIN_MATH = re.compile(r"\$|\^|\b[A-Za-z]+_[A-Za-z0-9{(]|[\u00b2\u00b3\u00b9\u2070-\u209c"
                        r"\u1d2c-\u1d6a\u1d9c-\u1dbf]|\blog2\b|\bD_?KL\b")

#: Every text a reader of the quizzes can see, with the <math> elements taken out: the
#: questions and options on the page, the feedback and explanations of the answer keys.
TEXTS_JS = r"""() => {
  const out = [];
  const strip = el => { const c = el.cloneNode(true);
                        c.querySelectorAll('math').forEach(m => m.remove());
                        return c.textContent; };
  for (const quiz of document.querySelectorAll('div.itlib-quiz')) {
    quiz.querySelectorAll('legend, .itlib-quiz-option').forEach(el => out.push(strip(el)));
    const key = JSON.parse(quiz.querySelector('script.itlib-quiz-key').textContent);
    for (const k of key) {
      const htmls = [k.explanation || ''].concat(k.feedback || [], (k.mistakes || []).map(m => m[1]));
      for (const h of htmls) { const d = document.createElement('div'); d.innerHTML = h;
                               out.push(strip(d)); }
    }
  }
  return out;
}"""

#: How chromium laid out the quizzes' math: for each <msup>, the bottoms of base and exponent;
#: for each <mfrac>, the bottoms of numerator and denominator.
LAYOUT_JS = r"""() => {
  const maths = [...document.querySelectorAll('div.itlib-quiz math')];
  const box = el => el.getBoundingClientRect();
  return {
    count: maths.length,
    empty: maths.filter(m => box(m).width === 0 || box(m).height === 0).length,
    sups: [...document.querySelectorAll('div.itlib-quiz msup')].map(s =>
      [box(s.children[0]).bottom, box(s.children[1]).bottom]),
    fracs: [...document.querySelectorAll('div.itlib-quiz mfrac')].map(f =>
      [box(f.children[0]).bottom, box(f.children[1]).bottom]),
  };
}"""


@pytest.mark.parametrize("doc", QUIZ_DOCS)
def test_quiz_math_is_drawn_as_math_not_as_plain_text(visit, doc):
    page, _ = visit(doc)
    texts = page.evaluate(TEXTS_JS)
    assert texts, f"{doc}: no quiz text found"
    plain = [(m.group(0), t.strip()[:120]) for t in texts if (m := PLAIN_MATH.search(t))]
    assert not plain, f"{doc}: {len(plain)} quiz text(s) write math as plain text, e.g. {plain[:3]}"
    page.locator("div.itlib-quiz").first.scroll_into_view_if_needed()
    layout = page.evaluate(LAYOUT_JS)
    assert layout["count"] > 0, f"{doc}: its quizzes hold no math"
    assert layout["empty"] == 0, f"{doc}: {layout['empty']} quiz formulas take no space"
    low = [s for s in layout["sups"] if not s[1] < s[0] - 1]
    assert not low, f"{doc}: exponents not raised above their base (bottoms {low[:3]})"
    flat = [f for f in layout["fracs"] if not f[0] < f[1] - 1]
    assert not flat, f"{doc}: fractions not stacked (bottoms {flat[:3]})"


def test_feedback_with_math_shows_it_as_math(visit):
    """Chapter 1's typical-set question: its right answer's feedback names 2^{n(H-eps)}."""
    page, _ = visit("chapters/01_entropy")
    question = page.locator("fieldset.itlib-quiz-question", has_text="typical set")
    right = question.locator(".itlib-quiz-option", has_text="tiny fraction")
    right.scroll_into_view_if_needed()
    right.click()
    feedback = question.locator(".itlib-quiz-feedback")
    assert feedback.text_content().startswith("Correct.")
    assert feedback.locator("math msup").count() >= 3, feedback.inner_html()[:500]

"""Quizzes: deterministic output, an answer key that reflects the computed answers, bad input."""

import json
import re

import pytest

import itlib as it
from itlib.quiz import MultipleChoice, Numeric, Option, Quiz


def _quiz(answer=0.7219):
    return Quiz([
        Numeric("Entropy of an 80/20 coin, in bits?", answer=answer, tol=0.005, unit="bits",
                mistakes=[(0.5004, "That is in nats.")]),
        MultipleChoice("Which is the fair coin's entropy?", [
            Option("1 bit", correct=True, feedback="Two equally likely outcomes."),
            ("2 bits", False, "That would need four outcomes."),
        ], explanation="log2 2 = 1."),
    ])


def _key(html):
    m = re.search(r'<script type="application/json" class="itlib-quiz-key">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_output_is_deterministic_and_ids_derive_from_content():
    a, b = _quiz(), _quiz()
    assert a._repr_html_() == b._repr_html_()
    assert repr(a) == repr(b)
    assert a.quiz_id != _quiz(answer=0.8).quiz_id


def test_answer_key_in_text_and_html_follows_the_answer():
    q = _quiz(answer=it.binary_entropy(0.2))
    assert "answer: 0.721928 bits (accepted within ±0.005)" in repr(q)
    key = _key(q._repr_html_())
    assert key[0]["answer"] == pytest.approx(0.7219280949)
    assert key[0]["mistakes"][0][1] == "That is in nats."
    shown = [o.text for o in q.questions[1].options]
    assert key[1]["correct"] == [t == "1 bit" for t in shown]
    for letter, text in zip("ab", shown):
        assert f"{'*' if text == '1 bit' else ' '}({letter}) {text}" in repr(q)


def test_text_is_escaped_and_backticks_become_code():
    q = Quiz([MultipleChoice("Is `p < q` <b>safe</b>?", [("yes", True, ""), ("no", False, "")])])
    html = q._repr_html_()
    assert "<code>p &lt; q</code> &lt;b&gt;safe&lt;/b&gt;" in html
    assert "<b>safe" not in html


def test_key_cannot_close_its_script_element():
    q = Quiz([MultipleChoice("q", [("a", True, "</script><script>alert(1)"), ("b", False, "")])])
    body = q._repr_html_().split('class="itlib-quiz-key">', 1)[1].split("</script>", 1)[0]
    assert json.loads(body)[0]["feedback"][0].startswith("&lt;/script&gt;")


@pytest.mark.parametrize(
    "make, exc, message",
    [
        (lambda: Quiz([]), ValueError, "questions must not be empty"),
        (lambda: Quiz(["what?"]), TypeError, "questions[0] must be a MultipleChoice or Numeric (got str)"),
        (lambda: MultipleChoice("q", [("a", True, "")]), ValueError, "options must hold at least 2 choices (got 1)"),
        (lambda: MultipleChoice("q", [("a", False, ""), ("b", False, "")]), ValueError, "options must include a correct choice"),
        (lambda: MultipleChoice("", [("a", True, ""), ("b", False, "")]), ValueError, "question must not be empty"),
        (lambda: Numeric("q", answer=float("nan"), tol=0.1), ValueError, "answer must be finite (got nan)"),
        (lambda: Numeric("q", answer="1", tol=0.1), TypeError, "answer must be a real number (got str '1')"),
        (lambda: Numeric("q", answer=1.0, tol=0), ValueError, "tol must be positive (got 0)"),
        (lambda: Numeric("q", answer=1.0, tol=0.1, mistakes=[(1.05, "x")]), ValueError, "mistakes value 1.05 lies within tol"),
        (lambda: Option("a", correct="yes"), TypeError, "Option correct must be True or False (got 'yes')"),
    ],
)
def test_bad_input(make, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        make()


def test_saved_output_says_the_quiz_answers_once_run():
    # Before its cell is run (or the notebook trusted), Jupyter shows the saved HTML
    # without its script: the buttons do nothing.  A line says so; the script, which
    # runs on the website and in a live kernel, hides it.
    page = _quiz()._repr_html_()
    note = re.search(r'<p class="itlib-quiz-static">([^<]*)</p>', page)
    assert note and "once its cell has run" in note.group(1)
    assert page.index("itlib-quiz-static") < page.index("itlib-quiz-question")
    script = page[page.index("<script>"):]
    assert "querySelector('.itlib-quiz-static')" in script and "hidden = true" in script


def test_options_are_shown_in_a_fixed_order_that_hides_the_correct_position():
    def mc(question, shuffle=True):
        return MultipleChoice(question, [Option("right", correct=True), Option("wrong one"),
                                         Option("wrong two"), Option("wrong three")],
                              shuffle=shuffle)

    # The same question gives the same order on every call (nbval compares the text) ...
    assert [o.text for o in mc("Q1").options] == [o.text for o in mc("Q1").options]
    assert repr(Quiz([mc("Q1")])) == repr(Quiz([mc("Q1")]))
    # ... the correct option's place varies from question to question ...
    places = {[o.correct for o in mc(f"Question {i}?").options].index(True) for i in range(12)}
    assert len(places) >= 3
    # ... the key follows the order shown, and shuffle=False keeps the given order.
    q = mc("Question 3?")
    key = _key(Quiz([q])._repr_html_())[0]
    assert key["correct"] == [o.correct for o in q.options]
    assert [o.text for o in mc("Q", shuffle=False).options] == [
        "right", "wrong one", "wrong two", "wrong three"]
    with pytest.raises(TypeError, match="shuffle"):
        mc("Q", shuffle="yes")


def test_inline_math_becomes_mathml_and_literal_dollars_stay_text():
    q = Quiz([MultipleChoice("How many sequences, of $2^{n}$? It costs \\$5.", [
        Option("About $2^{n(H-\\varepsilon)}$", correct=True, feedback="Yes: $p \\approx 2^{-nH}$."),
        Option("`n` of them", feedback="No."),
    ], shuffle=False)], title="T")
    page = q._repr_html_()
    legend = re.search(r"<legend>(.*?)</legend>", page, re.S).group(1)
    assert re.search(r"<math [^>]*><mrow><msup><mn>2</mn><mrow><mi>n</mi></mrow></msup></mrow></math>",
                     legend), legend
    assert "It costs $5." in legend and "2^" not in legend
    assert "<msup>" in re.findall(r'<button[^>]*>(.*?)</button>', page, re.S)[0]
    key = json.loads(re.search(r'class="itlib-quiz-key">(.*?)</script>', page, re.S).group(1))
    assert key[0]["feedback"][0].startswith("Yes: <math") and "&#x02248;" in key[0]["feedback"][0]
    # The text form (nbval compares it) keeps the TeX as written.
    assert "How many sequences, of $2^{n}$?" in repr(q)


@pytest.mark.parametrize("text, message", [
    ("costs $5", "unmatched $"),
    ("a power $x^$", "cannot be read as TeX"),
    ("a typo $\\lgo x$", "\\lgo, a TeX command that cannot be drawn"),
    ("empty $ $ math", "empty $...$"),
])
@pytest.mark.parametrize("where", ["question", "Option text", "Option feedback", "explanation",
                                   "mistakes feedback"])
def test_bad_math_is_refused_where_it_is_written(text, message, where):
    def make():
        if where == "question":
            return Numeric(text, answer=1.0, tol=0.1)
        if where == "Option text":
            return Option(text)
        if where == "Option feedback":
            return Option("a", feedback=text)
        if where == "explanation":
            return Numeric("q", answer=1.0, tol=0.1, explanation=text)
        return Numeric("q", answer=1.0, tol=0.1, mistakes=[(2.0, text)])
    with pytest.raises(ValueError, match=re.escape(where) + ".*" + re.escape(message)):
        make()


def test_an_option_that_holds_math_is_named_by_its_text():
    """A button whose text is a formula alone has no accessible name (axe: button-name)."""
    q = Quiz([MultipleChoice("Which $\\beta$?", [Option("$\\beta = 100$", correct=True),
                                                  Option("a plain option")], shuffle=False)])
    buttons = re.findall(r"<button[^>]*>", q._repr_html_())
    assert 'aria-label="β=100"' in buttons[0], buttons[0]
    assert "aria-label" not in buttons[1]

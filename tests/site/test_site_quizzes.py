"""Every quiz question on the website gives the right feedback, from the keyboard.

One test per question: the questions come from the quiz cells' stored answer keys in
the notebook sources, so a page that lost its quiz, or a question, fails here.
Multiple choice is answered with the keyboard (Tab to the option, Enter or Space);
numeric questions by typing, Enter, a click on Check, and Tab + Space on Check.
"""

from __future__ import annotations

import json

import pytest

from site_helpers import QUIZ_QUESTIONS, assert_clean


def _text_of(page, fragment: str) -> str:
    return page.evaluate("(h) => { const d = document.createElement('div'); d.innerHTML = h;"
                         " return d.textContent; }", fragment)


def _feedback(question):
    out = question.locator(".itlib-quiz-feedback")
    return (out.get_attribute("class") or "").split(), out.text_content().strip()


def _far_from(key) -> float:
    """A value far from the answer and from every known mistake."""
    x = key["answer"] + 1000.0 * (1.0 + abs(key["answer"]) + key["tol"])
    while any(abs(x - v) <= key["tol"] for v, _ in key["mistakes"]):
        x += 1000.0
    return x


def _question(visit, item):
    """(page, log, the question's fieldset, its answer key)."""
    assert item.number > 0, f"{item.doc}: quiz {item.quiz}: {item.text}"
    page, log = visit(item.doc)
    quizzes = page.locator("div.itlib-quiz")
    assert quizzes.count() > item.quiz, \
        f"{item.doc}: its notebook makes quiz {item.quiz}, the page shows {quizzes.count()} quizzes"
    quiz = quizzes.nth(item.quiz)
    keys = json.loads(quiz.locator("script.itlib-quiz-key").text_content())
    questions = quiz.locator("fieldset.itlib-quiz-question")
    assert questions.count() == len(keys), "questions and answer key disagree"
    assert item.number <= len(keys), f"{item}: the page's quiz has {len(keys)} questions"
    q = questions.nth(item.number - 1)
    legend = q.locator("legend").text_content()
    assert legend.startswith(f"{item.number}. "), legend
    q.scroll_into_view_if_needed()
    key = keys[item.number - 1]
    assert q.get_attribute("data-kind") == key["kind"]
    return page, log, q, key


@pytest.mark.parametrize("item", QUIZ_QUESTIONS, ids=str)
def test_question_gives_the_right_feedback(visit, item):
    page, log, q, key = _question(visit, item)
    if key["kind"] == "mc":
        _answer_multiple_choice(page, q, key)
    else:
        _answer_numeric(page, q, key)
    assert_clean(log, item.doc)


def _answer_multiple_choice(page, q, key):
    options = q.locator(".itlib-quiz-option")
    assert options.count() == len(key["correct"])
    wrong = [i for i, c in enumerate(key["correct"]) if not c]
    right = [i for i, c in enumerate(key["correct"]) if c]
    assert right, "no correct option in the key"
    # Keyboard: focus the first option, Tab to the target, Enter / Space.
    for target, press, ok in ([(wrong[0], "Enter", False)] if wrong else []) + \
                              [(right[0], "Space", True)]:
        options.nth(0).focus()
        for _ in range(target):
            page.keyboard.press("Tab")
        assert options.nth(target).evaluate("b => b === document.activeElement"), \
            f"Tab did not reach option {target}"
        page.keyboard.press(press)
        cls, text = _feedback(q)
        expected = _text_of(page, key["feedback"][target]).strip()
        if ok:
            assert "right" in cls and text.startswith("Correct."), text
        else:
            assert "wrong" in cls and text.startswith("Not quite"), text
        assert expected in text, f"feedback {text!r} lacks {expected!r}"
        assert options.nth(target).get_attribute("aria-pressed") == "true"


def _answer_numeric(page, q, key):
    box = q.locator("input.itlib-quiz-input")
    check = q.locator("button.itlib-quiz-check")
    # A far-off value, typed and sent with Enter.
    box.fill("")
    box.focus()
    page.keyboard.type(f"{_far_from(key):.6g}")
    page.keyboard.press("Enter")
    cls, text = _feedback(q)
    assert "wrong" in cls and text.startswith("Not quite"), text
    # A known mistake gets its own hint (mouse: click Check).
    for value, hint in key["mistakes"][:1]:
        box.fill(repr(value))
        check.click()
        cls, text = _feedback(q)
        assert "wrong" in cls and _text_of(page, hint).strip() in text, f"mistake {value}: {text!r}"
    # Not a number.
    box.fill("abc")
    check.click()
    cls, text = _feedback(q)
    assert "wrong" in cls and "number" in text, text
    # The answer, then Tab to Check and Space.
    box.fill(repr(key["answer"]))
    box.focus()
    page.keyboard.press("Tab")
    assert check.evaluate("b => b === document.activeElement"), \
        "Tab from the answer box does not reach Check"
    page.keyboard.press("Space")
    cls, text = _feedback(q)
    assert "right" in cls and text.startswith("Correct."), text

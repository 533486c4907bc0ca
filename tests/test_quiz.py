"""Self-check quizzes: data files, answer checking, and the widget driven headless."""

from __future__ import annotations

import pytest
import yaml

from smmkit.curriculum import load_standard
from smmkit.widgets.quiz import (
    NUMBER_FORMAT_HINT,
    Quiz,
    available_quizzes,
    check_answer,
    leaks_answer,
    load_quiz,
    parse_quiz,
)


@pytest.mark.parametrize("quiz_id", available_quizzes())
def test_every_quiz_loads_and_names_real_standard_ids(quiz_id: str) -> None:
    quiz = load_quiz(quiz_id)
    ids = load_standard().ids()
    assert quiz.questions
    for q in quiz.questions:
        assert q.standard, f"{q.id} names no standard ID"
        assert set(q.standard) <= ids, f"{q.id}: unknown IDs {set(q.standard) - ids}"
        assert q.explain, f"{q.id} has no explanation"


def test_choice_multi_number() -> None:
    quiz = load_quiz("m01")
    by_id = {q.id: q for q in quiz.questions}
    assert check_answer(by_id["tz-convert"], 1).correct
    assert not check_answer(by_id["tz-convert"], 0).correct
    assert check_answer(by_id["upload-rules"], (0, 1, 2, 4)).correct
    assert not check_answer(by_id["upload-rules"], (0, 1)).correct
    assert check_answer(by_id["reach-gain"], "0,3").correct
    assert check_answer(by_id["reach-gain"], 0.3005).correct
    assert not check_answer(by_id["reach-gain"], "30").correct
    assert check_answer(by_id["reach-gain"], "много").message == NUMBER_FORMAT_HINT


def test_explanation_only_after_success_or_second_miss() -> None:
    q = load_quiz("m01").questions[0]
    first = check_answer(q, 0, attempt=1)
    assert "ещё раз" in first.message and q.explain not in first.message
    assert q.explain in check_answer(q, 0, attempt=2).message
    assert "Сначала выберите" in check_answer(q, None).message


def test_widget_headless() -> None:
    quiz = Quiz("m01")
    assert "Верно: 0 из 6" in quiz.score.value
    quiz.inputs["tz-convert"].value = 1
    assert quiz.check("tz-convert").correct
    boxes = quiz.inputs["upload-rules"].children
    for i in (0, 1, 2, 4):
        boxes[i].value = True
    assert quiz.check("upload-rules").correct
    quiz.inputs["minutes"].value = 0
    assert not quiz.check("minutes").correct
    assert "Верно: 2 из 6" in quiz.score.value
    assert "<code>" in quiz.children[1].children[0].value  # `published_at_utc` rendered as code


@pytest.mark.parametrize("quiz_id", available_quizzes())
def test_no_hint_shows_a_number_answer(quiz_id: str) -> None:
    """The empty field's placeholder, the format hint and the question text never show the answer."""
    quiz = Quiz(quiz_id)
    numbers = [q for q in quiz.data.questions if q.kind == "number"]
    for q in numbers:
        shown = (quiz.inputs[q.id].placeholder, check_answer(q, "?").message, q.text)
        assert not [t for t in shown if leaks_answer(t, q)], f"{q.id} shows its answer {q.answer}"


def test_leak_detector_and_parse_reject_a_placeholder_with_the_answer() -> None:
    q = parse_quiz({"id": "t", "questions": [
        {"id": "n", "kind": "number", "text": "x", "answer": 0.25, "tolerance": 0.001}]}).questions[0]
    assert leaks_answer("например 0,25", q) and leaks_answer("например 25 %", q)
    assert not leaks_answer("например 0,5", q) and not leaks_answer("ваш ответ — число", q)
    leaking = {"id": "n", "kind": "number", "text": "x", "answer": 0.25, "placeholder": "например 0,25"}
    with pytest.raises(ValueError, match="выдаёт ответ"):
        parse_quiz({"id": "t", "questions": [leaking]})
    with pytest.raises(ValueError, match="должен быть числом"):
        parse_quiz({"id": "t", "questions": [{"id": "n", "kind": "number", "text": "x", "answer": "a"}]})


def test_malformed_quiz_is_a_russian_error() -> None:
    raw = yaml.safe_load("""
id: bad
questions:
  - {id: a, kind: choice, text: x, options: [p, q], answer: 5}
""")
    with pytest.raises(ValueError, match="номером варианта"):
        parse_quiz(raw)
    with pytest.raises(ValueError, match="неизвестный тип"):
        parse_quiz({"id": "bad", "questions": [{"id": "a", "kind": "essay", "text": "x", "answer": 1}]})
    with pytest.raises(ValueError, match="Теста «nope» нет"):
        load_quiz("nope")


@pytest.mark.parametrize("quiz_id", available_quizzes())
def test_every_quiz_is_shown_in_a_lesson(quiz_id: str) -> None:
    """A module's self-check is only worth writing if a lesson builds it (module 01: lab 01.04; 02: lab 02.05)."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shown = [p.name for p in (root / "course").glob("*/*.ipynb")
             if any(f'Quiz("{quiz_id}")' in "".join(c["source"]) for c in json.loads(p.read_text("utf-8"))["cells"])]
    assert shown, f"no lesson shows the quiz {quiz_id}: add `Quiz(\"{quiz_id}\")` to the module's lab"

"""Self-check quizzes: questions defined as data (``smmkit/quizzes/<id>.yaml``), instant feedback in Russian."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import ipywidgets as w
import yaml

KINDS = ("choice", "multi", "number")
NUMBER_PLACEHOLDER = "ваш ответ — число"
NUMBER_FORMAT_HINT = "Введите число: цифры, дробную часть — через запятую или точку."
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Question:
    """One quiz question: its text, kind, options, the right answer and the explanation shown after a try."""

    id: str
    kind: str
    text: str
    answer: Any
    explain: str = ""
    options: tuple[str, ...] = ()
    tolerance: float = 0.0
    standard: tuple[str, ...] = ()
    placeholder: str = ""

    @property
    def input_hint(self) -> str:
        """The grey hint shown in an empty number field (never the answer)."""
        return self.placeholder or NUMBER_PLACEHOLDER


@dataclass(frozen=True)
class QuizData:
    """A quiz: id, title and questions."""

    id: str
    title: str
    questions: tuple[Question, ...] = field(default=())


@dataclass(frozen=True)
class Feedback:
    """The verdict on one response."""

    correct: bool
    message: str


def numbers_in(text: str) -> list[float]:
    """The numbers written in a text, decimal comma or point.

    >>> numbers_in("например 0,25 или 3")
    [0.25, 3.0]
    """
    return [float(m.replace(",", ".")) for m in _NUMBER.findall(text)]


def leaks_answer(text: str, question: Question) -> bool:
    """True if the text shows a number question's answer (as a number or in percent)."""
    answer = float(question.answer)
    tol = question.tolerance or 1e-9
    return any(math.isclose(v, answer, abs_tol=tol) or math.isclose(v / 100, answer, abs_tol=tol)
               for v in numbers_in(text))


def _check_number_question(q: Question) -> None:
    """A number question needs a numeric answer, and its hints must not show it."""
    if isinstance(q.answer, bool) or not isinstance(q.answer, (int, float)):
        raise ValueError(f"Вопрос {q.id}: ответ должен быть числом.")
    for hint in (q.input_hint, NUMBER_FORMAT_HINT):
        if leaks_answer(hint, q):
            raise ValueError(f"Вопрос {q.id}: подсказка «{hint}» выдаёт ответ — уберите из неё число.")


def parse_quiz(raw: dict[str, Any]) -> QuizData:
    """Build a quiz from its YAML mapping, checking that every question is well formed."""
    questions = []
    for item in raw.get("questions", []):
        q = Question(
            id=item["id"], kind=item["kind"], text=item["text"], answer=item["answer"],
            explain=item.get("explain", ""), options=tuple(item.get("options", ())),
            tolerance=float(item.get("tolerance", 0.0)), standard=tuple(item.get("standard", ())),
            placeholder=item.get("placeholder", ""),
        )
        if q.kind not in KINDS:
            raise ValueError(f"Вопрос {q.id}: неизвестный тип «{q.kind}», допустимы {', '.join(KINDS)}.")
        if q.kind == "choice" and not (isinstance(q.answer, int) and 0 <= q.answer < len(q.options)):
            raise ValueError(f"Вопрос {q.id}: ответ должен быть номером варианта от 0 до {len(q.options) - 1}.")
        if q.kind == "multi" and not all(isinstance(a, int) and 0 <= a < len(q.options) for a in q.answer):
            raise ValueError(f"Вопрос {q.id}: ответ — список номеров вариантов.")
        if q.kind == "number":
            _check_number_question(q)
        questions.append(q)
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError(f"В тесте {raw.get('id')} повторяются id вопросов.")
    return QuizData(id=raw["id"], title=raw.get("title", ""), questions=tuple(questions))


def load_quiz(quiz_id: str) -> QuizData:
    """Load ``smmkit/quizzes/<quiz_id>.yaml``."""
    path = resources.files("smmkit.quizzes").joinpath(f"{quiz_id}.yaml")
    if not path.is_file():
        raise ValueError(f"Теста «{quiz_id}» нет в smmkit/quizzes.")
    return parse_quiz(yaml.safe_load(path.read_text(encoding="utf-8")))


def available_quizzes() -> list[str]:
    """Ids of the quizzes shipped with the package."""
    return sorted(p.name[:-5] for p in resources.files("smmkit.quizzes").iterdir() if p.name.endswith(".yaml"))


def check_answer(question: Question, response: Any, attempt: int = 1) -> Feedback:
    """Judge a response (option index, set of indices, or number); explain after success or the 2nd miss."""
    if response is None or response == () or (isinstance(response, str) and not response.strip()):
        return Feedback(False, "Сначала выберите или введите ответ.")
    if question.kind == "choice":
        ok = int(response) == question.answer
    elif question.kind == "multi":
        ok = set(response) == set(question.answer)
    else:
        try:
            value = float(str(response).replace(",", "."))
        except ValueError:
            return Feedback(False, NUMBER_FORMAT_HINT)
        ok = math.isclose(value, float(question.answer), abs_tol=question.tolerance or 1e-9)
    if ok:
        return Feedback(True, f"✅ Верно. {question.explain}".strip())
    if attempt < 2:
        return Feedback(False, "❌ Пока неверно. Подумайте ещё раз и попробуйте снова.")
    return Feedback(False, f"❌ Неверно. {question.explain}".strip())


def as_html(text: str) -> str:
    """Escape text for an HTML widget, rendering `code` spans.

    >>> as_html("поле `a<b`")
    'поле <code>a&lt;b</code>'
    """
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


class Quiz(w.VBox):
    """A quiz in the notebook: one block per question with a «Проверить» button and the running score."""

    def __init__(self, quiz: str | QuizData) -> None:
        self.data = load_quiz(quiz) if isinstance(quiz, str) else quiz
        self.results: dict[str, bool] = {}
        self.attempts: dict[str, int] = {}
        self.score = w.HTML()
        self.inputs: dict[str, w.Widget] = {}
        self.feedback: dict[str, w.HTML] = {}
        blocks = [w.HTML(f"<h3>{as_html(self.data.title)}</h3>")]
        for number, question in enumerate(self.data.questions, start=1):
            blocks.append(self._block(number, question))
        blocks.append(self.score)
        super().__init__(blocks)
        self._update_score()

    def _input(self, q: Question) -> w.Widget:
        layout = w.Layout(width="auto")
        if q.kind == "choice":
            return w.RadioButtons(options=[(o, i) for i, o in enumerate(q.options)], value=None, layout=layout)
        if q.kind == "multi":
            boxes = [w.Checkbox(value=False, description=o, indent=False, layout=layout) for o in q.options]
            return w.VBox(boxes)
        return w.Text(placeholder=q.input_hint)

    def response(self, question_id: str) -> Any:
        """The current response to a question, as check_answer expects it."""
        control = self.inputs[question_id]
        if isinstance(control, w.VBox):
            return tuple(i for i, box in enumerate(control.children) if box.value)
        return control.value

    def _block(self, number: int, q: Question) -> w.VBox:
        self.inputs[q.id] = self._input(q)
        self.feedback[q.id] = w.HTML()
        button = w.Button(description="Проверить", button_style="primary")
        button.on_click(lambda _b, qid=q.id: self.check(qid))
        hint = " <i>(несколько ответов)</i>" if q.kind == "multi" else ""
        text = w.HTML(f"<b>{number}.</b> {as_html(q.text)}{hint}")
        return w.VBox([text, self.inputs[q.id], button, self.feedback[q.id]])

    def check(self, question_id: str) -> Feedback:
        """Check one question's current response and show the feedback."""
        question = next(q for q in self.data.questions if q.id == question_id)
        self.attempts[question_id] = self.attempts.get(question_id, 0) + 1
        result = check_answer(question, self.response(question_id), self.attempts[question_id])
        self.feedback[question_id].value = as_html(result.message)
        self.results[question_id] = result.correct
        self._update_score()
        return result

    def _update_score(self) -> None:
        right = sum(self.results.values())
        self.score.value = f"<b>Верно: {right} из {len(self.data.questions)}</b>"

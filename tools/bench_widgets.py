"""Benchmark every course widget as its lesson builds it: build time and the response to each input change.

Budgets (course/README.md, «Speed»; issue 10): a widget builds in ≤ 1 s and answers an input change in ≤ 100 ms
on a quiet 2-core machine. Every figure is a median of repeats (the worst one is shown too); the script prints the
figures with their budgets and marks those over budget with «СВЕРХ БЮДЖЕТА», but never fails on slowness (exit 0).

Per widget:

- **cold build** — a fresh interpreter imports the widget's module and builds the widget once: what a student
  waits for in a fresh kernel (dataset loading excluded; ``tools/bench.py`` times it). Split into the import and
  the first build; median of ``--cold-runs`` fresh interpreters. This is the figure judged against the budget;
- **warm build** — later builds in one interpreter (median of ``--repeats``): the widget's own work;
- **change** — one control set to two values in turn (median and worst of ``--repeats`` changes).

The first line prints the third-party floor: a fresh interpreter importing pandas, ipywidgets and plotly with
the modules plotly needs to show a figure, and building an empty FigureWidget — part of every cold build,
whichever widget comes first in a lesson — as is, and after ``import smmkit.widgets`` (which defers jsonschema's
IRI grammars, see ``smmkit.widgets._defer_iri_grammar``). Each cold build then shows its excess over that floor:
roughly smmkit's own share. Lessons are timed by ``tools/bench_lessons.py``.

Run: ``.venv/bin/python tools/bench_widgets.py`` (all) or ``... tools/bench_widgets.py PostingTimeLab`` (one).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BUILD_BUDGET_S = 1.0
CHANGE_BUDGET_MS = 100.0
OVER = "СВЕРХ БЮДЖЕТА"

FLOOR = ("import pandas, ipywidgets, plotly.graph_objects as go\n"
         "import plotly.io._renderers\n"
         "go.FigureWidget()\n")
"""Third-party work every lesson pays once it shows a plotly figure or widget: imports, an empty FigureWidget."""

_WIDGETS_FIRST = f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); import smmkit.widgets"


@cache
def data(name: str) -> Any:
    """A course dataset, loaded once per process."""
    from smmkit import datasets

    return datasets.load(name)


Change = tuple[str, Any, tuple[Any, Any]]
"""(label, control, two values to set in turn)."""


@dataclass(frozen=True)
class Case:
    """A widget as its lesson builds it, and the input changes to time on it."""

    name: str
    lesson: str
    module: str
    build: Callable[[], Any]
    changes: Callable[[Any], Iterator[Change]]


# --- the widgets, as the lessons build them ------------------------------------------------------------------


def _posting_time() -> Any:
    from smmkit.widgets.posting_time import PostingTimeLab

    return PostingTimeLab(data("audience_activity"), data("posts"), data("accounts"))


def _posting_time_changes(lab: Any) -> Iterator[Change]:
    yield "account", lab.account, ("ds_ig", "bo_tg")
    yield "posts per week", lab.per_week, (5, 12)
    yield "min gap", lab.gap, (1, 5)


def _content_plan() -> Any:
    from smmkit.widgets.content_plan import ContentPlanExplorer

    return ContentPlanExplorer(data("content_plan"))


def _content_plan_changes(lab: Any) -> Iterator[Change]:
    yield "account", lab.account, ("qc_ig", "qc_tg")
    yield "rubric", lab.rubric, tuple(lab.rubric.options[1::-1])
    yield "status", lab.status, (lab.status.options[:1], tuple(lab.status.options))


def _plan_editor() -> Any:
    from smmkit.widgets.plan_editor import ContentPlanEditor

    return ContentPlanEditor(data("content_plan"))


def _plan_editor_changes(lab: Any) -> Iterator[Change]:
    yield "row", lab.item, ("CP-015", "CP-002")
    yield "date (quotas, calendar)", lab.date, ("2026-03-10", "2026-03-03")
    yield "rubric (quotas)", lab.rubric, ("Полезное", "Акция")
    yield "text (checks, preview)", lab.text, ("Раф с мёдом — в каждой кофейне. Ждём вас!", "Кто с нами?")
    yield "hashtags (preview)", lab.tags, ("#кофе #раф #алматы #qazaqcoffee #весна #наурыз", "#кофе")


def _upload() -> Any:
    from smmkit.widgets.upload import UploadPreview

    return UploadPreview(data("content_plan"))


def _upload_changes(lab: Any) -> Iterator[Change]:
    yield "account", lab.account, (lab.account.options[0][1], lab.account.options[1][1])
    yield "date format", lab.date_format, (lab.date_format.options[1][1], lab.date_format.options[0][1])
    yield "hashtags", lab.with_hashtags, (False, True)


def _audience() -> Any:
    from smmkit.widgets.audience import AudienceExplorer

    return AudienceExplorer(data("audience"))


def _audience_changes(explorer: Any) -> Iterator[Change]:
    yield "brand", explorer.brand, ("dala_style", "Все")
    yield "gender", explorer.gender, ("ж", "Все")
    yield "age", explorer.age, ((18, 24), (14, 64))
    yield "platforms", explorer.platforms, (("TikTok", "Instagram"), ())
    yield "cities", explorer.cities, (("Алматы", "Астана"), ())
    yield "interests", explorer.interests, (("мода", "красота"), ())
    yield "group (core)", explorer.group, ("core", "segment")
    yield "core share", explorer.core_share, (0.6, 0.8)
    explorer.brand.value, explorer.gender.value, explorer.age.value = "Все", "ж", (18, 24)
    explorer.cities.value, explorer.interests.value = ("Алматы",), ("мода",)
    yield "platforms (narrow segment)", explorer.platforms, (("TikTok",), ())


def _engagement() -> Any:
    from smmkit.widgets.engagement import EngagementLab

    return EngagementLab(data("posts"), data("accounts"), data("ads_daily"))


def _engagement_changes(lab: Any) -> Iterator[Change]:
    yield "ER base", lab.base, ("reach", "followers")
    yield "ER method", lab.method, ("mean", "pooled")
    yield "ER by", lab.by, ("format", "account")
    lab.by.value = "rubric"
    yield "ER account", lab.account, ("bo_tg", "qc_ig")
    yield "CTR variant", lab.variant, ("link", "all")
    yield "CTR by", lab.ctr_by, ("campaign_name", "platform")
    yield "CTR brand", lab.brand, ("bilim_online", "Все")


def _budget() -> Any:
    from smmkit.widgets.budget import BudgetPlanner

    return BudgetPlanner.from_ads(data("ads_daily"), "bilim_online", budget=150_000)


def _budget_changes(planner: Any) -> Iterator[Change]:
    meta, tiktok = planner.sliders[0], planner.sliders[1]
    yield "slider (Meta)", meta, (meta.value + 10_000, meta.value)
    yield "slider (TikTok)", tiktok, (tiktok.value - 10_000, tiktok.value)
    planner.show_optimum()
    yield "slider, comparison shown", tiktok, (tiktok.value - 5_000, tiktok.value)
    yield "goal", planner.goal, ("profit", "result")
    yield "budget (new optimum)", planner.budget, (170_000, 150_000)


def _dashboard() -> Any:
    from smmkit.widgets.dashboard import KpiDashboard, kpis_from_data

    return KpiDashboard(kpis_from_data(data("posts"), data("ads_daily"), data("crm_orders"), None))


def _dashboard_changes(dashboard: Any) -> Iterator[Change]:
    periods = list(dashboard.period.options)
    yield "period", dashboard.period, (periods[0], periods[-1])
    brands = [value for _, value in dashboard.brand.options]
    yield "brand", dashboard.brand, (brands[1], brands[0])


def _bot_tuner() -> Any:
    from smmkit.widgets.bot_tuner import BotRuleTuner

    return BotRuleTuner(data("followers_audit"))


def _bot_tuner_changes(lab: Any) -> Iterator[Change]:
    yield "score threshold", lab.score_threshold, (0.4, 0.6)
    yield "follow ratio", lab.follow_ratio, (5.0, 20.0)
    yield "spam follow ratio", lab.spam_follow_ratio, (20.0, 60.0)
    yield "min posts", lab.min_posts, (1, 5)
    yield "young account, days", lab.young_days, (120, 30)
    yield "digits in username", lab.username_digits, (2, 5)
    yield "duplicate comments", lab.duplicate_share, (0.3, 0.7)
    yield "account", lab.account, ("Все", "af_ig")
    yield "young account, uncached value", _Unseen(lab.young_days, range(35, 366, 5)), (None, None)


class _Unseen:
    """A slider as a control whose every change sets a value never set before (the tuner caches each rule's
    verdict per threshold, so only a new value shows the cost of computing a rule)."""

    def __init__(self, slider: Any, values: Iterator[Any] | range) -> None:
        self._slider, self._values = slider, iter(values)

    @property
    def value(self) -> Any:
        return self._slider.value

    @value.setter
    def value(self, _: Any) -> None:
        self._slider.value = next(self._values)


def _seeding() -> Any:
    from smmkit.widgets.seeding import SeedingPlanner

    return SeedingPlanner(data("influencers"))


def _seeding_changes(lab: Any) -> Iterator[Change]:
    yield "brand", lab.brand, ("astana_fit", "dala_style")
    yield "budget", lab.budget, (650_000, 1_000_000)
    yield "goal", lab.goal, ("subscribers", "target")
    yield "platforms", lab.platforms, (("Telegram", "TikTok"), tuple(lab.platforms.options))
    yield "languages", lab.languages, (("kk", "ru+kk"), tuple(lab.languages.options))
    yield "min audience match", lab.min_match, (0.2, 0.0)
    yield "max bot share", lab.max_bot_share, (0.15, 1.0)
    yield "exclude flagged", lab.exclude_flagged, (False, True)


def _media_preview() -> Any:
    from smmkit.widgets.media_preview import MediaPreview

    return MediaPreview()


def _media_preview_changes(lab: Any) -> Iterator[Change]:
    yield "asset", lab.asset, ("M071", "M004")
    yield "frame", lab.ratio, tuple(lab.ratio.options[2:0:-1])  # from the facts: the second, then the first
    yield "platform (assets and frames follow)", lab.platform, ("TikTok", "Instagram")


def _quiz() -> Any:
    from smmkit.widgets.quiz import Quiz

    return Quiz("m01")


class _Checked:
    """A quiz question as a control: setting ``value`` picks an answer and presses «Проверить»."""

    def __init__(self, quiz: Any, question: str) -> None:
        self._quiz, self._question = quiz, question

    @property
    def value(self) -> Any:
        return self._quiz.inputs[self._question].value

    @value.setter
    def value(self, answer: Any) -> None:
        self._quiz.inputs[self._question].value = answer
        self._quiz.check(self._question)


def _quiz_changes(quiz: Any) -> Iterator[Change]:
    question = next(q for q in quiz.data.questions if q.kind == "choice")
    yield f"answer and check ({question.id})", _Checked(quiz, question.id), (1, 0)


CASES = (
    Case("ContentPlanExplorer", "00.00, 01.01", "smmkit.widgets.content_plan", _content_plan, _content_plan_changes),
    Case("AudienceExplorer", "00.01", "smmkit.widgets.audience", _audience, _audience_changes),
    Case("EngagementLab", "00.01", "smmkit.widgets.engagement", _engagement, _engagement_changes),
    Case("BudgetPlanner", "00.02", "smmkit.widgets.budget", _budget, _budget_changes),
    Case("KpiDashboard", "00.02", "smmkit.widgets.dashboard", _dashboard, _dashboard_changes),
    Case("PostingTimeLab", "01.02, 01.04", "smmkit.widgets.posting_time", _posting_time, _posting_time_changes),
    Case("UploadPreview", "01.03", "smmkit.widgets.upload", _upload, _upload_changes),
    Case("Quiz", "01.04", "smmkit.widgets.quiz", _quiz, _quiz_changes),
    Case("BotRuleTuner", "02.05", "smmkit.widgets.bot_tuner", _bot_tuner, _bot_tuner_changes),
    Case("SeedingPlanner", "03.05", "smmkit.widgets.seeding", _seeding, _seeding_changes),
    Case("ContentPlanEditor", "04.06", "smmkit.widgets.plan_editor", _plan_editor, _plan_editor_changes),
    Case("MediaPreview", "05.06", "smmkit.widgets.media_preview", _media_preview, _media_preview_changes),
)


# --- measuring -----------------------------------------------------------------------------------------------


def _seconds(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = call()
    return out, time.perf_counter() - start


def _verdict(value: float, budget: float) -> str:
    return "ok" if value <= budget else OVER


def cold(case: Case) -> dict[str, float]:
    """In this (fresh) interpreter: import the widget's module, load its data, build once. Seconds."""
    import importlib

    _, imports = _seconds(lambda: importlib.import_module(case.module))
    for name in ("audience_activity", "posts", "accounts", "content_plan", "audience", "ads_daily", "crm_orders",
                 "followers_audit", "influencers"):
        data(name)
    _, build = _seconds(case.build)
    return {"import": imports, "build": build}


def _fresh(args: list[str]) -> dict[str, float]:
    """Run this script with ``args`` in a fresh interpreter; its last output line is JSON."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def floor(runs: int, before: str = "") -> float:
    """Median seconds of a fresh interpreter's third-party imports (:data:`FLOOR`) after ``before``.

    Measured as the difference against a fresh interpreter that runs only ``before``.
    """
    def run(code: str) -> float:
        return _seconds(lambda: subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT))[1]

    bare = statistics.median(run(before or "pass") for _ in range(runs))
    return statistics.median(run(before + "\n" + FLOOR) for _ in range(runs)) - bare


def change_times(control: Any, values: tuple[Any, Any], repeats: int) -> list[float]:
    """Milliseconds of each of ``repeats`` changes of ``control`` to the two ``values`` in turn."""
    times = []
    for i in range(repeats):
        value = values[i % 2]
        if control.value == value:
            value = values[(i + 1) % 2]
        times.append(1000 * _seconds(lambda v=value: setattr(control, "value", v))[1])
    return times


def bench(case: Case, repeats: int, cold_runs: int, third_party: float) -> None:
    """Print the cold build (and its excess over the ``third_party`` floor), the warm build and every change."""
    runs = [_fresh(["--cold", case.name]) for _ in range(cold_runs)]
    imports = statistics.median(r["import"] for r in runs)
    first = statistics.median(r["build"] for r in runs)
    total = statistics.median(r["import"] + r["build"] for r in runs)
    widget, _ = _seconds(case.build)  # warms this interpreter
    warm = [_seconds(case.build)[1] for _ in range(repeats)]
    print(f"{case.name} (урок {case.lesson})")
    print(f"  cold build {total:6.2f} s  (import {imports:.2f} s + first build {first:.2f} s; over the floor "
          f"{max(total - third_party, 0.0):.2f} s)   budget ≤ {BUILD_BUDGET_S:g} s  {_verdict(total, BUILD_BUDGET_S)}")
    print(f"  warm build {statistics.median(warm):6.2f} s  (worst {max(warm):.2f} s)")
    for label, control, values in case.changes(widget):
        times = change_times(control, values, repeats)
        median, worst = statistics.median(times), max(times)
        print(f"  change: {label:<32} {median:6.1f} ms  (worst {worst:6.1f} ms)   budget ≤ {CHANGE_BUDGET_MS:g} ms  "
              f"{_verdict(median, CHANGE_BUDGET_MS)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("widgets", nargs="*", help="widget names (default: all)")
    parser.add_argument("--repeats", type=int, default=7, help="warm builds and changes per control (median)")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh interpreters per widget (median)")
    parser.add_argument("--cold", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        print(json.dumps(cold(next(c for c in CASES if c.name == args.cold))))
        return 0
    unknown = set(args.widgets) - {c.name for c in CASES}
    if unknown:
        parser.error(f"unknown widget(s): {', '.join(sorted(unknown))}; known: {', '.join(c.name for c in CASES)}")
    third_party = floor(args.cold_runs, _WIDGETS_FIRST)
    print("Third-party floor (fresh interpreter: pandas, ipywidgets, plotly + renderers, an empty FigureWidget): "
          f"{floor(args.cold_runs):.2f} s as is; {third_party:.2f} s after import smmkit.widgets")
    for case in CASES:
        if not args.widgets or case.name in args.widgets:
            bench(case, args.repeats, args.cold_runs, third_party)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Print how fast module 01's widgets and the quiz answer an input change on the full course datasets.

Budget (issue 6): every interaction ≤ 100 ms, the widget's whole handler run headless. Each control is set to
two values in turn; the median and the worst of RUNS changes are printed. Standalone:
`.venv/bin/python tools/bench_widgets_01.py`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit import datasets  # noqa: E402
from smmkit.widgets import ContentPlanExplorer, PostingTimeLab, Quiz, UploadPreview  # noqa: E402

RUNS = 7
BUDGET_MS = 100.0


def interaction(control: Any, values: tuple[Any, Any]) -> tuple[float, float]:
    """Median and worst time in ms of setting ``control.value`` to the two ``values`` alternately."""
    times = []
    for i in range(RUNS):
        start = time.perf_counter()
        control.value = values[i % 2]
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), max(times)


def report(name: str, control: Any, values: tuple[Any, Any]) -> bool:
    median, worst = interaction(control, values)
    ok = worst <= BUDGET_MS
    print(f"{name:<46} {median:6.1f} ms (worst {worst:5.1f})   budget ≤ {BUDGET_MS:.0f} ms  {'ok' if ok else 'OVER'}")
    return ok


def main() -> int:
    posts, activity, accounts = datasets.load("posts"), datasets.load("audience_activity"), datasets.load("accounts")
    plan = datasets.load("content_plan")
    lab = PostingTimeLab(activity, posts, accounts)
    explorer = ContentPlanExplorer(plan)
    upload = UploadPreview(plan)
    quiz = Quiz("m01")
    choice = quiz.inputs["tz-convert"]
    results = [
        report("PostingTimeLab: account", lab.account, ("ds_ig", "bo_tg")),
        report("PostingTimeLab: posts per week", lab.per_week, (5, 12)),
        report("PostingTimeLab: min gap", lab.gap, (1, 5)),
        report("ContentPlanExplorer: account", explorer.account, ("qc_ig", "qc_tg")),
        report("ContentPlanExplorer: rubric", explorer.rubric, tuple(explorer.rubric.options[1::-1])),
        report("UploadPreview: account", upload.account, (upload.account.options[0][1], upload.account.options[1][1])),
        report("UploadPreview: date format", upload.date_format, (upload.date_format.options[1][1],
                                                                   upload.date_format.options[0][1])),
        report("UploadPreview: hashtags", upload.with_hashtags, (False, True)),
    ]
    start = time.perf_counter()
    choice.value = 1
    quiz.check("tz-convert")
    quiz_ms = 1000 * (time.perf_counter() - start)
    print(f"{'Quiz: answer and check':<46} {quiz_ms:6.1f} ms   budget ≤ {BUDGET_MS:.0f} ms  "
          f"{'ok' if quiz_ms <= BUDGET_MS else 'OVER'}")
    return 0 if all(results) and quiz_ms <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

"""Bot-rule tuner lab: move the thresholds of the course's bot rules, see who is flagged and how well.

The rules are :data:`smmkit.analysis.bots.BOT_RULES` with their thresholds made tunable (:func:`tuned_rules`): the
same names, weights, columns and comparisons, only the numbers change. :class:`TunerModel` prepares the audit
once (``bots._prepared`` validates and converts it, as ``bot_scores`` does) and caches every rule's verdict per
threshold, so an input change recomputes one rule and the sums: ``bot_scores`` and ``evaluate`` on 30 000 rows
take far longer than the 100 ms an input change may. ``tests/test_widget_bot_tuner.py`` checks that the lab's
scores and quality figures equal ``bot_scores`` / ``flag_bots`` / ``evaluate`` with the tuned rules.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from smmkit.analysis import bots
from smmkit.analysis.bots import BOT_RULES, BotRule, Evaluation
from smmkit.russian import plural

ALL = "Все"
WINDOW_DAYS = 181
"""The daily chart shows the last half year of follows (the audit's steady flow and the wave)."""

LABELLED = ("is_bot", "followed_at", "account_id")
"""Columns the lab needs beyond the rules' own: the true label, the follow time, the audited account."""

WAVE_FACTOR = 10
"""A day with at least this many times the median day's follows is a wave (course assumption: in the audit the
largest ordinary day has 3–4 times the median)."""

CHANGED_SHOWN = 8
"""At most this many accounts that changed class are listed under the summary."""


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of the rule set; defaults are those of :mod:`smmkit.analysis.bots`."""

    follow_ratio: float = bots.FOLLOW_RATIO
    spam_follow_ratio: float = bots.SPAM_FOLLOW_RATIO
    min_posts: int = bots.MIN_POSTS
    young_days: int = bots.YOUNG_DAYS
    username_digits: int = bots.USERNAME_DIGITS
    duplicate_share: float = bots.DUPLICATE_SHARE


def _rule_conditions(t: Thresholds) -> dict[str, tuple[Callable[[pd.DataFrame], pd.Series], str]]:
    """Rule name → (condition, Russian description) for the thresholds ``t``; the comparisons of ``BOT_RULES``."""
    return {
        "follow_ratio": (
            lambda a: a["following"] > t.follow_ratio * a["followers"],
            f"Подписок более чем в {t.follow_ratio:g} раз больше, чем подписчиков",
        ),
        "mass_following": (
            lambda a: a["following"] > t.spam_follow_ratio * a["followers"],
            f"Подписок более чем в {t.spam_follow_ratio:g} раз больше, чем подписчиков (спам)",
        ),
        "few_posts": (lambda a: a["posts"] < t.min_posts, f"Меньше {t.min_posts} публикаций"),
        "young_account": (lambda a: a["account_age_days"] < t.young_days, f"Аккаунту меньше {t.young_days} дней"),
        "digits_in_username": (
            lambda a: bots._digit_count(a) >= t.username_digits,
            f"В имени пользователя {t.username_digits} цифр(ы) или больше",
        ),
        "duplicate_comments": (
            lambda a: a["comments_duplicate_share"] > t.duplicate_share,
            f"Больше {t.duplicate_share:.0%} комментариев повторяют друг друга",
        ),
    }


TUNABLE: dict[str, str] = {
    "follow_ratio": "follow_ratio",
    "mass_following": "spam_follow_ratio",
    "few_posts": "min_posts",
    "young_account": "young_days",
    "digits_in_username": "username_digits",
    "duplicate_comments": "duplicate_share",
}
"""Rule name → the field of :class:`Thresholds` it depends on (``no_avatar`` and ``bursty_activity`` are yes/no)."""


def tuned_rules(thresholds: Thresholds = Thresholds()) -> tuple[BotRule, ...]:
    """``BOT_RULES`` with the thresholds replaced: same names, weights and columns, in the same order.

    >>> rules = tuned_rules(Thresholds(min_posts=5))
    >>> [r.name for r in rules] == [r.name for r in BOT_RULES], rules[3].description
    (True, 'Меньше 5 публикаций')
    >>> a = pd.DataFrame({"posts": [4]})
    >>> bool(rules[3].condition(a).iloc[0]), bool(BOT_RULES[3].condition(a).iloc[0])
    (True, False)
    """
    conditions = _rule_conditions(thresholds)
    out = []
    for rule in BOT_RULES:
        if rule.name in conditions:
            condition, description = conditions[rule.name]
            rule = replace(rule, condition=condition, description=description)
        out.append(rule)
    return tuple(out)


def precision_recall(flags: np.ndarray, labels: np.ndarray) -> Evaluation:
    """precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R): :func:`bots.evaluate` in numpy.

    The same figures as ``bots.evaluate`` (a test compares them), fast enough for every input change.

    >>> precision_recall(np.array([True, True, False, False]), np.array([True, False, True, False]))
    Evaluation(precision=0.5, recall=0.5, f1=0.5, tp=1, fp=1, fn=1, tn=1)
    """
    tp = int(np.count_nonzero(flags & labels))
    fp = int(np.count_nonzero(flags & ~labels))
    fn = int(np.count_nonzero(~flags & labels))
    tn = len(flags) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else math.nan
    return Evaluation(precision, recall, f1, tp, fp, fn, tn)


@dataclass(frozen=True)
class Wave:
    """The busiest day of follows in the chart's window: date, follows, of them true bots and flagged accounts."""

    day: date
    follows: int
    bots: int
    flagged: int
    quality: Evaluation
    median_day: float

    @property
    def is_wave(self) -> bool:
        """The busiest day has at least ``WAVE_FACTOR`` times the follows of the median day."""
        return self.follows >= WAVE_FACTOR * max(self.median_day, 1)


@dataclass(frozen=True)
class TunerState:
    """What the lab shows for one choice of account, thresholds and score threshold."""

    account: str
    thresholds: Thresholds
    score_threshold: float
    scores: pd.Series
    flags: pd.Series
    quality: Evaluation
    wave: Wave
    daily: pd.DataFrame

    @property
    def flagged_share(self) -> float:
        """Share of the selected accounts' followers flagged as bots."""
        return float(self.flags.mean())


class TunerModel:
    """The audit prepared once, each rule's verdict cached per threshold; :meth:`state` answers a setting."""

    def __init__(self, followers: pd.DataFrame) -> None:
        if not isinstance(followers, pd.DataFrame):
            raise ValueError(
                "Аргумент «followers» должен быть таблицей pandas.DataFrame (datasets.load(\"followers_audit\"))."
            )
        for column in LABELLED:
            if column not in followers.columns:
                raise ValueError(f"В таблице подписчиков нет столбца «{column}»: загрузите её через datasets.load.")
        self.followers = followers.reset_index(drop=True)
        self._prepared = bots._prepared(self.followers, BOT_RULES)  # validates, as bot_scores does
        self._weights = np.array([rule.weight for rule in BOT_RULES], dtype=float)
        base = [bots._fired(self._prepared, rule) for rule in BOT_RULES]
        self._applicable = np.column_stack([v.notna().to_numpy() for v in base])
        self._cache: dict[tuple[str, float], np.ndarray] = {
            (rule.name, self._value(rule.name, Thresholds())): v.fillna(False).to_numpy(dtype=bool)
            for rule, v in zip(BOT_RULES, base, strict=True)
        }
        self.labels = self.followers["is_bot"].to_numpy(dtype=bool)
        self.accounts = [ALL, *sorted(self.followers["account_id"].astype(str).unique())]
        self._masks = {a: self.followers["account_id"].astype(str).eq(a).to_numpy() for a in self.accounts[1:]}
        self._masks[ALL] = np.ones(len(self.followers), dtype=bool)
        days = self.followers["followed_at"].dt.tz_localize(None).dt.normalize()
        last = days.max()
        self.window = pd.date_range(last - timedelta(days=WINDOW_DAYS - 1), last, freq="D")
        self._day = ((days - self.window[0]) // pd.Timedelta(days=1)).to_numpy()

    @staticmethod
    def _value(rule: str, thresholds: Thresholds) -> float:
        return getattr(thresholds, TUNABLE[rule]) if rule in TUNABLE else 0.0

    def verdicts(self, thresholds: Thresholds) -> np.ndarray:
        """Fired (True) per account and rule for ``thresholds``; a rule that does not apply is False."""
        rules = tuned_rules(thresholds)
        columns = []
        for rule in rules:
            key = (rule.name, self._value(rule.name, thresholds))
            if key not in self._cache:
                self._cache[key] = bots._fired(self._prepared, rule).fillna(False).to_numpy(dtype=bool)
            columns.append(self._cache[key])
        return np.column_stack(columns)

    def scores(self, thresholds: Thresholds) -> np.ndarray:
        """score = Σ weight of fired rules / Σ weight of applicable rules (``bots.bot_scores``), every account."""
        fired = self.verdicts(thresholds).astype(float) @ self._weights
        applicable = self._applicable.astype(float) @ self._weights
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(applicable > 0, fired / np.where(applicable > 0, applicable, 1), np.nan)

    def state(
        self, account: str = ALL, thresholds: Thresholds = Thresholds(), score_threshold: float = 0.5
    ) -> TunerState:
        """Scores, flags (score ≥ threshold), quality against ``is_bot``, the daily follows and the wave."""
        if account not in self._masks:
            names = ", ".join(f"«{a}»" for a in self.accounts)
            raise ValueError(f"Аргумент «account» должен быть одним из: {names} (получено «{account}»).")
        if not 0 <= score_threshold <= 1:
            raise ValueError("Аргумент «score_threshold» должен быть долей от 0 до 1.")
        return self._state(account, thresholds, score_threshold, self.scores(thresholds))

    def _state(self, account: str, thresholds: Thresholds, score_threshold: float, score: np.ndarray) -> TunerState:
        mask = self._masks[account]
        flags = score >= score_threshold  # NaN (no applicable rule) is not flagged, as in flag_bots
        index = self.followers.index[mask]
        quality = precision_recall(flags[mask], self.labels[mask])
        daily, wave = self._daily(mask, flags)
        return TunerState(account, thresholds, score_threshold, pd.Series(score[mask], index=index, name="score"),
                          pd.Series(flags[mask], index=index, name="is_bot"), quality, wave, daily)

    def _daily(self, mask: np.ndarray, flags: np.ndarray) -> tuple[pd.DataFrame, Wave]:
        n = len(self.window)
        inside = mask & (self._day >= 0)
        day = self._day[inside]
        follows = np.bincount(day, minlength=n)
        flagged = np.bincount(day, weights=flags[inside], minlength=n).astype(int)
        bot = np.bincount(day, weights=self.labels[inside], minlength=n).astype(int)
        daily = pd.DataFrame({"follows": follows, "flagged": flagged, "bots": bot}, index=self.window.date)
        peak = int(np.argmax(follows))
        on_peak = inside.copy()
        on_peak[inside] = day == peak
        wave = Wave(self.window[peak].date(), int(follows[peak]), int(bot[peak]), int(flagged[peak]),
                    precision_recall(flags[on_peak], self.labels[on_peak]), float(np.median(follows)))
        return daily, wave


def _title(st: TunerState) -> str:
    return f"Подписки по дням и помеченные правилами · {st.account}"


def daily_figure(st: TunerState) -> go.Figure:
    """Follows per day in the window, stacked: flagged by the rules (red) and the rest (blue)."""
    days = [str(d) for d in st.daily.index]
    fig = go.Figure(layout={
        "barmode": "stack", "height": 320, "margin": {"l": 50, "r": 20, "t": 50, "b": 40}, "title": _title(st),
        "xaxis": {"title": "день подписки"}, "yaxis": {"title": "подписок за день"},
        "legend": {"orientation": "h", "y": -0.2}})
    fig.add_bar(x=days, y=st.daily["flagged"].to_numpy(), name="помечены правилами", marker_color="#d62728")
    fig.add_bar(x=days, y=(st.daily["follows"] - st.daily["flagged"]).to_numpy(), name="не помечены",
                marker_color="#1f77b4")
    return fig


def _pct(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1%}"


def _changed_table(model: TunerModel, before: np.ndarray, after: np.ndarray, old: np.ndarray,
                   new: np.ndarray, mask: np.ndarray) -> str:
    rows = np.flatnonzero(mask & (before != after))[:CHANGED_SHOWN]
    if not len(rows):
        return ""
    head = ("<tr><th>username</th><th>подписчики</th><th>подписки</th><th>публикации</th><th>возраст, дн.</th>"
            "<th>оценка</th><th>стал</th><th>на самом деле</th></tr>")
    body = []
    for i in rows:
        r = model.followers.iloc[i]
        body.append(
            f"<tr><td>{html.escape(str(r['username']))}</td><td>{r['followers']}</td><td>{r['following']}</td>"
            f"<td>{r['posts']}</td><td>{r['account_age_days']}</td><td>{old[i]:.2f} → {new[i]:.2f}</td>"
            f"<td>{'бот' if after[i] else 'человек'}</td><td>{'бот' if model.labels[i] else 'человек'}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


class BotRuleTuner(w.VBox):
    """Thresholds of the bot rules → flagged share, precision / recall, accounts that change class, the wave."""

    def __init__(self, followers: pd.DataFrame, account: str = "af_ig") -> None:
        self.model = TunerModel(followers)
        style = {"description_width": "230px"}
        wide = {"layout": w.Layout(width="100%"), "style": style, "continuous_update": False}
        d = Thresholds()
        self.account = w.Dropdown(options=self.model.accounts, value=account, description="Аккаунт:", style=style,
                                  layout=w.Layout(width="50%"))
        self.score_threshold = w.FloatSlider(value=0.5, min=0.05, max=1.0, step=0.05, description="Порог оценки:",
                                             style=style, continuous_update=False, readout_format=".2f",
                                             layout=w.Layout(width="50%"))
        self.follow_ratio = w.FloatSlider(value=d.follow_ratio, min=2, max=40, step=1,
                                          description="Подписки / подписчики больше:", **wide)
        self.spam_follow_ratio = w.FloatSlider(value=d.spam_follow_ratio, min=10, max=100, step=5,
                                               description="Спам: подписки / подписчики >", **wide)
        self.min_posts = w.IntSlider(value=d.min_posts, min=0, max=10, description="Публикаций меньше:", **wide)
        self.young_days = w.IntSlider(value=d.young_days, min=0, max=365, step=5,
                                      description="Аккаунт моложе, дней:", **wide)
        self.username_digits = w.IntSlider(value=d.username_digits, min=1, max=8,
                                           description="Цифр в имени не меньше:", **wide)
        self.duplicate_share = w.FloatSlider(value=d.duplicate_share, min=0.05, max=0.95, step=0.05,
                                             description="Повторов комментариев больше:", readout_format=".0%",
                                             **wide)
        # The FigureWidget is built with its traces and data: a trace added to a FigureWidget before it is shown
        # never reaches the browser (its synced state holds only what it was built with and the last update).
        self.figure = go.FigureWidget(daily_figure(self.model.state(account)))
        self.summary = w.HTML()
        self.changes = w.HTML()
        self._previous: tuple[np.ndarray, np.ndarray] | None = None
        controls = (self.account, self.score_threshold, self.follow_ratio, self.spam_follow_ratio, self.min_posts,
                    self.young_days, self.username_digits, self.duplicate_share)
        for control in controls:
            control.observe(self._update, names="value")
        super().__init__([
            w.HBox([self.account, self.score_threshold]),
            w.HBox([w.VBox([self.follow_ratio, self.spam_follow_ratio, self.min_posts],
                           layout=w.Layout(width="50%")),
                    w.VBox([self.young_days, self.username_digits, self.duplicate_share],
                           layout=w.Layout(width="50%"))]),
            self.summary, self.figure, self.changes,
        ])
        self._update()

    @property
    def thresholds(self) -> Thresholds:
        """The thresholds the sliders show."""
        return Thresholds(**{f.name: getattr(self, f.name).value for f in fields(Thresholds)})

    @property
    def state(self) -> TunerState:
        """The state for the current control values."""
        return self.model.state(self.account.value, self.thresholds, self.score_threshold.value)

    def rules(self) -> pd.DataFrame:
        """The tuned rule set as a table (rule, description, weight), as ``bots.rules_table`` shows it."""
        return bots.rules_table(tuned_rules(self.thresholds))

    def _update(self, *_: object) -> None:
        thresholds = self.thresholds
        score = self.model.scores(thresholds)
        st = self.model._state(self.account.value, thresholds, self.score_threshold.value, score)
        q, wave = st.quality, st.wave
        n, flagged = len(st.flags), int(st.flags.sum())
        if wave.is_wave:
            wave_text = (
                f"<b>Волна подписок:</b> {wave.day:%d.%m.%Y} — {wave.follows} подписок за день (медиана дня — "
                f"{wave.median_day:g}); ботов в волне {wave.bots}, помечено {wave.flagged} · recall в волне "
                f"{_pct(wave.quality.recall)}, precision {_pct(wave.quality.precision)}"
            )
        else:
            wave_text = (f"<b>Волны подписок не видно:</b> самый людный день {wave.day:%d.%m.%Y} — {wave.follows} "
                         f"подписок (медиана дня — {wave.median_day:g})")
        self.summary.value = (
            f"<b>Помечено ботами:</b> {plural(flagged, 'аккаунт', 'аккаунта', 'аккаунтов')} из {n} "
            f"({st.flagged_share:.1%}); на самом деле ботов {q.tp + q.fn} ({(q.tp + q.fn) / n:.1%}).<br>"
            f"<b>Precision</b> {_pct(q.precision)} (TP {q.tp}, FP {q.fp}) · <b>recall</b> {_pct(q.recall)} "
            f"(пропущено ботов FN {q.fn}) · F1 {_pct(q.f1)}<br>{wave_text}"
        )
        with self.figure.batch_update():
            self.figure.data[0].y = st.daily["flagged"].to_numpy()
            self.figure.data[1].y = (st.daily["follows"] - st.daily["flagged"]).to_numpy()
            self.figure.layout.title = _title(st)
        self._show_changes(st, score)

    def _show_changes(self, st: TunerState, score: np.ndarray) -> None:
        flags = score >= st.score_threshold
        mask = self.model._masks[st.account]
        if self._previous is None:
            self._previous = (score, flags)
            self.changes.value = "<i>Передвиньте порог — здесь появятся аккаунты, которые сменили класс.</i>"
            return
        old_score, old_flags = self._previous
        self._previous = (score, flags)
        became = mask & flags & ~old_flags
        left = mask & ~flags & old_flags
        bots_became, bots_left = int((became & self.model.labels).sum()), int((left & self.model.labels).sum())
        self.changes.value = (
            f"<b>После последнего изменения:</b> стали ботами {int(became.sum())} (из них настоящих ботов "
            f"{bots_became}), перестали быть ботами {int(left.sum())} (из них настоящих ботов {bots_left}).<br>"
            + _changed_table(self.model, old_flags, flags, old_score, score, mask)
        )

    def settings(self) -> dict[str, float]:
        """The current thresholds and score threshold as a dict (for a report)."""
        return {**asdict(self.thresholds), "score_threshold": self.score_threshold.value}

"""Content-plan explorer: filter a plan, count it by platform x rubric and list what blocks autoposting.

The logic is pure functions (:func:`filter_plan`, :func:`plan_counts`, :func:`plan_problems`); the widget
only wires controls to them. Problems are found in the whole plan and then shown for the filtered rows, so a
duplicate stays visible even when its twin is filtered out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from smmkit.autoposting import HASHTAG, media_problems
from smmkit.platforms import load_facts
from smmkit.russian import plural

APPROVED = "утверждён"
ALL = "Все"
PROBLEM_COLUMNS = ("item_id", "account_id", "platform", "publish_time", "text", "hashtags", "status")
FILTER_COLUMNS = ("account_id", "status", "rubric")
WIDGET_COLUMNS = (*PROBLEM_COLUMNS, "publish_date", "rubric", "format")
SHOWN_COLUMNS = ("item_id", "publish_date", "publish_time", "platform", "rubric", "format", "status", "text")


def _require(plan: object, columns: Iterable[str]) -> pd.DataFrame:
    """Check that ``plan`` is a DataFrame with every column needed; raise a Russian error otherwise."""
    if not isinstance(plan, pd.DataFrame):
        kind = type(plan).__name__
        raise TypeError(f"Контент-план должен быть таблицей pandas (DataFrame), а получен {kind}.")
    missing = [c for c in columns if c not in plan.columns]
    if missing:
        names = ", ".join(f"«{c}»" for c in missing)
        raise ValueError(f"В контент-плане нет столбца(ов) {names}: проверьте заголовки таблицы.")
    return plan


def _limits(platform: pd.Series, key: str) -> pd.Series:
    """The platform fact ``key`` for each row (NaN for an unknown platform or no limit), from the platform facts."""
    facts = load_facts()
    values = {name: getattr(facts[name], key) for name in facts.platforms}
    return platform.map(lambda p: values.get(p)).astype("Float64").astype(float)


def _text(values: pd.Series) -> pd.Series:
    """Values as plain strings, missing ones as empty strings."""
    return values.astype("object").where(values.notna(), "").astype(str)


def messages(plan: pd.DataFrame) -> pd.Series:
    """The caption each row would publish: the text, then the hashtags after a space."""
    _require(plan, ("text", "hashtags"))
    text, tags = _text(plan["text"]).str.strip(), _text(plan["hashtags"]).str.strip()
    return (text + " " + tags).str.strip()


def hashtag_count(plan: pd.DataFrame) -> pd.Series:
    """Number of hashtags in each row's caption (text and hashtags together)."""
    return messages(plan).str.count(HASHTAG.pattern)


def filter_plan(
    plan: pd.DataFrame,
    account: str | None = None,
    statuses: Iterable[str] | None = None,
    rubric: str | None = None,
) -> pd.DataFrame:
    """Rows of one account, with one of ``statuses`` and one rubric; ``None`` or «Все» means no filter.

    >>> plan = pd.DataFrame({"account_id": ["a", "a", "b"], "status": ["утверждён", "черновик", "утверждён"],
    ...                      "rubric": ["Акция", "Акция", "Продукт"]})
    >>> filter_plan(plan, account="a", statuses=["утверждён"]).index.tolist()
    [0]
    >>> len(filter_plan(plan, statuses=[]))
    0
    """
    _require(plan, FILTER_COLUMNS)
    keep = pd.Series(True, index=plan.index)
    if account not in (None, ALL):
        keep &= _text(plan["account_id"]).eq(account)
    if statuses is not None:
        keep &= _text(plan["status"]).isin(list(statuses))
    if rubric not in (None, ALL):
        keep &= _text(plan["rubric"]).eq(rubric)
    return plan.loc[keep]


def plan_counts(plan: pd.DataFrame) -> pd.DataFrame:
    """Number of publications by platform (rows) and rubric (columns), with «Итого» totals."""
    _require(plan, ("platform", "rubric"))
    if plan.empty:
        return pd.DataFrame()
    platform = _text(plan["platform"]).rename("Площадка")
    rubric = _text(plan["rubric"]).rename("Рубрика")
    return pd.crosstab(platform, rubric, margins=True, margins_name="Итого")


def plan_problems(plan: pd.DataFrame) -> pd.DataFrame:
    """Every reason a row is not ready for autoposting: one row per (item_id, problem), in plan order."""
    _require(plan, PROBLEM_COLUMNS)
    platform = _text(plan["platform"])
    status = _text(plan["status"])
    caption = messages(plan)
    n_tags = caption.str.count(HASHTAG.pattern)
    found: list[tuple[Hashable, int, str]] = []  # (index label, check order, text)

    def add(mask: pd.Series, order: int, describe: Callable[[Hashable], str]) -> None:
        for label in plan.index[mask.to_numpy(dtype=bool)]:
            found.append((label, order, describe(label)))

    add(status.ne(APPROVED), 0, lambda i: f"не утверждена (статус «{status[i] or 'не указан'}»)")
    add(_text(plan["publish_time"]).str.strip().eq(""), 1, lambda i: "не указано время публикации")
    text_limit = _limits(platform, "caption_limit_api")
    add(caption.str.len().gt(text_limit), 2, lambda i: (
        f"текст с хештегами — {plural(len(caption[i]), 'символ', 'символа', 'символов')}, "
        f"а {platform[i]} через API принимает не больше {text_limit[i]:.0f}"))
    tag_limit = _limits(platform, "hashtag_limit")
    add(n_tags.gt(tag_limit), 3, lambda i: (
        f"{plural(int(n_tags[i]), 'хештег', 'хештега', 'хештегов')}, "
        f"а {platform[i]} допускает не больше {tag_limit[i]:.0f}"))
    if "media_file" in plan.columns:  # a plan without the column cannot tell; the upload check then asks for files
        known = platform.isin(load_facts().platforms)
        media = {i: media_problems(plan.at[i, "media_file"], platform[i]) for i in plan.index[known.to_numpy()]}
        add(pd.Series([bool(media.get(i)) for i in plan.index], index=plan.index), 7,
            lambda i: "; ".join(media[i]))
    add(_text(plan["text"]).str.strip().eq(""), 4, lambda i: "пустой текст")
    key = _text(plan["account_id"]) + "\n" + _text(plan["text"]).str.strip()
    dup = key.duplicated(keep=False) & _text(plan["text"]).str.strip().ne("")
    twins = {k: plan.loc[key.eq(k), "item_id"].astype(str).tolist() for k in key[dup].unique()}
    add(dup, 5, lambda i: "тот же текст, что в " + ", ".join(
        x for x in twins[key[i]] if x != str(plan.at[i, "item_id"])))
    if "link" in plan.columns:
        link = _text(plan["link"]).str.strip()
        bad = link.ne("") & ~link.str.startswith(("http://", "https://"))
        add(bad, 6, lambda i: f"ссылка «{link[i]}» должна начинаться с http:// или https://")
    position = {label: n for n, label in enumerate(plan.index)}
    found.sort(key=lambda f: (position[f[0]], f[1]))
    return pd.DataFrame(
        {"item_id": [str(plan.at[f[0], "item_id"]) for f in found], "problem": [f[2] for f in found]},
        columns=["item_id", "problem"],
    )


@dataclass(frozen=True)
class ExplorerState:
    """What the explorer shows for one choice of filters."""

    rows: pd.DataFrame
    counts: pd.DataFrame
    problems: pd.DataFrame

    @property
    def ready(self) -> int:
        """How many shown rows have no problem at all."""
        return int((~self.rows["item_id"].astype(str).isin(self.problems["item_id"])).sum())


def _table(df: pd.DataFrame, index: bool = False) -> str:
    """A compact HTML table (cells escaped)."""
    return df.to_html(index=index, border=0, escape=True, na_rep="—", classes="smmkit-table")


_STYLE = (
    "<style>.smmkit-table{border-collapse:collapse;font-size:12px}"
    ".smmkit-table th,.smmkit-table td{padding:2px 6px;border-bottom:1px solid #ddd;text-align:left;"
    "vertical-align:top}</style>"
)


class ContentPlanExplorer(w.VBox):
    """Filter a content plan by account, status and rubric; see its rows, counts and autoposting problems."""

    def __init__(self, plan: pd.DataFrame) -> None:
        self._plan = _require(plan, WIDGET_COLUMNS).copy()
        self._all_problems = plan_problems(self._plan)
        style = {"description_width": "initial"}
        pairs = self._plan[["account_id", "platform"]].astype(str).drop_duplicates()
        accounts = [(f"{p} ({a})", a) for a, p in pairs.itertuples(index=False)]
        self.account = w.Dropdown(options=[(ALL, ALL), *accounts], value=ALL, description="Аккаунт:",
                                  style=style)
        self.rubric = w.Dropdown(options=[ALL, *sorted(_text(self._plan["rubric"]).unique())], value=ALL,
                                 description="Рубрика:", style=style)
        status = self._plan["status"]
        categorical = isinstance(status.dtype, pd.CategoricalDtype)
        options = [str(s) for s in (status.cat.categories if categorical else status.dropna().unique())]
        self.status = w.SelectMultiple(options=options, value=tuple(options), rows=len(options),
                                       description="Статус:", style=style)
        self.summary = w.HTML()
        self.problems_html, self.rows_html, self.counts_html = w.HTML(), w.HTML(), w.HTML()
        self.tabs = w.Tab(children=[self.problems_html, self.rows_html, self.counts_html])
        for control in (self.account, self.rubric, self.status):
            control.observe(self._update, names="value")
        hint = w.HTML("<small>Несколько статусов: Ctrl (⌘) + щелчок.</small>")
        super().__init__([w.HBox([self.account, self.rubric]), w.HBox([self.status, hint]), self.summary,
                          self.tabs])
        self._update()

    @property
    def state(self) -> ExplorerState:
        """Rows, counts and problems for the current filter values."""
        rows = filter_plan(self._plan, self.account.value, self.status.value, self.rubric.value)
        shown = self._all_problems["item_id"].isin(rows["item_id"].astype(str))
        return ExplorerState(rows, plan_counts(rows), self._all_problems.loc[shown].reset_index(drop=True))

    def _update(self, *_: object) -> None:
        st = self.state
        n, n_problems = len(st.rows), len(st.problems)
        self.summary.value = (
            f"Показано <b>{n}</b> из {len(self._plan)} публикаций · готовы к автопостингу: <b>{st.ready}</b>"
            f" · проблем: <b>{n_problems}</b>"
        )
        self.tabs.titles = (f"Проблемы ({n_problems})", f"Публикации ({n})", "Площадка × рубрика")
        if n == 0:
            empty = "<i>Под фильтры не подходит ни одна публикация (выбран ли хотя бы один статус?).</i>"
            self.problems_html.value = self.rows_html.value = self.counts_html.value = empty
            return
        if n_problems:
            names = {"item_id": "Публикация", "problem": "Что мешает автопостингу"}
            problems = st.problems.rename(columns=names)
            self.problems_html.value = _STYLE + _table(problems)
        else:
            self.problems_html.value = "<b>Проблем нет:</b> все показанные публикации готовы к загрузке."
        rows = st.rows.loc[:, list(SHOWN_COLUMNS)].copy()
        rows["publish_date"] = pd.to_datetime(rows["publish_date"]).dt.strftime("%d.%m")
        rows["hashtags"] = hashtag_count(st.rows)
        rows = rows.rename(columns={
            "item_id": "№", "publish_date": "Дата", "publish_time": "Время", "platform": "Площадка",
            "rubric": "Рубрика", "format": "Формат", "status": "Статус", "text": "Текст",
            "hashtags": "Хештегов",
        })
        self.rows_html.value = _STYLE + _table(rows)
        self.counts_html.value = _STYLE + _table(st.counts, index=True)


__all__ = [
    "ContentPlanExplorer",
    "ExplorerState",
    "filter_plan",
    "hashtag_count",
    "messages",
    "plan_counts",
    "plan_problems",
]

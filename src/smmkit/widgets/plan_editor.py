"""Content-plan editor-checker (lab 04.06): edit one row of a plan and see at once what the house rules, the
platform facts and the calendar of Kazakhstan say about the whole plan, and how the post looks on each platform
it is cross-posted to.

Built on the content-plan explorer (:mod:`smmkit.widgets.content_plan`): its autoposting problems
(:func:`~smmkit.widgets.content_plan.plan_problems`) and counts are reused. The new logic is pure functions:
:func:`quota_breaches` (the rubric quotas of ``plan_rules.yaml`` per ISO week), :func:`calendar_rows` (plan rows
on the dates of ``calendar_kz.yaml``) and :func:`crosspost_preview` (the caption per platform, its length and
hashtags against the dated platform facts and the house rules). The widget only wires controls to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from smmkit.analysis.texts import hashtag_range, hashtags
from smmkit.platforms import load_facts
from smmkit.profiles.calendar import dates_between
from smmkit.profiles.crosspost import caption_max, with_source
from smmkit.profiles.rules import load_plan_rules
from smmkit.russian import plural
from smmkit.widgets.content_plan import _STYLE, _require, _table, _text, plan_counts, plan_problems

EDITOR_COLUMNS = ("item_id", "account_id", "platform", "publish_date", "publish_time", "rubric", "format", "text",
                  "hashtags", "status")
QUOTA_COLUMNS = ["week", "quota", "platform", "rubric", "count", "max_per_week", "items"]
CALENDAR_COLUMNS = ["item_id", "platform", "publish_date", "name", "day_off"]
PREVIEW_COLUMNS = ["platform", "caption", "length", "max_length", "hashtags", "max_hashtags", "problems"]


def _weeks(plan: pd.DataFrame) -> pd.Series:
    """The ISO week of each row's publish date (Monday to Sunday)."""
    return pd.to_datetime(plan["publish_date"]).dt.isocalendar().week.astype(int)


def quota_breaches(plan: pd.DataFrame, quotas: Iterable[dict] | None = None) -> pd.DataFrame:
    """Every (week, quota, rubric) whose count of plan rows is above the quota's ``max_per_week``.

    A quota names a ``rubric`` («any»: each rubric on its own; rows without a rubric yet are not counted) and a
    ``platform`` («all»: every platform together); the whole plan counts, approved or not. Quotas default to
    ``plan_rules.yaml`` (at most 3 posts of a rubric a week in Instagram, at most 2 promotions a week in all).

    >>> plan = pd.DataFrame({"item_id": ["a", "b", "c", "d"], "platform": ["Instagram", "Telegram", "TikTok", "VK"],
    ...                      "rubric": ["Акция"] * 4, "publish_date": ["2026-03-02", "2026-03-03", "2026-03-08",
    ...                                                              "2026-03-09"]})
    >>> quota_breaches(plan)[["week", "rubric", "count", "max_per_week", "items"]].values.tolist()
    [[10, 'Акция', 3, 2, 'a, b, c']]
    >>> quota_breaches(plan, [{"rubric": "any", "platform": "Instagram", "max_per_week": 2, "text": "…"}]).empty
    True
    """
    _require(plan, ("item_id", "platform", "rubric", "publish_date"))
    quotas = load_plan_rules()["quotas"] if quotas is None else list(quotas)
    rows = plan.assign(week=_weeks(plan), _platform=_text(plan["platform"]), _rubric=_text(plan["rubric"]),
                       _item=plan["item_id"].astype(str))
    found = []
    for quota in quotas:
        part = rows if quota["platform"] == "all" else rows[rows["_platform"] == quota["platform"]]
        part = part[part["_rubric"] != ""] if quota["rubric"] == "any" else part[part["_rubric"] == quota["rubric"]]
        for (week, rubric), group in part.groupby(["week", "_rubric"], sort=True):
            if len(group) > quota["max_per_week"]:
                found.append({"week": int(week), "quota": quota["text"], "platform": quota["platform"],
                              "rubric": rubric, "count": len(group), "max_per_week": quota["max_per_week"],
                              "items": ", ".join(group["_item"])})
    return pd.DataFrame(found, columns=QUOTA_COLUMNS)


def calendar_rows(plan: pd.DataFrame, religious: bool = True) -> pd.DataFrame:
    """Plan rows that fall on a date of the calendar of Kazakhstan (a holiday or a religious date), one row per
    (item, calendar entry), in plan order; ``religious=False`` leaves out the religious periods (Ramadan)."""
    _require(plan, ("item_id", "platform", "publish_date"))
    if plan.empty:
        return pd.DataFrame(columns=CALENDAR_COLUMNS)
    day = pd.to_datetime(plan["publish_date"]).dt.normalize()
    cal = dates_between(day.min(), day.max())
    if not religious:
        cal = cal[cal["kind"] != "religious"]
    rows = plan.assign(_day=day, _order=range(len(plan)))[["item_id", "platform", "publish_date", "_day", "_order"]]
    marked = rows.merge(cal[["date", "name", "day_off"]], left_on="_day", right_on="date")
    return marked.sort_values("_order", kind="stable")[CALENDAR_COLUMNS].reset_index(drop=True)


def crosspost_preview(text: str, tags: str, targets: Iterable[str], link: str = "",
                      has_media: bool = True) -> pd.DataFrame:
    """The caption a post would get on each platform of ``targets``, and what cannot be adapted automatically.

    The caption is the text, then the link (``utm_source`` set to the platform) where the platform makes links
    clickable, then the first of ``tags``. All hashtags of the caption — those already in the text and the added
    ones — stay within the top of :func:`~smmkit.analysis.texts.hashtag_range` (the rule of assignment a04, Q4):
    tags are added while there is room, dropped ones are reported, and so is a text that alone has more hashtags
    than the platform allows (the text is the author's: its hashtags are not removed). ``hashtags`` is the number
    in the whole caption. Length is counted in characters against :func:`~smmkit.profiles.crosspost.caption_max`
    (platform facts and house rules); a caption that is too long is reported, not cut: shortening is the author's
    job.

    >>> p = crosspost_preview("Раф за 900 ₸.", "#a #b #c #d #e #f", ["Telegram"], "https://qazaqcoffee.kz/?utm_source=x")
    >>> p.loc[0, "caption"]
    'Раф за 900 ₸. https://qazaqcoffee.kz/?utm_source=telegram #a #b'
    >>> p.loc[0, "problems"]
    'убрано хештегов: 4 (можно не больше 2)'
    >>> own = crosspost_preview("Раф с мёдом #наурыз", "#a #b #c", ["Telegram"])
    >>> own.loc[0, "caption"], int(own.loc[0, "hashtags"]), own.loc[0, "problems"]
    ('Раф с мёдом #наурыз #a', 2, 'убрано хештегов: 2 (можно не больше 2, в тексте уже 1)')
    >>> over = crosspost_preview("Раф #x #y #z", "#a", ["Telegram"])
    >>> over.loc[0, "caption"], int(over.loc[0, "hashtags"])
    ('Раф #x #y #z', 3)
    >>> over.loc[0, "problems"]
    'в самом тексте хештегов 3 (можно не больше 2): уберите лишние из текста; добавленные не поставлены'
    """
    facts = load_facts()
    body, link = str(text or "").strip(), str(link or "").strip()
    found, own = hashtags(str(tags or "")), len(hashtags(body))
    out = []
    for platform in targets:
        problems = []
        top = hashtag_range(platform)[1]
        room = max(0, top - own)                     # never negative: [:-1] would take tags from the end
        kept = found[:room]
        if own > top:
            problems.append(f"в самом тексте хештегов {own} (можно не больше {top}): уберите лишние из текста"
                            + ("; добавленные не поставлены" if found else ""))
        elif len(found) > room:
            in_text = f", в тексте уже {own}" if own else ""
            problems.append(f"убрано хештегов: {len(found) - room} (можно не больше {top}{in_text})")
        clickable = facts[platform].link_clickable
        if link and not clickable:
            problems.append("ссылка в подписи не кликабельна: «ссылка в профиле» или в сторис")
        parts = [body, with_source(link, platform=platform) if link and clickable else "", *kept]
        caption = " ".join(p for p in parts if p)
        limit = caption_max(platform, has_media)
        if len(caption) > limit:
            problems.append(f"длиннее на {plural(len(caption) - limit, 'символ', 'символа', 'символов')}: "
                            "сократите текст сами")
        out.append({"platform": platform, "caption": caption, "length": len(caption), "max_length": limit,
                    "hashtags": own + len(kept), "max_hashtags": top, "problems": "; ".join(problems)})
    return pd.DataFrame(out, columns=PREVIEW_COLUMNS)


@dataclass(frozen=True)
class EditorState:
    """What the editor shows for the plan as edited so far."""

    plan: pd.DataFrame
    row: pd.Series
    problems: pd.DataFrame
    quotas: pd.DataFrame
    calendar: pd.DataFrame
    preview: pd.DataFrame

    @property
    def row_problems(self) -> list[str]:
        """The autoposting problems of the chosen row."""
        return self.problems.loc[self.problems["item_id"] == str(self.row["item_id"]), "problem"].tolist()


class ContentPlanEditor(w.VBox):
    """Pick a row of a content plan, edit its date, rubric, text and hashtags, and see the checks of the whole plan:
    autoposting problems, rubric quotas, calendar dates, and the cross-post preview for each platform.

    ``targets``: the platforms of the preview (default: the plan's platforms); ``rubrics``: the rubrics to choose
    from (default: the rubrics of the plan's brands in the data universe, then any other rubric the plan uses).
    """

    def __init__(self, plan: pd.DataFrame, targets: Iterable[str] | None = None,
                 rubrics: Iterable[str] | None = None) -> None:
        self._plan = _require(plan, EDITOR_COLUMNS).copy().reset_index(drop=True)
        self._plan["publish_date"] = pd.to_datetime(self._plan["publish_date"])
        self._targets = tuple(targets) if targets is not None else tuple(
            sorted(set(_text(self._plan["platform"])) & set(load_facts().platforms)))
        style = {"description_width": "initial"}
        labels = [(f"{r.item_id} · {r.platform} · {r.publish_date:%d.%m}", str(r.item_id))
                  for r in self._plan.itertuples(index=False)]
        self.item = w.Dropdown(options=labels, value=labels[0][1], description="Публикация:", style=style)
        start, end = self._plan["publish_date"].min(), self._plan["publish_date"].max()
        days = pd.date_range(start - pd.Timedelta(days=start.dayofweek), end + pd.Timedelta(days=6 - end.dayofweek))
        self.date = w.Dropdown(options=[(f"{d:%d.%m} ({_WEEKDAYS[d.dayofweek]})", d.strftime("%Y-%m-%d"))
                                        for d in days], description="Дата:", style=style)
        known = list(rubrics) if rubrics is not None else _brand_rubrics(self._plan["account_id"])
        known += sorted(set(_text(self._plan["rubric"])) - set(known) - {""})
        self.rubric = w.Dropdown(options=[("не задана", ""), *[(r, r) for r in known]], description="Рубрика:",
                                 style=style)
        self.text = w.Textarea(description="Текст:", rows=4, continuous_update=False,
                               layout=w.Layout(width="95%"), style=style)
        self.tags = w.Text(description="Хештеги:", continuous_update=False, layout=w.Layout(width="95%"),
                           style=style)
        self.summary = w.HTML()
        self.checks_html, self.quotas_html, self.calendar_html = w.HTML(), w.HTML(), w.HTML()
        self.preview_html, self.counts_html = w.HTML(), w.HTML()
        self.tabs = w.Tab(children=[self.checks_html, self.quotas_html, self.calendar_html, self.preview_html,
                                    self.counts_html])
        self._loading = False
        self._load_row()
        self.item.observe(self._on_item, names="value")
        for control in (self.date, self.rubric, self.text, self.tags):
            control.observe(self._on_edit, names="value")
        hint = w.HTML("<small>Изменения сохраняются в копии плана (<code>lab.plan</code>); "
                      "исходная таблица не меняется.</small>")
        super().__init__([w.HBox([self.item, self.date, self.rubric]), self.text, self.tags, hint, self.summary,
                          self.tabs])
        self._update()

    # --- state ---------------------------------------------------------------------------------------------

    @property
    def plan(self) -> pd.DataFrame:
        """The plan with the edits made so far (a copy)."""
        return self._plan.copy()

    @property
    def _index(self) -> int:
        return int(self._plan.index[self._plan["item_id"].astype(str) == self.item.value][0])

    @property
    def state(self) -> EditorState:
        """Checks of the edited plan and the preview of the chosen row."""
        row = self._plan.loc[self._index]
        targets = [p for p in self._targets if p != row["platform"]]
        preview = crosspost_preview(row["text"], row["hashtags"], [row["platform"], *targets],
                                    row.get("link", ""), has_media=_has_media(row))
        return EditorState(self._plan, row, plan_problems(self._plan), quota_breaches(self._plan),
                           calendar_rows(self._plan), preview)

    def _load_row(self) -> None:
        """Show the chosen row's values in the controls (without treating them as edits)."""
        row = self._plan.loc[self._index]
        self._loading = True
        try:
            self.date.value = row["publish_date"].strftime("%Y-%m-%d")
            self.rubric.value = "" if pd.isna(row["rubric"]) else str(row["rubric"])
            self.text.value = "" if pd.isna(row["text"]) else str(row["text"])
            self.tags.value = "" if pd.isna(row["hashtags"]) else str(row["hashtags"])
        finally:
            self._loading = False

    def _on_item(self, *_: object) -> None:
        self._load_row()
        self._update()

    def _on_edit(self, *_: object) -> None:
        if self._loading:
            return
        i = self._index
        self._plan.loc[i, "publish_date"] = pd.Timestamp(self.date.value)
        self._plan.loc[i, "rubric"] = self.rubric.value or pd.NA
        self._plan.loc[i, "text"] = self.text.value
        self._plan.loc[i, "hashtags"] = self.tags.value
        self._update()

    # --- view ----------------------------------------------------------------------------------------------

    def _update(self, *_: object) -> None:
        st = self.state
        row, mine = st.row, st.row_problems
        item = str(row["item_id"])
        on_calendar = st.calendar[st.calendar["item_id"].astype(str) == item]
        in_quota = st.quotas[st.quotas["items"].str.split(", ").map(lambda items: item in items)] \
            if not st.quotas.empty else st.quotas
        self.summary.value = (
            f"<b>{item}</b>: проблем автопостинга — <b>{len(mine)}</b> · нарушений квот в плане — "
            f"<b>{len(st.quotas)}</b> (с этой публикацией — {len(in_quota)}) · дат календаря в этот день — "
            f"<b>{len(on_calendar)}</b> · площадок в превью — {len(st.preview)}")
        self.tabs.titles = (f"Эта публикация ({len(mine)})", f"Квоты ({len(st.quotas)})",
                            f"Календарь ({len(st.calendar)})", "Кросспостинг", "Площадка × рубрика")
        checks = "".join(f"<li>{_esc(p)}</li>" for p in mine) or "<li>проблем нет: готова к автопостингу</li>"
        days = "".join(f"<li>{_esc(n)}{' — выходной' if off else ''}</li>"
                       for n, off in zip(on_calendar["name"], on_calendar["day_off"], strict=True))
        self.checks_html.value = (f"<b>Проверки автопостинга:</b><ul>{checks}</ul>"
                                  + (f"<b>В этот день:</b><ul>{days}</ul>" if days else ""))
        rules = "<br>".join(f"Квота: {_esc(q['text'])}" for q in load_plan_rules()["quotas"])
        if st.quotas.empty:
            self.quotas_html.value = f"<small>{rules}</small><br><b>Все квоты соблюдены.</b>"
        else:
            quotas = st.quotas[["week", "rubric", "platform", "count", "max_per_week", "items"]].rename(columns={
                "week": "Неделя", "rubric": "Рубрика", "platform": "Площадка", "count": "Публикаций",
                "max_per_week": "Можно", "items": "Какие"})
            self.quotas_html.value = f"<small>{rules}</small>" + _STYLE + _table(quotas)
        cal = st.calendar.assign(publish_date=st.calendar["publish_date"].dt.strftime("%d.%m"),
                                 day_off=st.calendar["day_off"].map({True: "да", False: "нет"}))
        self.calendar_html.value = (
            "<i>В датах плана нет праздников и религиозных дат.</i>" if cal.empty else _STYLE + _table(
                cal.rename(columns={"item_id": "Публикация", "platform": "Площадка", "publish_date": "Дата",
                                    "name": "Дата календаря", "day_off": "Выходной"})))
        preview = st.preview.rename(columns={
            "platform": "Площадка", "caption": "Подпись", "length": "Символов", "max_length": "Можно",
            "hashtags": "Хештегов", "max_hashtags": "Можно хештегов", "problems": "Что не адаптируется само"})
        facts = load_facts()
        self.preview_html.value = (f"<small>Пределы площадок — факты от {facts.checked:%d.%m.%Y}; правила бренда — "
                                   "text_rules.yaml.</small>" + _STYLE + _table(preview))
        self.counts_html.value = _STYLE + _table(plan_counts(st.plan), index=True)


_WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))


def _brand_rubrics(accounts: pd.Series) -> list[str]:
    """The rubrics of the brands whose accounts the plan uses (the data universe), in the brands' order."""
    from smmkit.data.universe import ACCOUNTS, brand

    owners = {a.account_id: a.brand_id for a in ACCOUNTS}
    found: list[str] = []
    for brand_id in dict.fromkeys(owners[a] for a in _text(accounts) if a in owners):
        found += [r for r in brand(brand_id).rubrics if r not in found]
    return found


def _has_media(row: pd.Series) -> bool:
    """Whether the row carries a photo or a video (a media file, or a format other than text)."""
    media = row.get("media_file")
    if media is not None and not pd.isna(media) and str(media).strip():
        return True
    return str(row.get("format", "")).strip() not in ("", "Текст")


__all__ = ["ContentPlanEditor", "EditorState", "calendar_rows", "crosspost_preview", "quota_breaches"]

"""Upload preview: turn one profile of a content plan into an upload file and see what the tool would say.

Each platform goes through a tool that publishes to it (:func:`smmkit.autoposting.publisher_for`): Hootsuite's
bulk CSV for Instagram and TikTok (checked by :func:`smmkit.autoposting.check_hootsuite_csv`, with the plan's
``media_file`` column as the list of media files), the platform's own scheduling format for Telegram and VK
(JSON requests checked by :func:`~smmkit.autoposting.check_telegram_schedule` /
:func:`~smmkit.autoposting.check_vk_wall_posts`). The logic is kept deliberately simple (a fixed time for rows
without one, no row is dropped for problems): the widget shows the problems instead of fixing them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from smmkit.autoposting import (
    HOOTSUITE,
    Problem,
    check_hootsuite_csv,
    check_telegram_schedule,
    check_vk_wall_posts,
    plan_posts,
    publishes_to,
    telegram_schedule,
    to_json,
    upload_route,
    vk_wall_posts,
)
from smmkit.data.universe import ACCOUNTS, STORY_NOW, brand
from smmkit.platforms import load_facts
from smmkit.russian import plural

APPROVED = "утверждён"
DATE_FORMATS = {False: "%d/%m/%Y %H:%M", True: "%m/%d/%Y %H:%M"}
TIME_CHOICES = tuple(f"{h:02d}:{m:02d}" for h in range(7, 23) for m in (0, 30))
PREVIEW_LINES = 10
VK_GROUP_PLACEHOLDER = 1  # the plan has no VK community number: the file shows a placeholder to replace


def account_label(account_id: str, platform: str) -> str:
    """Human label of an account, e.g. ``Qazaq Coffee · Instagram`` (the id if the brand is unknown)."""
    for account in ACCOUNTS:
        if account.account_id == account_id:
            return f"{brand(account.brand_id).name} · {platform}"
    return f"{account_id} · {platform}"


def account_options(plan: pd.DataFrame) -> list[tuple[str, str]]:
    """Dropdown options ``(label, account_id)`` for every account of the plan, in plan order."""
    pairs = plan[["account_id", "platform"]].astype(str).drop_duplicates("account_id")
    return [(account_label(a, p), a) for a, p in pairs.itertuples(index=False)]


def _missing_time(plan: pd.DataFrame) -> pd.Series:
    times = plan["publish_time"].astype("string").str.strip()
    return times.isna() | times.eq("")


def build_upload(
    plan: pd.DataFrame,
    account_id: str,
    approved_only: bool = True,
    with_hashtags: bool = True,
    default_time: str = "12:00",
    month_first: bool = False,
) -> pd.DataFrame:
    """Rows of one account as a bulk-upload table (columns date, message, link), in plan order.

    Rows without a time get ``default_time``; ``month_first`` writes MM/DD/YYYY instead of DD/MM/YYYY.
    """
    rows = plan[plan["account_id"].astype(str) == account_id]
    if approved_only:
        rows = rows[rows["status"].astype(str) == APPROVED]
    times = rows["publish_time"].astype("string").str.strip().mask(_missing_time(rows), default_time)
    days = pd.to_datetime(rows["publish_date"]).dt.strftime("%Y-%m-%d")
    stamps = pd.to_datetime(days + " " + times, format="%Y-%m-%d %H:%M")
    message = rows["text"].astype("string")
    if with_hashtags:
        tags = rows["hashtags"].astype("string").fillna("").str.strip()
        message = message.where(tags.eq(""), message + "\n\n" + tags)
    out = pd.DataFrame(
        {
            "date": stamps.dt.strftime(DATE_FORMATS[month_first]),
            "message": message,
            "link": rows["link"].astype("string").fillna("").str.strip(),
        }
    )
    return out.reset_index(drop=True).astype(str)


def to_csv_text(upload: pd.DataFrame) -> str:
    """The upload table as CSV text the way the tool expects it: no header, no index."""
    if upload.empty:
        return ""
    return upload[["date", "message", "link"]].to_csv(header=False, index=False, lineterminator="\n")


def media_list(rows: pd.DataFrame) -> list[object] | None:
    """The ``media_file`` of each row (the list that accompanies a Hootsuite CSV), or ``None`` without the column."""
    return rows["media_file"].tolist() if "media_file" in rows.columns else None


@dataclass(frozen=True)
class UploadState:
    """What the preview shows for one choice of settings."""

    account_id: str
    platform: str
    upload: pd.DataFrame
    file_text: str  # Hootsuite CSV, or JSON requests in the platform's own format (Telegram, VK)
    route: str  # which tool and which format, in Russian
    not_approved: int
    time_filled: int
    off_plan_dates: int  # future dates outside the plan's period: accepted by the tool, posted on wrong days
    plan_period: tuple[str, str]
    problems: list[Problem]

    @property
    def rows(self) -> int:
        """Number of posts in the file."""
        return len(self.upload)

    @property
    def csv_text(self) -> str:
        """The file's text (kept under its old name; for Telegram and VK it is JSON, not CSV)."""
        return self.file_text


def upload_state(
    plan: pd.DataFrame,
    account_id: str,
    approved_only: bool = True,
    with_hashtags: bool = True,
    default_time: str = "12:00",
    month_first: bool = False,
) -> UploadState:
    """Build the file for one account and check it as the upload tool would."""
    mine = plan[plan["account_id"].astype(str) == account_id]
    approved = mine["status"].astype(str) == APPROVED
    kept = mine[approved] if approved_only else mine
    upload = build_upload(plan, account_id, approved_only, with_hashtags, default_time, month_first)
    platform = str(mine["platform"].iloc[0]) if len(mine) else ""
    plan_days = pd.to_datetime(plan["publish_date"]).dt.normalize()
    first, last = plan_days.min(), plan_days.max()
    hootsuite = platform not in load_facts() or publishes_to(HOOTSUITE, platform)
    if hootsuite:
        text = to_csv_text(upload)
        read_as = pd.to_datetime(upload["date"], format=DATE_FORMATS[False], errors="coerce")
        silent = read_as.notna() & (read_as > pd.Timestamp(STORY_NOW.replace(tzinfo=None)))
        off_plan = int((silent & ~read_as.dt.normalize().between(first, last)).sum())
        problems = check_hootsuite_csv(text, platform, media_files=media_list(kept)) if text else []
    else:
        text, problems = _own_format(kept, account_id, platform, default_time, with_hashtags)
        off_plan = 0  # dates are written as Unix time: no day/month confusion
    return UploadState(
        account_id=account_id,
        platform=platform,
        upload=upload,
        file_text=text,
        route=_route(platform),
        not_approved=int((~approved).sum()) if approved_only else 0,
        time_filled=int(_missing_time(kept).sum()),
        off_plan_dates=off_plan,
        plan_period=(f"{first:%d.%m.%Y}", f"{last:%d.%m.%Y}"),
        problems=problems,
    )


def _route(platform: str) -> str:
    """The Russian route sentence for the preview, with a warning where the file holds a placeholder."""
    if platform not in load_facts():
        return ""
    route = upload_route(platform)
    if platform == "VK":
        route += (f" Номер сообщества в файле условный (owner_id = −{VK_GROUP_PLACEHOLDER}): "
                  f"замените его на номер своего сообщества со знаком минус.")
    return route


def _own_format(
    rows: pd.DataFrame, account_id: str, platform: str, default_time: str, with_hashtags: bool
) -> tuple[str, list[Problem]]:
    """Telegram or VK posts as JSON requests in the platform's own scheduling format, and their problems."""
    if rows.empty:
        return "", []
    posts = plan_posts(rows, default_time=default_time, with_hashtags=with_hashtags)
    if platform == "VK":
        params = vk_wall_posts(posts, VK_GROUP_PLACEHOLDER)
        return to_json(params), check_vk_wall_posts(params)
    requests = telegram_schedule(posts, peer=f"@{account_id}")
    return to_json(requests), check_telegram_schedule(requests)


def render_html(state: UploadState, default_time: str) -> str:
    """The preview as HTML: the file's first lines, the counts and the problems."""
    lines = state.file_text.splitlines()
    head = "\n".join(lines[:PREVIEW_LINES])
    rest = len(lines) - PREVIEW_LINES
    if rest > 0:
        head += f"\n… ещё {plural(rest, 'строка', 'строки', 'строк')} текста"
    counts = [f"<b>Публикаций в файле:</b> {state.rows}"]
    if state.not_approved:
        counts.append(f"<b>пропущено:</b> {state.not_approved} (не утверждены)")
    if state.time_filled:
        counts.append(f"<b>время {default_time} подставлено:</b> {state.time_filled} (в плане пусто)")
    if state.problems:
        items = "".join(f"<li>{html.escape(str(p))}</li>" for p in state.problems)
        verdict = (f"<b style='color:#b00020'>Сервис отклонит файл: "
                   f"{plural(len(state.problems), 'проблема', 'проблемы', 'проблем')}</b>"
                   f"<ul>{items}</ul>")
    else:
        verdict = "<b style='color:#1b5e20'>Проблем не найдено: сервис примет файл.</b><br>"
    if state.off_plan_dates:
        start, end = state.plan_period
        posts = plural(state.off_plan_dates, "публикация", "публикации", "публикаций")
        verdict += (f"<b style='color:#b00020'>Внимание:</b> если в диалоге загрузки выбран формат "
                    f"ДД/ММ/ГГГГ, {posts} попадут на даты вне плана ({start}–{end}), "
                    f"и сервис не сочтёт это ошибкой.")
    kind = "JSON, UTF-8" if state.file_text.startswith(("[", "{")) else "без заголовка, UTF-8"
    route = f"<i>{html.escape(state.route)}</i><br>" if state.route else ""
    return (
        f"{route}<b>Первые строки файла</b> ({kind}):"
        f"<pre style='white-space:pre-wrap;max-height:22em;overflow:auto'>{html.escape(head)}</pre>"
        f"{' · '.join(counts)}<br>{verdict}"
    )


class UploadPreview(w.VBox):
    """Choose an account and upload settings; see the CSV text, the counts and what the tool would refuse."""

    def __init__(self, plan: pd.DataFrame) -> None:
        self._plan = plan
        style = {"description_width": "initial"}
        self.account = w.Dropdown(options=account_options(plan), description="Аккаунт:", style=style)
        self.date_format = w.ToggleButtons(
            options=[("ДД/ММ/ГГГГ", False), ("ММ/ДД/ГГГГ", True)], value=False,
            description="Формат даты:", style=style)
        self.approved_only = w.Checkbox(value=True, description="только утверждённые", indent=False)
        self.with_hashtags = w.Checkbox(value=True, description="добавить хештеги к тексту", indent=False)
        self.default_time = w.Dropdown(options=TIME_CHOICES, value="12:00",
                                       description="Время, если в плане пусто:", style=style)
        self.output = w.HTML()
        controls = (self.account, self.date_format, self.approved_only, self.with_hashtags, self.default_time)
        for control in controls:
            control.observe(self._update, names="value")
        super().__init__([
            w.HBox([self.account, self.default_time]),
            self.date_format,
            w.HBox([self.approved_only, self.with_hashtags]),
            self.output,
        ])
        self._update()

    @property
    def state(self) -> UploadState:
        """The state for the current control values."""
        return upload_state(self._plan, self.account.value, self.approved_only.value,
                            self.with_hashtags.value, self.default_time.value, self.date_format.value)

    def _update(self, *_: object) -> None:
        self.output.value = render_html(self.state, self.default_time.value)

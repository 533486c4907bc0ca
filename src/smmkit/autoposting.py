"""Uploads for autoposting, each through a tool that really publishes to the platform, and checks that read them.

Which tool publishes where, and every limit (caption, hashtags, media), comes from the dated platform facts
(:mod:`smmkit.platforms`, ``facts.yaml``); nothing here is a literal.

**Hootsuite** (Instagram, TikTok, Facebook, YouTube, Threads; not Telegram, not VK) takes a bulk-composer CSV:
no header, one row per post, columns ``date`` (``DD/MM/YYYY HH:MM`` with the day-first option of the upload
dialog), ``message``, ``link`` (optional); one file per social profile; at most the number of rows in the facts
(``tools.Hootsuite.max_rows``); times end in 0 or 5 minutes and lie in the future; a message that repeats another
(here also one that differs only by hashtags) is refused. The CSV has **no media column**: media are attached to
each post in the composer after the upload (sources: ``tools.Hootsuite`` in ``facts.yaml``; Hootsuite's own help
page for the format was not found, so the layout rests on secondary sources). That is why
:func:`check_hootsuite_csv` requires, for a platform that cannot publish without media, a list of media files
(one per row) to accompany the upload.

**Telegram and VK**: the tool listed first in the facts (SMMplanner, common in Kazakhstan) publishes to both, but
no file import format of it is published (checked 2026-12-02). So the upload is prepared in the platform's own
documented scheduling format, which any tool or a short script can send:

* Telegram: scheduled messages of the Telegram API, ``messages.sendMessage`` / ``messages.sendMedia`` with
  ``schedule_date`` (Unix time) — https://core.telegram.org/api/scheduled-messages. The Bot API cannot schedule.
* VK: ``wall.post`` with ``owner_id`` (minus the community id), ``from_group=1``, ``message``, ``publish_date``
  (Unix time) and ``attachments`` (a photo is uploaded first with ``photos.getWallUploadServer`` and
  ``photos.saveWallPhoto``) — https://dev.vk.com/method/wall.post.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from smmkit.data.universe import STORY_NOW, TIMEZONE
from smmkit.platforms import Platform, load_facts
from smmkit.russian import plural

HOOTSUITE = "Hootsuite"
DATE_FORMAT = "%d/%m/%Y %H:%M"
HOOTSUITE_MAX_ROWS: int = load_facts().tool(HOOTSUITE).fact("max_rows").value
HASHTAG = re.compile(r"#\w+")
"""A hashtag as platforms count them (the widgets count with the same pattern)."""
_CHARS = ("символ", "символа", "символов")
_TAGS = ("хештег", "хештега", "хештегов")
_ROWS = ("строка", "строки", "строк")


@dataclass(frozen=True)
class Problem:
    """One reason the upload would be refused: the row number (1-based, 0 = whole file) and the text."""

    row: int
    message: str

    def __str__(self) -> str:
        where = "файл" if self.row == 0 else f"строка {self.row}"
        return f"{where}: {self.message}"


# --- which tool publishes where ----------------------------------------------------------------------------


def _platform(platform: str) -> Platform:
    return load_facts()[platform]  # KeyError with a Russian message for an unknown platform


def publisher_for(platform: str) -> str:
    """The scheduling tool to use for ``platform``: the first tool the facts list as publishing to it.

    >>> publisher_for("Instagram"), publisher_for("Telegram"), publisher_for("VK")
    ('Hootsuite', 'SMMplanner', 'SMMplanner')
    """
    return _platform(platform).publishers[0]


def publishes_to(tool: str, platform: str) -> bool:
    """Whether ``tool`` publishes to ``platform`` according to the facts.

    >>> publishes_to("Hootsuite", "Instagram"), publishes_to("Hootsuite", "Telegram")
    (True, False)
    """
    return tool in _platform(platform).publishers


def upload_route(platform: str) -> str:
    """A Russian sentence for students: which tool to use for ``platform`` and in what format to prepare posts.

    >>> "Hootsuite" in upload_route("Instagram")
    True
    >>> "не опубликован" in upload_route("Telegram")
    True
    """
    tool = publisher_for(platform)
    if tool == HOOTSUITE:
        media = " Фото или видео прикладываются к каждому посту отдельно: в CSV их не указать." if _platform(
            platform).media_required else ""
        return f"{platform}: загрузка через Hootsuite, файл CSV (дата, текст, ссылка).{media}"
    api = {"Telegram": "отложенные сообщения Telegram API (schedule_date)",
           "VK": "метод VK API wall.post с publish_date"}.get(platform, "собственный API площадки")
    return (f"{platform}: Hootsuite сюда не публикует. Сервис — {tool}, но формат импорта файла у него "
            f"не опубликован, поэтому публикации готовятся в формате площадки: {api}.")


# --- Hootsuite bulk CSV -------------------------------------------------------------------------------------


def check_hootsuite_csv(
    source: str | Path,
    platform: str,
    now: datetime | None = None,
    media_files: Sequence[object] | None = None,
    media_root: str | Path | None = None,
) -> list[Problem]:
    """Read a Hootsuite bulk-upload CSV (path or text) as the tool would and list every problem (empty = accepted).

    ``now`` is the moment of the upload; by default the course story's "today" (1 March 2026, 09:00).
    ``media_files`` lists the photo or video of each row (paths such as ``media/qazaq_coffee/CP-001.jpg``;
    empty or NaN = none): required where the platform cannot publish without media, because the CSV has no
    media column. With ``media_root`` the files must also exist under it.
    A platform Hootsuite does not publish to (Telegram, VK) gets one problem that names the tool to use.

    >>> text = "05/03/2026 10:00,Новый раф в меню\\n05/03/2026 10:03,Тот же раф\\n"
    >>> for problem in check_hootsuite_csv(text, "Instagram", media_files=["media/a.jpg", ""]):
    ...     print(problem)
    строка 2: нет фото или видео: Instagram не публикует пост без медиафайла
    строка 2: время 10:03: минуты должны оканчиваться на 0 или 5
    >>> [str(p) for p in check_hootsuite_csv(text, "Telegram")][0][:40]
    'файл: Hootsuite не публикует в Telegram:'
    """
    if platform not in load_facts():
        known = ", ".join(load_facts().platforms)
        return [Problem(0, f"площадка «{platform}» неизвестна; известны: {known}")]
    if not publishes_to(HOOTSUITE, platform):
        return [Problem(0, f"Hootsuite не публикует в {platform}: загрузите эти публикации через "
                           f"{publisher_for(platform)} или отложенные публикации самой площадки")]
    text = _read(source)
    tz = ZoneInfo(TIMEZONE)
    now = _aware(now or STORY_NOW, tz)
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # blank lines at the end, as Excel leaves them
    if not rows:
        return [Problem(0, "файл пустой")]
    problems: list[Problem] = []
    if len(rows) > HOOTSUITE_MAX_ROWS:
        problems.append(Problem(0, f"{plural(len(rows), *_ROWS)}, а загрузить можно не больше {HOOTSUITE_MAX_ROWS}"))
    facts = _platform(platform)
    problems.extend(_check_media_list(media_files, len(rows), facts, media_root))
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        problems.extend(_check_row(number, row, facts, now, tz, seen))
    return sorted(problems, key=lambda p: p.row)  # the file first, then row by row (stable within a row)


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _read(source: str | Path) -> str:
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.lower().endswith((".csv", ".txt", ".json"))
    ):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"Файл {path} не найден: сначала сохраните его.")
        raw = path.read_bytes()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(f"Файл {path} не в кодировке UTF-8: сохраните его как «CSV UTF-8».") from None
    return str(source)


def _check_row(
    number: int, row: list[str], facts: Platform, now: datetime, tz: ZoneInfo, seen: dict[str, int]
) -> list[Problem]:
    out: list[Problem] = []
    if len(row) not in (2, 3):
        return [Problem(number, f"ожидается 2 или 3 столбца (дата, текст, ссылка), а их {len(row)}")]
    date_text, message = row[0].strip(), row[1]
    try:
        when = datetime.strptime(date_text, DATE_FORMAT).replace(tzinfo=tz)
    except ValueError:
        out.append(Problem(number, f"дата «{date_text}» не в формате ДД/ММ/ГГГГ ЧЧ:ММ"))
    else:
        if when.minute % 5:
            out.append(Problem(number, f"время {when:%H:%M}: минуты должны оканчиваться на 0 или 5"))
        if when <= now:
            out.append(Problem(number, f"время {when:%d.%m.%Y %H:%M} уже прошло"))
    if not message.strip():
        out.append(Problem(number, "пустой текст публикации"))
    out.extend(Problem(number, m) for m in caption_problems(message, facts.name))
    key = " ".join(HASHTAG.sub("", message).split())  # the same caption with other hashtags is still a repeat
    if key in seen:
        out.append(Problem(number, f"текст повторяет строку {seen[key]}"))
    else:
        seen[key] = number
    if len(row) == 3 and row[2].strip() and not row[2].strip().startswith(("http://", "https://")):
        out.append(Problem(number, f"ссылка «{row[2]}» должна начинаться с http:// или https://"))
    return out


def caption_problems(message: str, platform: str, limit: int | None = None) -> list[str]:
    """Russian problems of one caption against the platform's API caption limit and hashtag limit.

    ``limit`` overrides the caption limit (e.g. Telegram's shorter caption under a photo).

    >>> problems = caption_problems("Кофе " + " ".join(f"#тег{i}" for i in range(32)), "Instagram")
    >>> problems == [f"32 хештега, а Instagram допускает не больше {load_facts()['Instagram'].hashtag_limit}"]
    True
    >>> caption_problems("Кофе #утро", "Instagram")
    []
    """
    facts = _platform(platform)
    out = []
    limit = facts.caption_limit_api if limit is None else limit
    if len(message) > limit:
        out.append(f"текст — {plural(len(message), *_CHARS)}, а {platform} через API принимает не больше {limit}")
    tags = len(HASHTAG.findall(message))
    if facts.hashtag_limit is not None and tags > facts.hashtag_limit:
        out.append(f"{plural(tags, *_TAGS)}, а {platform} допускает не больше {facts.hashtag_limit}")
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip()


def media_problems(media_file: object, platform: str, media_root: str | Path | None = None) -> list[str]:
    """Russian problems of one post's media file: missing where media is required, wrong type, file not found.

    >>> media_problems("", "Instagram")
    ['нет фото или видео: Instagram не публикует пост без медиафайла']
    >>> media_problems("media/qazaq_coffee/CP-001.jpg", "Instagram")
    []
    >>> media_problems(float("nan"), "Telegram")
    []
    """
    facts = _platform(platform)
    if _missing(media_file):
        return [f"нет фото или видео: {platform} не публикует пост без медиафайла"] if facts.media_required else []
    path = str(media_file).strip()
    out = []
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower().lstrip(".")
    if facts.media_formats and suffix not in facts.media_formats:
        allowed = ", ".join(facts.media_formats)
        out.append(f"файл «{path}»: {platform} принимает файлы {allowed}")
    if media_root is not None and not (Path(media_root) / path).is_file():
        out.append(f"файл «{path}» не найден в папке {media_root}")
    return out


def _check_media_list(
    media_files: Sequence[object] | None, rows: int, facts: Platform, media_root: str | Path | None
) -> list[Problem]:
    if media_files is None:
        if not facts.media_required:
            return []
        return [Problem(0, f"{facts.name} не публикует пост без фото или видео, а в CSV Hootsuite медиафайл "
                           f"указать нельзя: приложите к загрузке список медиафайлов, по одному на строку")]
    files = list(media_files)
    if len(files) != rows:
        return [Problem(0, f"в файле {plural(rows, *_ROWS)}, а медиафайлов в списке {len(files)}: "
                           f"нужно по одному на строку (пустой, если фото нет)")]
    return [Problem(i, m) for i, f in enumerate(files, start=1) for m in media_problems(f, facts.name, media_root)]


# --- posts from a content plan ------------------------------------------------------------------------------


def plan_posts(plan: pd.DataFrame, default_time: str | None = None, with_hashtags: bool = True) -> pd.DataFrame:
    """The posts of a (filtered) content plan: ``item_id``, ``when`` (aware, Asia/Almaty), ``message``, ``link``,
    ``media_file``; in plan order. ``message`` is the text with the hashtags after a blank line.

    Rows without a time get ``default_time``; without one, a Russian error lists them.

    >>> plan = pd.DataFrame({"item_id": ["CP-1"], "publish_date": ["2026-03-05"], "publish_time": ["10:00"],
    ...                      "text": ["Новый раф"], "hashtags": ["#кофе"]})
    >>> post = plan_posts(plan).iloc[0]
    >>> str(post["when"]), post["message"]
    ('2026-03-05 10:00:00+05:00', 'Новый раф\\n\\n#кофе')
    """
    missing = [c for c in ("item_id", "publish_date", "publish_time", "text") if c not in plan.columns]
    if missing:
        raise ValueError(f"В контент-плане нет столбцов {', '.join(missing)}: проверьте заголовки таблицы.")
    times = plan["publish_time"].astype("string").str.strip()
    empty = times.isna() | times.eq("")
    if empty.any() and default_time is None:
        ids = ", ".join(plan.loc[empty, "item_id"].astype(str))
        raise ValueError(f"Нет времени публикации в строках {ids}: заполните его или передайте default_time.")
    times = times.mask(empty, default_time or "")
    days = pd.to_datetime(plan["publish_date"]).dt.strftime("%Y-%m-%d")
    when = pd.to_datetime(days + " " + times, format="%Y-%m-%d %H:%M").dt.tz_localize(TIMEZONE)
    message = plan["text"].astype("string").fillna("").str.strip()
    if with_hashtags and "hashtags" in plan.columns:
        tags = plan["hashtags"].astype("string").fillna("").str.strip()
        message = message.where(tags.eq(""), message + "\n\n" + tags)
    column = {c: (plan[c].astype("string").fillna("").str.strip() if c in plan.columns else "")
              for c in ("link", "media_file")}
    out = pd.DataFrame({"item_id": plan["item_id"].astype(str), "when": when, "message": message,
                        "link": column["link"], "media_file": column["media_file"]})
    return out.reset_index(drop=True)


def _with_link(message: str, link: str) -> str:
    return message if not link or link in message else f"{message}\n\n{link}"


# --- Telegram: scheduled messages of the Telegram API -------------------------------------------------------


def telegram_schedule(posts: pd.DataFrame, peer: str) -> list[dict[str, Any]]:
    """Posts as Telegram API scheduled messages: one request per post, ``messages.sendMedia`` when there is a
    media file (to upload as the photo or video), else ``messages.sendMessage``; the link goes into the text
    (links are clickable in Telegram). ``posts`` comes from :func:`plan_posts`; ``peer`` is the channel
    (``@name``).

    >>> plan = pd.DataFrame({"item_id": ["CP-1"], "publish_date": ["2026-03-05"], "publish_time": ["10:00"],
    ...                      "text": ["Новый раф"], "media_file": ["media/qazaq_coffee/CP-1.jpg"]})
    >>> request = telegram_schedule(plan_posts(plan), "@qazaqcoffee")[0]
    >>> request["method"], request["schedule_date"]
    ('messages.sendMedia', 1772686800)
    >>> check_telegram_schedule([request])
    []
    """
    out = []
    for post in posts.itertuples(index=False):
        media = "" if _missing(post.media_file) else str(post.media_file)
        out.append({
            "method": "messages.sendMedia" if media else "messages.sendMessage",
            "peer": peer,
            "message": _with_link(post.message, post.link),
            "schedule_date": int(post.when.timestamp()),
            "media_file": media,
            "item_id": post.item_id,
        })
    return out


def check_telegram_schedule(
    requests: Iterable[dict[str, Any]], now: datetime | None = None, media_root: str | Path | None = None
) -> list[Problem]:
    """Check Telegram scheduled messages (from :func:`telegram_schedule`); rows are numbered from 1.

    The time must lie in the future and not too far ahead; a text message and a caption under a photo have
    different limits (both in the facts).
    """
    facts = _platform("Telegram")
    now = _aware(now or STORY_NOW, ZoneInfo(TIMEZONE))
    horizon = now + timedelta(days=int(facts.media_spec("schedule_max_days")))
    problems: list[Problem] = []
    for number, req in enumerate(requests, start=1):
        when = datetime.fromtimestamp(int(req["schedule_date"]), ZoneInfo(TIMEZONE))
        if when <= now:
            problems.append(Problem(number, f"время {when:%d.%m.%Y %H:%M} уже прошло"))
        elif when > horizon:
            days = plural(int(facts.media_spec("schedule_max_days")), "день", "дня", "дней")
            problems.append(Problem(number, f"время {when:%d.%m.%Y} дальше чем через {days}"))
        media = req.get("media_file", "")
        text = str(req.get("message", ""))
        if not text.strip() and _missing(media):
            problems.append(Problem(number, "пустое сообщение без фото"))
        limit = None if _missing(media) else int(facts.media_spec("caption_with_media"))
        for message in caption_problems(text, "Telegram", limit):
            problems.append(Problem(number, message + (" под фото или видео" if limit else "")))
        problems.extend(Problem(number, m) for m in media_problems(media, "Telegram", media_root))
    return problems


# --- VK: wall.post with publish_date ------------------------------------------------------------------------


def vk_wall_posts(posts: pd.DataFrame, group_id: int) -> list[dict[str, Any]]:
    """Posts as VK API ``wall.post`` parameters of a community: ``owner_id`` = −group id, ``from_group`` = 1,
    ``message`` (with the link: links are clickable in VK), ``publish_date`` (Unix time), ``attachments``
    (empty until the ``media_file`` is uploaded with ``photos.getWallUploadServer`` / ``photos.saveWallPhoto``).

    >>> plan = pd.DataFrame({"item_id": ["CP-1"], "publish_date": ["2026-03-05"], "publish_time": ["10:00"],
    ...                      "text": ["Новый раф"], "link": ["https://qazaqcoffee.kz"]})
    >>> params = vk_wall_posts(plan_posts(plan), group_id=123)[0]
    >>> params["owner_id"], params["publish_date"], params["message"]
    (-123, 1772686800, 'Новый раф\\n\\nhttps://qazaqcoffee.kz')
    >>> check_vk_wall_posts([params])
    []
    """
    if not isinstance(group_id, int) or isinstance(group_id, bool) or group_id == 0:
        raise ValueError(f"Номер сообщества ВКонтакте должен быть целым числом, а получено {group_id!r}.")
    return [
        {
            "owner_id": -abs(group_id),
            "from_group": 1,
            "message": _with_link(post.message, post.link),
            "publish_date": int(post.when.timestamp()),
            "attachments": "",
            "media_file": "" if _missing(post.media_file) else str(post.media_file),
            "item_id": post.item_id,
        }
        for post in posts.itertuples(index=False)
    ]


def check_vk_wall_posts(
    params: Iterable[dict[str, Any]], now: datetime | None = None, media_root: str | Path | None = None
) -> list[Problem]:
    """Check ``wall.post`` parameters (from :func:`vk_wall_posts`); rows are numbered from 1."""
    now = _aware(now or STORY_NOW, ZoneInfo(TIMEZONE))
    problems: list[Problem] = []
    for number, post in enumerate(params, start=1):
        if int(post.get("owner_id", 0)) >= 0:
            problems.append(Problem(number, "owner_id сообщества пишется со знаком минус, а from_group = 1"))
        when = datetime.fromtimestamp(int(post["publish_date"]), ZoneInfo(TIMEZONE))
        if when <= now:
            problems.append(Problem(number, f"время {when:%d.%m.%Y %H:%M} уже прошло"))
        media = post.get("media_file", "")
        text = str(post.get("message", ""))
        if not text.strip() and _missing(media) and not post.get("attachments"):
            problems.append(Problem(number, "нужен текст или вложение (wall.post не примет пустой пост)"))
        problems.extend(Problem(number, m) for m in caption_problems(text, "VK"))
        problems.extend(Problem(number, m) for m in media_problems(media, "VK", media_root))
    return problems


def to_json(requests: Iterable[dict[str, Any]]) -> str:
    """Requests as indented JSON text (UTF-8, Cyrillic kept readable), e.g. to save next to the media files."""
    return json.dumps(list(requests), ensure_ascii=False, indent=1)


__all__ = [
    "DATE_FORMAT",
    "HOOTSUITE",
    "HOOTSUITE_MAX_ROWS",
    "Problem",
    "caption_problems",
    "check_hootsuite_csv",
    "check_telegram_schedule",
    "check_vk_wall_posts",
    "media_problems",
    "plan_posts",
    "publisher_for",
    "publishes_to",
    "telegram_schedule",
    "to_json",
    "upload_route",
    "vk_wall_posts",
]

"""Bulk-upload files for autoposting tools, and a check that reads them the way the tool would.

The format is Hootsuite's bulk composer CSV: no header, one row per post, columns
``date`` (``DD/MM/YYYY HH:MM``, the day-first option of the upload dialog), ``message``, ``link``
(optional). One file is uploaded per social profile. The tool rejects a file with more than 350 rows;
times must end in 0 or 5 minutes and lie in the future; two identical messages are refused (here a message
that repeats another but for its hashtags counts as a repeat too: platforms treat it as spam).
Platform limits used here: Instagram captions 2,200 characters and 30 hashtags; TikTok captions
2,200 characters; Telegram messages 4,096 characters (1,024 under a photo).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from smmkit.data.universe import STORY_NOW, TIMEZONE

HOOTSUITE_MAX_ROWS = 350
DATE_FORMAT = "%d/%m/%Y %H:%M"
TEXT_LIMITS = {"Instagram": 2200, "TikTok": 2200, "Telegram": 4096, "VK": 16384, "Facebook": 63206}
HASHTAG_LIMITS = {"Instagram": 30}
_HASHTAG = re.compile(r"#\w+")


@dataclass(frozen=True)
class Problem:
    """One reason the upload would be refused: the row number (1-based, 0 = whole file) and the text."""

    row: int
    message: str

    def __str__(self) -> str:
        where = "файл" if self.row == 0 else f"строка {self.row}"
        return f"{where}: {self.message}"


def check_hootsuite_csv(source: str | Path, platform: str, now: datetime | None = None) -> list[Problem]:
    """Read a bulk-upload CSV (path or text) as the tool would and list every problem (empty = accepted).

    ``now`` is the moment of the upload; by default the course story's "today" (1 March 2026, 09:00).
    """
    text = _read(source)
    tz = ZoneInfo(TIMEZONE)
    now = now or STORY_NOW
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # blank lines at the end, as Excel leaves them
    problems: list[Problem] = []
    if not rows:
        return [Problem(0, "файл пустой")]
    if len(rows) > HOOTSUITE_MAX_ROWS:
        problems.append(Problem(0, f"{len(rows)} строк, а загрузить можно не больше {HOOTSUITE_MAX_ROWS}"))
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        problems.extend(_check_row(number, row, platform, now, tz, seen))
    return problems


def _read(source: str | Path) -> str:
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.lower().endswith((".csv", ".txt"))
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
    number: int, row: list[str], platform: str, now: datetime, tz: ZoneInfo, seen: dict[str, int]
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
    limit = TEXT_LIMITS.get(platform)
    if limit and len(message) > limit:
        out.append(Problem(number, f"текст длиннее {limit} символов ({len(message)}), предел {platform}"))
    tag_limit = HASHTAG_LIMITS.get(platform)
    tags = len(_HASHTAG.findall(message))
    if tag_limit and tags > tag_limit:
        out.append(Problem(number, f"{tags} хештегов, а {platform} допускает не больше {tag_limit}"))
    key = " ".join(_HASHTAG.sub("", message).split())  # the same caption with other hashtags is still a repeat
    if key in seen:
        out.append(Problem(number, f"текст повторяет строку {seen[key]}"))
    else:
        seen[key] = number
    if len(row) == 3 and row[2].strip() and not row[2].strip().startswith(("http://", "https://")):
        out.append(Problem(number, f"ссылка «{row[2]}» должна начинаться с http:// или https://"))
    return out

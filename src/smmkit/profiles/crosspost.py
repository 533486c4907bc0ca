"""Cross-posting helpers (lesson 04.04): the longest caption a post may keep on another platform, its UTM source,
the aspect ratio of each format's media (from the dated media specs, as ``crosspost.yaml`` names them) and
:func:`adapt`, which adapts a post to a platform and reports what cannot be adapted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from math import gcd
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml


def caption_max(platform: str, has_media: bool) -> int:
    """The longest caption when a post moves to ``platform``: the platform's API limit (Telegram under a photo or
    video: ``caption_with_media``) or the house maximum of ``text_rules.yaml``, whichever is smaller.

    >>> caption_max("TikTok", True), caption_max("Telegram", True), caption_max("Instagram", True)
    (150, 1000, 1000)
    """
    from smmkit.analysis.texts import load_text_rules
    from smmkit.platforms import load_facts

    facts = load_facts()[platform]
    limit = facts.caption_limit_api
    if has_media and facts.media_spec("caption_with_media") is not None:
        limit = min(limit, int(facts.media_spec("caption_with_media")))
    return min(limit, int(load_text_rules()["length"][platform]["max"]))


def with_source(url: str, platform: str) -> str:
    """``url`` with ``utm_source`` set to ``platform`` in lower case (added if missing), other tags kept in order.

    >>> with_source("https://qazaqcoffee.kz/menu?utm_source=instagram&utm_medium=social", "TikTok")
    'https://qazaqcoffee.kz/menu?utm_source=tiktok&utm_medium=social'
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | {"utm_source": platform.lower()}
    return urlunsplit(parts._replace(query=urlencode(query)))


# --------------------------------------------------------------------------- media and the whole adaptation

CROSSPOST_PATH = Path(__file__).with_name("crosspost.yaml")


@cache
def _conventions() -> dict[str, Any]:
    return yaml.safe_load(CROSSPOST_PATH.read_text(encoding="utf-8"))


def ratio_of(width: int, height: int) -> str:
    """The aspect ratio ``width:height`` in lowest terms, as the facts file writes it.

    >>> ratio_of(640, 480), ratio_of(300, 200)
    ('4:3', '3:2')
    """
    d = gcd(width, height)
    return f"{width // d}:{height // d}"


def design_size(fmt: str) -> tuple[int, int] | None:
    """The size in pixels the brand's designer delivers for a format of the plan (``None``: a text post), read
    from the recommended sizes of ``media_specs.yaml`` as ``crosspost.yaml`` names them.

    >>> from smmkit.platforms.media_specs import load_media_specs
    >>> design_size("Reels") == load_media_specs().size("Instagram", "vertical"), design_size("Текст")
    (True, None)
    """
    from smmkit.platforms.media_specs import load_media_specs

    by_format = _conventions()["design_size_by_format"]
    if fmt not in by_format:
        raise KeyError(f"Формата «{fmt}» нет в crosspost.yaml. Есть: {', '.join(by_format)}.")
    spec = by_format[fmt]
    return None if spec is None else load_media_specs().size(spec["platform"], spec["size"])


def aspect_by_format() -> dict[str, str | None]:
    """The aspect ratio of each format's media (``None``: no media), computed from :func:`design_size`.

    >>> aspects = aspect_by_format()
    >>> aspects["Reels"] == aspects["Видео"], aspects["Фото"] == aspects["Карусель"], aspects["Текст"]
    (True, True, None)
    """
    return {fmt: None if (size := design_size(fmt)) is None else ratio_of(*size)
            for fmt in _conventions()["design_size_by_format"]}


@dataclass(frozen=True)
class Adapted:
    """A post adapted to one platform: the caption to publish and what could not be adapted (Russian)."""

    platform: str
    text: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Nothing is left for a person to fix."""
        return not self.problems


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def adapt(post: Mapping[str, Any], platform: str, handles: Mapping[str, str] | None = None) -> Adapted:
    """Adapt one post of the content plan (``platform``, ``format``, ``text``, ``hashtags``, ``utm_link``,
    ``media_file``) to ``platform``, as lesson 04.04 does by hand:

    - the text (without the link line and the hashtags added after it) is cut by sentences, middle first, keeping
      the hook (first) and the CTA (last), down to :func:`caption_max`; the brand's mention of the source platform
      becomes its handle on ``platform`` (``handles``: platform → handle);
    - all hashtags of the caption — those already in the (cut) text and those added from ``hashtags`` — stay
      within the upper bound of ``hashtag_range(platform)`` (the rule of assignment a04, Q4): the first added tags
      are kept while there is room, and the report says so when some had to be dropped, or when the text itself
      has more than the platform allows (the text is the author's: hashtags in it are not removed);
    - the link gets ``utm_source`` of ``platform``; where links are not clickable the caption says the link is in
      the profile;
    - reported, not fixed: a text that does not fit, too few hashtags (in the whole caption), no media where the
      platform needs it, an aspect ratio (of :func:`aspect_by_format`) the platform does not accept (facts.yaml
      ``aspect_ratios``).

    >>> from smmkit.analysis.texts import hashtag_range, hashtags
    >>> high = hashtag_range("Telegram")[1]
    >>> post = {"platform": "Instagram", "format": "Текст", "text": "Раф с мёдом #наурыз.",
    ...         "hashtags": "#qazaqcoffee #раф #алматы"}
    >>> out = adapt(post, "Telegram")
    >>> out.text, hashtags(out.text) == ["#наурыз", *hashtags(post["hashtags"])[:high - 1]]
    ('Раф с мёдом #наурыз. #qazaqcoffee', True)
    >>> out.problems
    ('хештегов в подписи было бы 4 (в тексте 1), можно не больше 2: из добавленных убрано 2',)
    >>> over = adapt(post | {"text": "Раф #a1 #b2 #c3."}, "Telegram")
    >>> over.text, over.problems
    ('Раф #a1 #b2 #c3.', ('в самом тексте хештегов 3, можно не больше 2: уберите лишние из текста',))
    """
    from smmkit.analysis.texts import caption_length, hashtag_range, hashtags, sentences
    from smmkit.platforms import load_facts

    facts, messages = load_facts()[platform], _conventions()["problems"]
    problems: list[str] = []
    media = _str(post.get("media_file")) is not None
    limit = caption_max(platform, media)
    parts = sentences(_str(post.get("text")) or "")
    while len(parts) > 2 and caption_length(" ".join(parts)) > limit:
        parts = parts[:1] + parts[2:]
    text = " ".join(parts)
    handles = {} if handles is None else dict(handles)
    if post.get("platform") in handles and platform in handles:
        text = text.replace(handles[post["platform"]], handles[platform])
    if caption_length(text) > limit:
        problems.append(messages["too_long"].format(limit=limit))
    low, high = hashtag_range(platform)
    tags, own = hashtags(_str(post.get("hashtags")) or ""), len(hashtags(text))
    room = max(0, high - own)                        # never negative: [:-1] would take tags from the end
    if own > high:
        problems.append(messages["text_hashtags"].format(own=own, high=high))
    elif own + len(tags) > high:
        problems.append(messages["many_hashtags"].format(count=own + len(tags), own=own, high=high,
                                                         dropped=len(tags) - room))
    if own + min(len(tags), room) < low:
        problems.append(messages["few_hashtags"].format(count=own + min(len(tags), room), low=low))
    link = _str(post.get("utm_link"))
    if link is not None:
        text += " " + (with_source(link, platform) if facts.link_clickable else _conventions()["link_in_profile"])
    if facts.media_required and not media:
        problems.append(messages["no_media"])
    aspect = aspect_by_format().get(_str(post.get("format")) or "")
    accepted = facts.media_spec("aspect_ratios")
    if media and aspect and accepted and aspect not in accepted:
        problems.append(messages["aspect"].format(aspect=aspect, accepted=", ".join(accepted)))
    return Adapted(platform, " ".join([text.strip(), *tags[:room]]).strip(), tuple(problems))

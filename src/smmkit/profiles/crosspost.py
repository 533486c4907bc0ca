"""Cross-posting helpers: the longest caption a post may keep on another platform, and its UTM source."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


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

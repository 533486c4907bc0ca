"""smmkit.profiles.crosspost.adapt follows a04 Q4's hashtag rule: every hashtag of the caption counts."""

from __future__ import annotations

import pytest

from smmkit.analysis.texts import hashtag_range, hashtags
from smmkit.profiles.crosspost import _conventions, adapt

PLATFORMS = ["Instagram", "Telegram", "TikTok", "Facebook"]


def _post(text: str, tags: str) -> dict[str, str]:
    return {"platform": "Instagram", "format": "Текст", "text": text, "hashtags": tags}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_texts_own_hashtags_count_against_the_top(platform: str) -> None:
    """The old adapt added ``top`` tags after a text that already had hashtags (``own + top`` in the caption)."""
    top = hashtag_range(platform)[1]
    messages = _conventions()["problems"]
    many, in_text = messages["many_hashtags"].split("{")[0], messages["text_hashtags"].split("{")[0]
    for own in range(top + 3):
        text = "Раф с мёдом " + " ".join(f"#свой{i}" for i in range(own)) + "."
        tags = " ".join(f"#тег{i}" for i in range(top + 1))
        out = adapt(_post(text, tags), platform)
        room = max(0, top - own)
        assert hashtags(out.text) == hashtags(text) + hashtags(tags)[:room]
        assert len(hashtags(out.text)) == max(own, top)
        assert any(p.startswith(in_text) for p in out.problems) == (own > top)
        assert any(p.startswith(many) for p in out.problems) == (own <= top)  # top + 1 tags never all fit


@pytest.mark.parametrize("platform", PLATFORMS)
def test_exactly_at_the_top_nothing_is_reported(platform: str) -> None:
    top = hashtag_range(platform)[1]
    if top < 1:
        pytest.skip("no room for a hashtag in the text")
    out = adapt(_post("Раф #свой.", " ".join(f"#тег{i}" for i in range(top - 1))), platform)
    assert len(hashtags(out.text)) == top and not any("хештег" in p for p in out.problems)


def test_too_few_counts_the_whole_caption() -> None:
    """A text with its own hashtags needs fewer added ones to reach the platform's lower bound."""
    low = hashtag_range("Instagram")[0]
    assert low >= 2
    text = "Раф с мёдом " + " ".join(f"#свой{i}" for i in range(low - 1)) + "."
    assert not any("хештегов" in p for p in adapt(_post(text, "#qazaqcoffee"), "Instagram").problems)
    few = adapt(_post(text, ""), "Instagram").problems
    assert any(p.startswith(f"хештегов {low - 1}, нужно от {low}") for p in few)

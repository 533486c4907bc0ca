"""a05's visible checks catch the traps through nbgrader's own validation; the files its answers write stay in the
assignment folder.

As ``tests/test_a03_traps.py``: that each single typical mistake of ``tests/submissions/a05-content.yaml`` shows
its Russian hint under the test cell it loses points on is checked on the grading invariant's autograded notebooks
(``test_grading_invariant.test_each_trap_shows_its_hint_where_it_loses_points``). Here, through ``nbgrader
validate`` itself: the combined submission (several mistakes at once, cascading as in a student's own run) must
fail and show its hint, uncut, and no bare exception; the correct answers typed into the student version, and
other right ways to write them, must validate. ``nbgrader validate`` exits 0 either way, so its output is read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from validate_traps import (
    assert_fails_with_its_hint,
    combined,
    long_hint_lines,
    malformed_submissions,
    master_answers,
    quoted_points,
    spec,
    validate_correct_and_combined,
)

from smmkit.notebooks import read

ROOT = Path(__file__).resolve().parents[1]
A = "a05-content"
SPEC = spec(A)
NAMES = [s["name"] for s in SPEC["submissions"]]
COMBINED = combined(SPEC)
TEST_CELLS = {f"{q}-tests" for q in ("q1-formats", "q2-photos", "q3-reels", "q4-image", "q5-video", "q6-trend")}
NOTE = ("Подготовила карусель из фото Astana Fit: портрет 4:5 вокруг главного, сжатие до 135 КБ. "
        "Аватар тренера маленький — не растягивала, запросила исходник.")


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _master_cells() -> dict[str, str]:
    return {c["metadata"].get("nbgrader", {}).get("grade_id"): _source(c)
            for c in read(ROOT / "solutions" / A / f"{A}.ipynb")["cells"]}


CORRECT_VARIANTS = {  # other right answers: the course's helpers, Image.save with a path, idxmax, months as periods
    # turned into strings (the prompt asks for a string), between() for inclusive limits, reel_ok from the frame
    # count over the rate of src (the same quantity as probe's duration: not a mistake)
    "q1-formats": """feb = posts[posts["published_at_utc"] >= SINCE].copy()
feb["err"] = feb[["likes", "comments", "shares", "saves"]].sum(axis=1) / feb["reach"]
feb["reach_rate"] = feb["reach"] / feb["followers"]
formats = feb.groupby(["account_id", "format"], observed=True).agg(
    posts=("post_id", "count"), err=("err", "median"), reach_rate=("reach_rate", "median")).reset_index()
formats["enough"] = formats["posts"] >= MIN_POSTS
enough = formats[formats["enough"]]
best_format = dict(zip(enough.loc[enough.groupby("account_id")["err"].idxmax(), "account_id"],
                       enough.loc[enough.groupby("account_id")["err"].idxmax(), "format"]))
""",
    "q2-photos": """lib["ratio"] = lib["width"] / lib["height"]
feed = lib.query("platform == 'Instagram' and kind == 'фото'")
lo, hi = ms.value("Instagram", "feed_ratio_min"), ms.value("Instagram", "feed_ratio_max")
ok = feed["ratio"].between(lo, hi) & (feed["width"] >= ig_facts.media_spec("min_width_px")) & (
    feed["bytes"] <= ig_facts.media_spec("image_max_mb") * 10**6)
bad_photos = sorted(feed.loc[~ok, "asset_id"].tolist())
""",
    "q3-reels": """reels = lib.query("format == 'Reels'")
zone = ms.safe_zone("Instagram")
inside = reels.apply(lambda r: zone.contains(r["focus_x"], r["focus_y"]), axis=1)
low, high = ig_facts.media_spec("reel_min_seconds"), ig_facts.media_spec("reel_max_seconds")
length_ok = reels["duration_s"].between(low, high)
bad_reels = sorted(reels.loc[~(length_ok & (reels["width"] < reels["height"]) & inside), "asset_id"])
""",
    "q4-image": """from smmkit.media.photo import jpeg_under

width, height = ms.size("Instagram", "feed_portrait")
feed_box = crop_box(photo.size, width / height, (row71["focus_x"], row71["focus_y"]))
feed_photo = photo.crop(feed_box)
feed_photo.thumbnail((width, height))
data, feed_quality = jpeg_under(feed_photo, LIMIT)
feed_photo.save(OUT / "M071_feed.jpg", quality=feed_quality)
small = feed_photo.resize(PREVIEW, Image.Resampling.LANCZOS)
data, preview_quality = jpeg_under(small, PREVIEW_LIMIT)
(OUT / "M071_preview.jpg").write_bytes(data)
""",
    "q5-video": """fps = probe(src)["fps"]
trimmed = [img for t, img in read_frames(src) if START <= t < END]
vw, vh = ms.size("Instagram", "vertical")
left, top, right, bottom = crop_box(trimmed[0].size, vw / vh, (row63["focus_x"], row63["focus_y"]))
box = (left, top, left + (right - left) // 2 * 2, top + (bottom - top) // 2 * 2)
write_frames(OUT / "M063_reel.mp4", [img.crop(box) for img in trimmed], fps=fps)
reel_info = probe(OUT / "M063_reel.mp4")
seconds = len(trimmed) / fps  # the frame count over the rate of src: the same duration as reel_info's
reel_ok = ig_facts.media_spec("reel_min_seconds") <= seconds <= ig_facts.media_spec("reel_max_seconds")
""",
    "q6-trend": """counts = posts.groupby(["platform", "format"], observed=True).size()
format_share = counts / counts.groupby(level="platform").transform("sum")
ig_posts = posts[posts["platform"] == "Instagram"].copy()
local = ig_posts["published_at_utc"].dt.tz_convert("Asia/Almaty").dt.tz_localize(None)
ig_posts["month"] = local.dt.to_period("M").astype(str)
reels_share = ig_posts.groupby("month")["format"].apply(lambda f: (f == "Reels").mean())
""",
}


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> dict[str, str]:
    """``nbgrader validate`` output per notebook: the combined submissions and the correct answers ("correct")."""
    return validate_correct_and_combined(A, SPEC, master_answers(A, {"q7-note": NOTE}),
                                         tmp_path_factory.mktemp("a05-validate"),
                                         variants={"correct-variants": CORRECT_VARIANTS})


@pytest.mark.parametrize("name", ["correct", "correct-variants"])
def test_correct_answers_validate(validated, name) -> None:
    assert validated[name].startswith("Success!"), validated[name][-3000:]


@pytest.mark.parametrize("name", COMBINED)
def test_combined_mistakes_fail_validation_with_hints(validated, name) -> None:
    assert_fails_with_its_hint(SPEC, validated, name, uncut=True)


def test_every_submission_is_well_formed() -> None:
    problems = malformed_submissions(SPEC, TEST_CELLS)
    assert not problems, "\n".join(problems)
    for trap in ("q1-impressions-base", "q1-mean", "q1-min-posts-off-by-one", "q2-mib", "q2-height-over-width",
                 "q3-max-only", "q3-no-safe-zone", "q4-centre-crop", "q4-upscale", "q4-kib", "q5-end-off-by-one",
                 "q5-start-excluded", "q1-followers-base", "q4-no-compression", "q4-quality-step-off-by-one",
                 "q5-wrong-fps", "q2-ratio-max-off-by-one", "q2-ratio-rounded", "q2-width-off-by-one",
                 "q2-height-not-width", "q2-bytes-off-by-one", "q2-mb-rounded", "q3-duration-off-by-one",
                 "q3-min-only", "q3-square-vertical", "q3-safe-zone-strict", "q5-reel-ok-strict",
                 "q5-reel-ok-library-fps", "q1-best-tuple", "q2-no-size", "q3-tiktok-zone", "q4-default-quality",
                 "q5-library-size", "q5-lesson-size", "q1-utc-month",
                 "q4-limit-off-by-one", "q3-max-from-memory",
                 "q1-instagram-only", "q1-pooled-err", "q1-reach-rate-mean", "q1-pooled-reach-rate",
                 "q1-best-by-reach", "q1-best-by-total-reach", "q1-ig-table", "q1-posts-overwritten",
                 "q1-reach-rate-er", "q1-reach-rate-inverted", "q1-best-by-er", "q1-min-posts-from-memory",
                 "q2-min-width-from-memory", "q3-series-no-index", "q4-preview-from-saved-file",
                 "q5-reel-min-from-memory", "q6-reels-from-feb",
                 "q6-reels-percent", "q4-limit-overwritten-kib", "q4-resize-not-crop", "q4-thumbnail-whole-photo",
                 "q4-feed-too-small", "q4-preview-in-place", "q5-start-end-overwritten", "q5-src-overwritten",
                 "q5-frames-resized", "q6-minutes-format", "q6-month-shifted", "q6-platform-within-format",
                 "q6-month-period", "q2-lib-overwritten"):  # the traps the lessons 05.01–05.04 warn about
        #                                                     and the ones the student trial fell into
        assert trap in NAMES
    for cell in TEST_CELLS:  # every question has an off-by-one or a trap of its own
        assert any(cell in s["expected"] and len(s["expected"]) == 1 for s in SPEC["submissions"]), cell


# --- the data still tell the traps apart ------------------------------------------------------------------------


def test_february_tells_question_1_traps_apart() -> None:
    """Question 1's off-by-one and small-group traps need a group of exactly MIN_POSTS posts in February and an
    account whose best median ERR is in a group with too few posts: when the posts data change (a time trend),
    this says which trap stopped scoring less before the grading invariant does."""
    import pandas as pd

    from smmkit import datasets
    from smmkit.analysis.content_audit import rules

    posts = datasets.load("posts")
    feb = posts[posts["published_at_utc"] >= pd.Timestamp("2026-02-01 00:00", tz="Asia/Almaty")]
    keys = [feb["account_id"], feb["format"].astype(str)]
    err = (feb[["likes", "comments", "shares", "saves"]].sum(axis=1) / feb["reach"]).groupby(keys).median()
    n = feb.groupby(keys).size()
    minimum = rules()["min_posts"]
    assert (n == minimum).any(), "no February group of exactly MIN_POSTS posts: q1-min-posts-off-by-one scores full"
    best = err.groupby(level=0).idxmax()
    assert any(n[key] < minimum for key in best), "no account's best group is small: q1-best-from-small-groups"
    dawn = feb[feb["published_at_utc"] < pd.Timestamp("2026-02-01 00:00", tz="UTC")]
    assert len(dawn) >= 1, "no post in the first hours of 1 February by Almaty time: q1-utc-month scores full"
    assert set(feb["account_id"]) == set(posts["account_id"]), (
        "an account has no February post: the visible check for a one-platform feb fails the right answer")
    assert set(dawn["platform"]) != {"Instagram"}, "only Instagram posts at dawn: q1-instagram-only shows the UTC hint"


def test_february_tells_question_1_pooled_and_reach_traps_apart() -> None:
    """The visible checks for a pooled ERR or reach rate (sums over the group), a mean reach rate and a best format
    chosen by reach compare the answer with the trap's value: on the right answer each trap's value must differ
    (else the right answer fails), and the hidden tests need them apart to score the traps less."""
    import numpy as np
    import pandas as pd

    from smmkit import datasets
    from smmkit.analysis.content_audit import rules

    posts = datasets.load("posts")
    feb = posts[posts["published_at_utc"] >= pd.Timestamp("2026-02-01 00:00", tz="Asia/Almaty")].assign(
        interactions=lambda p: p[["likes", "comments", "shares", "saves"]].sum(axis=1))
    feb = feb.assign(err=feb["interactions"] / feb["reach"], reach_rate=feb["reach"] / feb["followers"],
                     format=feb["format"].astype(str))
    groups = feb.groupby(["account_id", "format"])
    sums = groups[["interactions", "reach", "followers"]].sum()
    assert not np.allclose(groups["err"].median(), sums["interactions"] / sums["reach"]), "q1-pooled-err"
    assert not np.allclose(groups["reach_rate"].median(), groups["reach_rate"].mean()), "q1-reach-rate-mean"
    assert not np.allclose(groups["reach_rate"].median(), sums["reach"] / sums["followers"]), "q1-pooled-reach-rate"
    ok = groups.size() >= rules()["min_posts"]
    table = pd.DataFrame({"err": groups["err"].median(), "reach_rate": groups["reach_rate"].median(),
                          "median": groups["reach"].median(), "total": sums["reach"],
                          "er": (feb["interactions"] / feb["followers"]).groupby(
                              [feb["account_id"], feb["format"]]).median()})[ok]

    def best(column: str) -> dict[str, str]:
        return {a: key[1] for a, key in table[column].groupby(level=0).idxmax().items()}

    for measure in ("reach_rate", "median", "total", "er"):  # q1-best-by-reach, -total-reach, -er
        assert best(measure) != best("err"), f"the best format by {measure} is the best by ERR"


def test_jpeg_sizes_question_4_relies_on() -> None:
    """Question 4's quality traps rest on exact JPEG sizes, which depend on the libjpeg inside Pillow's wheel
    (Pillow is pinned in constraints.txt). The feed portrait at quality 75 is 50 bytes over LIMIT (135 000): the
    default-quality and KiB variants score less; the preview at quality 70 is exactly PREVIEW_LIMIT (10 000): the
    ``<`` variant of ``<=`` picks 65 and scores less. If Pillow changes and this fails, search new values: a
    PREVIEW size (4:5, thumbnail of the portrait with LANCZOS) whose JPEG at some quality step is a round number of
    bytes, set PREVIEW and PREVIEW_LIMIT in the master's cell q4-photo to them, rebuild the student version and
    rerun the grading invariant for a05; check that quality 75 of the portrait is still just over LIMIT."""
    import io

    from PIL import Image

    from smmkit import media
    from smmkit.media.photo import crop_box
    from smmkit.platforms.media_specs import load_media_specs

    setup = _master_cells()["q4-photo"]
    assert "LIMIT = 135_000" in setup and "PREVIEW, PREVIEW_LIMIT = (280, 350), 10_000" in setup
    w, h = load_media_specs().size("Instagram", "feed_portrait")
    a = media.asset("M071")
    photo = Image.open(media.image_path("M071", long_side=1200))
    portrait = photo.crop(crop_box(photo.size, w / h, (a["focus_x"], a["focus_y"])))
    portrait.thumbnail((w, h), Image.Resampling.LANCZOS)
    preview = portrait.copy()
    preview.thumbnail((280, 350), Image.Resampling.LANCZOS)

    def size(img: Image.Image, quality: int) -> int:
        buffer = io.BytesIO()
        img.save(buffer, format="JPEG", quality=quality)
        return len(buffer.getvalue())

    sizes = {q: size(portrait, q) for q in (75, 70)} | {("preview", q): size(preview, q) for q in (75, 70, 65)}
    assert sizes == {75: 135_050, 70: 129_902, ("preview", 75): 11_277, ("preview", 70): 10_000,
                     ("preview", 65): 8_811}, (
        f"JPEG sizes changed (Pillow or libjpeg is not the pinned one?): {sizes}. See this test's docstring.")


def test_question_5_says_how_to_pass_the_frame_rate(tmp_path) -> None:
    """The prompt asks for the frame rate of ``src``; ``probe`` gives it as a float, and ``write_frames`` takes it
    as it is (a student who wrote ``fps=probe(src)["fps"]`` used to get PyAV's English «'float' object has no
    attribute 'numerator'», found in the student trial)."""
    from PIL import Image

    from smmkit.media.video import probe, write_frames

    clip = write_frames(tmp_path / "float_fps.mp4", [Image.new("RGB", (16, 16))] * 20, fps=10.0)
    assert probe(clip)["duration_s"] == 2.0  # the float rate probe reports goes back in as it is
    prompt = _master_cells()["q5-prompt"]
    assert "с той же частотой кадров, что у `src`" in prompt and 'probe(src)[\"fps\"]' in prompt


# --- the files an answer writes ---------------------------------------------------------------------------------

ABSOLUTE = re.compile(r"""["'](?:/|[A-Za-z]:\\\\|~)""")


def test_files_are_written_inside_the_assignment_folder() -> None:
    """Answers and tests name files through OUT / MEDIA or the relative folders a05_files / a05_media, never an
    absolute path: grading runs the notebook in the submission's own folder (both routes)."""
    cells = _master_cells()
    setup = cells["setup"]
    assert 'MEDIA = "a05_media"' in setup and 'OUT = Path("a05_files")' in setup
    for grade_id, text in cells.items():
        assert not ABSOLUTE.search(text), grade_id
        assert "Path.home()" not in text and "cache_dir()" not in text, grade_id
        for call in re.findall(r"media\.(?:image_path|clip_path)\([^)]*\)", text):
            assert "root=MEDIA" in call or 'root="a05_media"' in call, (grade_id, call)
    for grade_id in ("q4-image-tests", "q5-video-tests"):
        assert 'Path("a05_files")' in cells[grade_id]


def test_copies_drawn_for_grading_stay_small() -> None:
    """Grading one submission draws its own copies of the sources in its folder: long sides of at most 1200 px."""
    sides = [int(x) for text in _master_cells().values() for x in re.findall(r"long_side=(?:min\()?(\d+)", text)]
    assert sides and max(sides) <= 1200, sides


# --- the manual question and the points -------------------------------------------------------------------------


def test_manual_question_has_a_scheme_and_two_anchors() -> None:
    cells = _master_cells()
    assert "Критерии (по 1 баллу):" in cells["q7-prompt"]
    assert len(re.findall(r"^\d+\. ", cells["q7-prompt"], re.M)) == 3
    model = cells["q7-note"]
    assert "**Сильный ответ (3 балла из 3" in model and "**Слабый ответ (1 балл из 3)" in model
    assert "**Схема оценивания.**" in model


def test_manual_question_asks_for_the_check_date_of_each_facts_file() -> None:
    """Q7's criterion 1 asks for the requirements with their check dates: the feed's size comes from the media
    specs and the minimum width from the platform facts, two files checked on their own days (the setup prints
    both; the student trial read the criterion as «one date»). The strong anchor quotes each with its date."""
    from smmkit.platforms import load_facts
    from smmkit.platforms.media_specs import load_media_specs

    cells = _master_cells()
    assert 'print("Факты о площадках (pf, ig_facts) проверены:", pf.checked.strftime("%d.%m.%Y"))' in cells["setup"]
    assert 'print("Требования к медиа (ms) проверены:", ms.checked.strftime("%d.%m.%Y"))' in cells["setup"]
    criteria = " ".join(cells["q7-prompt"].split())
    assert "каждое — с датой проверки своего файла" in criteria and "печатает обе даты" in criteria
    model = " ".join(cells["q7-note"].split())
    specs, facts = load_media_specs().checked, load_facts().checked
    assert f"требования к медиа из фактов курса, проверены {specs:%d.%m.%Y}" in model
    assert f"факты о площадках, проверены {facts:%d.%m.%Y}" in model
    assert "Даты проверки две" in model


def _imported(text: str) -> set[str]:
    """The names a cell's imports bind."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


LESSON_OF = {"q1-formats": "05.01", "q2-photos": "05.02", "q3-reels": "05.02", "q4-image": "05.03",
             "q5-video": "05.04", "q6-trend": "05.05", "q7-campaign": "05.03"}
NOT_FOR_A_QUESTION = {  # what a lesson imports for something no question asks
    "editors",  # 05.03, 05.04: the tables of photo and video editors
    "VIDEO_FORMATS", "make_posts_archive", "KINDS", "load_programs", "load_content_trends",  # 05.05: the archive,
    # promotion programs and AI labels (question 6 uses posts only)
}


def test_setup_imports_what_the_lessons_use() -> None:
    """Code a student copies from the lesson a question draws on runs in the assignment: the setup imports every
    name the lesson imports for such work (the student trial copied 05.03's jpeg_under and watermark into
    question 7 and got a NameError), and the model answers import nothing of their own."""
    cells = _master_cells()
    setup = _imported(cells["setup"])
    for grade_id, number in LESSON_OF.items():
        (lesson,) = (ROOT / "course" / "05-content").glob(f"{number}-*.ipynb")
        used = set().union(*(_imported(_source(c)) for c in read(lesson)["cells"] if c["cell_type"] == "code"))
        missing = used - setup - NOT_FOR_A_QUESTION
        assert not missing, f"{grade_id} draws on {lesson.name}, whose imports the setup lacks: {sorted(missing)}"
        assert not _imported(cells[grade_id]), f"{grade_id}: the model answer imports what the setup should"
    assert "ячейка настройки уже импортировала" in cells["intro"]


def test_campaign_photos_fit_the_mark_scheme() -> None:
    """Q7: after the 4:5 portrait crop of a copy of at most 600 px (never larger than the original), every photo of
    af_ig is at least the feed's minimum width except the avatar, which is narrower as it is: the strong anchor
    leaves it out and asks for a larger file, and its carousel has the rest («из пяти фото»). No af_ig photo sits
    exactly on min_width_px (a 320 px square cropped to 4:5 would fall below it, and the scheme would not say
    what to do with it)."""
    from PIL import Image

    from smmkit import media
    from smmkit.media.photo import crop_box
    from smmkit.platforms import load_facts
    from smmkit.platforms.media_specs import load_media_specs

    lib, ms = media.library(), load_media_specs()
    min_width = load_facts()["Instagram"].media_spec("min_width_px")
    w, h = ms.size("Instagram", "feed_portrait")
    photos = lib[(lib["account_id"] == "af_ig") & (lib["kind"] == "фото")]
    narrow = photos.loc[photos["width"] < min_width, "asset_id"].tolist()
    assert narrow == ["M062"] and not (photos["width"] == min_width).any()
    for _, a in photos[photos["width"] >= min_width].iterrows():
        img = Image.open(media.image_path(a["asset_id"], long_side=600))
        box = crop_box(img.size, w / h, (a["focus_x"], a["focus_y"]))
        assert box[2] - box[0] >= min_width, a["asset_id"]
    words = {4: "четырёх", 5: "пяти", 6: "шести", 7: "семи"}
    assert f"из {words[len(photos) - len(narrow)]}\nфото Astana Fit" in _master_cells()["q7-note"]


def test_points_quoted_in_the_prompts_are_true() -> None:
    """Each «## Вопрос N · … (K баллов)» is its graded cell's points; the intro's totals are their sums."""
    quoted, points, intro = quoted_points(A)
    assert quoted == points
    auto = sum(p for q, p in points.items() if int(q) <= 6)
    manual = sum(p for q, p in points.items() if int(q) > 6)
    assert auto >= 15
    assert f"**Баллы:** {auto} проверяются автоматически (вопросы 1–6), {manual} — преподавателем" in intro
    assert f"Всего {auto + manual}." in intro


# --- nbgrader validate shows each hint line whole ---------------------------------------------------------------

def test_every_hint_line_fits_nbgrader_validate() -> None:
    """nbgrader validate prints a failed test's error indented and cuts a longer line with «...»: keep hints whole."""
    long_lines = long_hint_lines(A)
    assert not long_lines, "\n".join(long_lines)


# --- the setup's names survive a student's own tables -----------------------------------------------------------

def test_setup_facts_object_is_no_lesson_table_name() -> None:
    """The student trial copied 05.01's ``ig = qc[...]`` (an Instagram posts table) into question 1 and overwrote the
    setup's facts object, then named ``ig``: questions 2, 3, 5 and their checks broke with an English error. The
    facts object is ``ig_facts``, which a lesson binds only to Instagram's facts; the visible checks build their own
    facts object (a hint may name ``ig_facts``, the code does not read it); the intro asks not to overwrite the
    setup's names."""
    cells = _master_cells()
    assert 'ig_facts = pf["Instagram"]' in cells["setup"] and not re.search(r"^ig\s*=", cells["setup"], re.M)
    for lesson in (ROOT / "course" / "05-content").glob("*.ipynb"):
        for cell in read(lesson)["cells"]:
            for node in ast.walk(ast.parse(_source(cell))) if cell["cell_type"] == "code" else ():
                if isinstance(node, ast.Assign) and "ig_facts" in {n.id for t in node.targets for n in ast.walk(t)
                                                                   if isinstance(n, ast.Name)}:
                    value = ast.unparse(node.value)  # unparse writes strings in single quotes
                    assert "pf['Instagram']" in value or "load_facts()['Instagram']" in value, (lesson.name, value)
    for grade_id in TEST_CELLS:
        read_names = {n.id for n in ast.walk(ast.parse(_visible(cells[grade_id]))) if isinstance(n, ast.Name)}
        assert not read_names & {"ig", "ig_facts", "pf"}, grade_id
    intro = " ".join(cells["intro"].split())
    assert "Не перезаписывайте имена из ячейки настройки" in intro and "`ig_facts`" in intro and "`posts`" in intro


def _visible(text: str) -> str:
    return re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", text, flags=re.S)

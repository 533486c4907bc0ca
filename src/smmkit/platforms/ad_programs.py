"""Promotion programs in one dated place: ad cabinets, seeding services, scheduling and analytics services.

The facts live in ``ad_programs.yaml`` beside this module (schema in its header); each fact carries its source
(title and URL), the date it was checked and whether the source confirmed it. Lessons and assignment a02 read
them here: which goals a program serves, on which platforms, its minimum budget and billing currency, whether a
Kazakhstan business can buy it, and what its statistics report.

>>> ap = load_programs()
>>> ap["tiktok_ads"].min_budget("ad_set")
MinBudget(amount=20.0, currency='USD', per='day', level='ad_set', when='')
>>> ap["telegram_ads"].billing_currency
('EUR', 'TON')
>>> [p.key for p in ap.for_goal("leads") if p.kind == "ad_cabinet"]
['meta_ads', 'tiktok_ads', 'vk_ads', 'telegram_ads', 'yandex_direct']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from smmkit.platforms import Fact, FactsError, _date, _fact, _mapping, _sources, load_facts, read_dated_file

PROGRAMS_PATH = Path(__file__).with_name("ad_programs.yaml")
SCHEMA_VERSION = 1

#: Kinds of programs, with Russian labels.
KINDS: dict[str, str] = {
    "ad_cabinet": "рекламный кабинет",
    "seeding": "посевы и блогеры",
    "service": "сервис планирования и аналитики",
}

#: Goals a program can serve, with Russian labels (the keys of ``goals`` in the YAML).
GOALS: dict[str, str] = {
    "reach": "охват и узнаваемость",
    "traffic": "переходы на сайт",
    "engagement": "вовлечённость",
    "leads": "заявки (лиды)",
    "sales": "продажи",
    "followers": "подписчики",
    "publishing": "публикация по расписанию",
    "analytics": "аналитика и отчёты",
    "influencer": "реклама у блогеров и в каналах",
}

#: What a program's own statistics report, with Russian labels (the keys of ``reports`` in the YAML).
REPORTS: dict[str, str] = {
    "impressions": "показы",
    "views": "просмотры",
    "reach": "охват",
    "frequency": "частота",
    "clicks_all": "все клики",
    "link_clicks": "клики по ссылке",
    "ctr_all": "CTR по всем кликам",
    "ctr_link": "CTR по ссылке",
    "cpm": "CPM",
    "cpc_all": "CPC по всем кликам",
    "cpc_link": "CPC по ссылке",
    "results": "результаты по цели",
    "cost_per_result": "цена результата",
    "spend": "расход",
    "breakdowns": "разбивки (возраст, пол, площадка)",
    "followers_joined": "подписки и запуски бота",
    "followers_growth": "прирост подписчиков",
    "er": "ER",
    "err": "ERR (просмотры / подписчики)",
    "mentions": "упоминания",
    "comments_sentiment": "тональность комментариев",
    "published_posts": "опубликованные посты",
    "audience_quality": "качество аудитории (боты)",
    "reach_screenshot": "скриншоты статистики",
    "promo_code": "промокод",
    "utm": "UTM-метки",
}

#: Can a Kazakhstan business buy the program directly (self-serve)?
AVAILABILITY: dict[str, str] = {"yes": "да", "limited": "с ограничениями", "no": "нет"}

#: Budget periods and levels of a minimum budget.
PERIODS: dict[str, str] = {"day": "в день", "payment": "за пополнение", "month": "в месяц"}
LEVELS: dict[str, str] = {"campaign": "кампания", "ad_set": "группа объявлений", "account": "кабинет",
                          "post": "публикация"}

#: Platforms a program may name besides those of ``facts.yaml``.
EXTRA_PLATFORMS = ("Yandex", "WhatsApp")

#: The facts every program has.
REQUIRED = ("goals", "platforms", "min_budget", "billing_currency", "available_kz", "reports")

#: Russian labels of the facts, for tables shown to students.
LABELS: dict[str, str] = {
    "kind": "вид",
    "goals": "цели",
    "platforms": "площадки",
    "min_budget": "минимальный бюджет",
    "billing_currency": "валюта счёта",
    "available_kz": "доступно бизнесу в Казахстане",
    "reports": "что показывает статистика",
}
CHECKED_LABEL = "проверено"
PROGRAM_LABEL = "Программа"
UNCONFIRMED = "не подтверждено"


@dataclass(frozen=True)
class MinBudget:
    """A minimum budget: ``amount`` in ``currency`` ``per`` day / payment / month at a ``level``."""

    amount: float
    currency: str
    per: str
    level: str
    when: str = ""

    def amount_in(self, currency: str, rates: Mapping[str, float]) -> float:
        """The amount in another currency; ``rates`` give tenge per unit of each currency (``{"USD": 505}``).

        The rates are the caller's (a dated rate of the lesson or the data), never a fact of this file.

        >>> MinBudget(20, "USD", "day", "ad_set").amount_in("KZT", {"USD": 505, "KZT": 1})
        10100.0
        """
        for code in (self.currency, currency):
            if code not in rates:
                raise KeyError(f"Нет курса для валюты {code}: передайте его в rates (тенге за единицу).")
        return float(self.amount) * rates[self.currency] / rates[currency]

    def __str__(self) -> str:
        """Russian text: «20 USD в день (группа объявлений)».

        >>> str(MinBudget(20, "USD", "day", "ad_set"))
        '20 USD в день (группа объявлений)'
        """
        amount = f"{self.amount:g}"
        when = f", {self.when}" if self.when else ""
        return f"{amount} {self.currency} {PERIODS[self.per]} ({LEVELS[self.level]}{when})"


@dataclass(frozen=True)
class Program:
    """One promotion program: its name, kind, site and facts (see :data:`REQUIRED`)."""

    key: str
    name: str
    kind: str
    url: str
    facts: Mapping[str, Fact]
    confirmed: Mapping[str, bool]
    export: str | None = None

    def fact(self, key: str) -> Fact:
        """The fact ``key`` with its source and date."""
        if key not in self.facts:
            raise KeyError(f"У программы {self.name} нет факта «{key}». Есть: {', '.join(self.facts)}.")
        return self.facts[key]

    def is_confirmed(self, key: str) -> bool:
        """Whether the source confirmed the fact ``key`` on its check date.

        >>> load_programs()["tiktok_ads"].is_confirmed("min_budget")
        True
        """
        self.fact(key)
        return self.confirmed[key]

    @property
    def goals(self) -> tuple[str, ...]:
        """Goals the program serves (keys of :data:`GOALS`)."""
        return tuple(self.facts["goals"].value)

    @property
    def platforms(self) -> tuple[str, ...]:
        """Platforms the program reaches."""
        return tuple(self.facts["platforms"].value)

    @property
    def min_budgets(self) -> tuple[MinBudget, ...]:
        """All minimum budgets (empty when the program sets none)."""
        return tuple(MinBudget(float(b["amount"]), str(b["currency"]), str(b["per"]), str(b["level"]),
                               str(b.get("when") or "")) for b in self.facts["min_budget"].value)

    def min_budget(self, level: str | None = None) -> MinBudget | None:
        """The (first) minimum budget at ``level``, or the first of all; ``None`` when there is none.

        >>> load_programs()["meta_ads"].min_budget().amount
        1.0
        >>> load_programs()["bloggers_direct"].min_budget() is None
        True
        """
        for b in self.min_budgets:
            if level is None or b.level == level:
                return b
        return None

    @property
    def billing_currency(self) -> tuple[str, ...]:
        """Currencies the account is billed in, the usual one first."""
        return tuple(self.facts["billing_currency"].value)

    @property
    def available_kz(self) -> str:
        """``"yes"``, ``"limited"`` or ``"no"``: can a Kazakhstan business buy it directly."""
        return str(self.facts["available_kz"].value)

    @property
    def reports(self) -> tuple[str, ...]:
        """What the program's statistics report (keys of :data:`REPORTS`)."""
        return tuple(self.facts["reports"].value)

    def serves(self, goal: str) -> bool:
        """Whether the program serves ``goal``."""
        if goal not in GOALS:
            raise KeyError(f"Цели «{goal}» нет. Есть: {', '.join(GOALS)}.")
        return goal in self.goals


@dataclass(frozen=True)
class AdPrograms:
    """All promotion programs: look up by key, filter by goal, build tables for lessons."""

    file_checked: date
    note_ru: str
    by_key: Mapping[str, Program]
    platform_mix: Mapping[str, Fact] = field(default_factory=dict)
    platform_mix_title: str = ""

    def __getitem__(self, key: str) -> Program:
        if key not in self.by_key:
            raise KeyError(f"Программы «{key}» нет в файле программ продвижения. Есть: {', '.join(self.by_key)}.")
        return self.by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    @property
    def keys(self) -> tuple[str, ...]:
        """Program keys in file order."""
        return tuple(self.by_key)

    @property
    def checked(self) -> date:
        """The oldest check date among all facts: the date a lesson shows as «проверено»."""
        return min(f.checked for p in self.by_key.values() for f in p.facts.values())

    def of_kind(self, kind: str) -> list[Program]:
        """Programs of one kind (``"ad_cabinet"``, ``"seeding"``, ``"service"``)."""
        if kind not in KINDS:
            raise KeyError(f"Вида «{kind}» нет. Есть: {', '.join(KINDS)}.")
        return [p for p in self.by_key.values() if p.kind == kind]

    def for_goal(self, goal: str) -> list[Program]:
        """Programs that serve ``goal``, in file order."""
        return [p for p in self.by_key.values() if p.serves(goal)]

    def audience_share(self, platform: str) -> float | None:
        """Share (%) of young people in Kazakhstan who use ``platform``; ``None`` when the survey has no figure.

        >>> ap = load_programs()
        >>> ap.audience_share("Instagram"), ap.audience_share("Yandex") is None
        (79.8, True)
        """
        fact = self.platform_mix.get(platform)
        return None if fact is None else float(fact.value)

    def table(self, keys: Iterable[str] | None = None, facts: Iterable[str] | None = None) -> pd.DataFrame:
        """Facts as a Russian table: one row per program, a «проверено» column; «(не подтверждено)» marks.

        >>> t = load_programs().table(["tiktok_ads"], ["min_budget", "billing_currency"])
        >>> t.loc["TikTok Ads Manager", "минимальный бюджет"]
        '50 USD в день (кампания); 20 USD в день (группа объявлений)'
        >>> t.loc["TikTok Ads Manager", "валюта счёта"]
        'USD (не подтверждено)'
        """
        names = list(self.keys if keys is None else keys)
        wanted = list(REQUIRED if facts is None else facts)
        rows, index = [], []
        for key in names:
            p = self[key]
            row: dict[str, Any] = {}
            for f in wanted:
                if f == "kind":
                    row[LABELS[f]] = KINDS[p.kind]
                    continue
                text = _shown(f, p)
                row[LABELS.get(f, f)] = text if p.is_confirmed(f) else f"{text} ({UNCONFIRMED})"
            shown = [p.fact(f) for f in wanted if f != "kind"]
            row[CHECKED_LABEL] = min(x.checked for x in shown).strftime("%d.%m.%Y") if shown else ""
            rows.append(row)
            index.append(p.name)
        columns = [LABELS.get(f, f) for f in wanted] + [CHECKED_LABEL]
        return pd.DataFrame(rows, index=pd.Index(index, name=PROGRAM_LABEL), columns=columns)

    def sources(self, keys: Iterable[str] | None = None, facts: Iterable[str] | None = None) -> pd.DataFrame:
        """The sources behind :meth:`table`: program, fact, source, URL, date, confirmed and note.

        >>> load_programs().sources(["vk_ads"], ["min_budget"]).loc[0, "ссылка"].startswith("https://")
        True
        """
        rows = []
        for key in list(self.keys if keys is None else keys):
            p = self[key]
            for f in list(REQUIRED if facts is None else facts):
                fact = p.fact(f)
                rows.append({PROGRAM_LABEL: p.name, "факт": LABELS.get(f, f), "источник": fact.source,
                             "ссылка": fact.url, CHECKED_LABEL: fact.checked.strftime("%d.%m.%Y"),
                             "подтверждено": "да" if p.is_confirmed(f) else "нет", "примечание": fact.note})
        return pd.DataFrame(rows)


#: Criteria of the course's decision table (lesson 02.01), each from 0 to 1.
CRITERIA: dict[str, str] = {
    "audience": "доля молодёжи на главной площадке программы (из platform_mix; нет в опросе — 0)",
    "budget_ok": "1, если минимальный дневной бюджет группы объявлений (в тенге) не больше дневного бюджета",
    "kz": "доступность в Казахстане: да — 1, с ограничениями — 0,5, нет — 0",
    "tenge": "1, если кабинет выставляет счёт в тенге",
}
AVAILABILITY_SCORE: dict[str, float] = {"yes": 1.0, "limited": 0.5, "no": 0.0}


def decision_table(goal: str, daily_budget_kzt: float, weights: Mapping[str, float], rates: Mapping[str, float],
                   programs: AdPrograms | None = None, kind: str = "ad_cabinet") -> pd.DataFrame:
    """The weighted decision table of lesson 02.01: score = Σ weight × criterion (:data:`CRITERIA`), best first.

    Programs of ``kind`` that do not serve ``goal`` are left out. The minimum is the ad set's daily minimum
    converted with ``rates`` (tenge per unit, e.g. ``{"USD": 505, "KZT": 1}``); a program without a daily
    minimum passes. Weights name criteria and sum to 1.

    >>> rates = {"USD": 505, "EUR": 545, "KZT": 1}
    >>> t = decision_table("leads", 8000, {"audience": 0.4, "budget_ok": 0.3, "kz": 0.2, "tenge": 0.1}, rates)
    >>> t.index[0], round(t.loc["TikTok Ads Manager", "min_day_kzt"]), float(t.loc["TikTok Ads Manager", "budget_ok"])
    ('Meta Ads Manager', 10100, 0.0)
    """
    ap = load_programs() if programs is None else programs
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"Неизвестные критерии {', '.join(sorted(unknown))}. Есть: {', '.join(CRITERIA)}.")
    if abs(sum(weights.values()) - 1) > 1e-9 or any(w < 0 for w in weights.values()):
        raise ValueError("Веса критериев должны быть неотрицательными и в сумме давать 1.")
    if daily_budget_kzt < 0:
        raise ValueError("Дневной бюджет не может быть отрицательным.")
    rows = []
    for p in ap.of_kind(kind):
        if not p.serves(goal):
            continue
        minimum = p.min_budget("ad_set")
        min_day = minimum.amount_in("KZT", rates) if minimum is not None and minimum.per == "day" else 0.0
        shares = [ap.audience_share(platform) or 0.0 for platform in p.platforms]
        criteria = {"audience": max(shares) / 100, "budget_ok": float(min_day <= daily_budget_kzt),
                    "kz": AVAILABILITY_SCORE[p.available_kz], "tenge": float("KZT" in p.billing_currency)}
        rows.append({"программа": p.name, **criteria, "min_day_kzt": min_day,
                     "score": sum(criteria[k] * w for k, w in weights.items())})
    columns = [*CRITERIA, "min_day_kzt", "score"]
    table = pd.DataFrame(rows, columns=["программа", *columns]).set_index("программа")
    return table.sort_values("score", ascending=False, kind="stable")


def _shown(key: str, p: Program) -> str:
    if key == "goals":
        return ", ".join(GOALS[g] for g in p.goals)
    if key == "reports":
        return ", ".join(REPORTS[r] for r in p.reports)
    if key == "min_budget":
        return "; ".join(str(b) for b in p.min_budgets) or "нет"
    if key == "available_kz":
        return AVAILABILITY[p.available_kz]
    value = p.fact(key).value
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


@lru_cache(maxsize=4)
def _load(path: Path) -> AdPrograms:
    return parse_programs(read_dated_file(path, "программ продвижения"), where=path.name)


def load_programs(path: str | Path | None = None) -> AdPrograms:
    """Read and validate the promotion programs (cached); ``path`` defaults to the package's file.

    >>> ap = load_programs()
    >>> ap is load_programs(), len(ap.of_kind("ad_cabinet"))
    (True, 5)
    """
    return _load(Path(path).resolve() if path is not None else PROGRAMS_PATH)


def parse_programs(raw: object, where: str = "ad_programs.yaml") -> AdPrograms:
    """Validate the parsed YAML and build :class:`AdPrograms`; Russian :class:`FactsError` on any fault.

    >>> parse_programs({"schema_version": 1, "checked": "2026-12-03", "note_ru": "Обновляйте.", "sources": {}})
    Traceback (most recent call last):
    ...
    smmkit.platforms.FactsError: ad_programs.yaml: нет раздела «programs» (программы продвижения).
    """
    data = _mapping(raw, where, "весь файл")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise FactsError(f"{where}: schema_version должна быть {SCHEMA_VERSION}, а записано "
                         f"{data.get('schema_version')!r}.")
    file_checked = _date(data.get("checked"), f"{where}: checked")
    note = data.get("note_ru")
    if not isinstance(note, str) or not note.strip():
        raise FactsError(f"{where}: нет заметки note_ru для колледжей (когда и как обновлять файл).")
    for section, what in (("sources", "источники фактов"), ("programs", "программы продвижения")):
        if section not in data:
            raise FactsError(f"{where}: нет раздела «{section}» ({what}).")
    sources = _sources(data["sources"], where)
    platforms = set(load_facts().platforms) | set(EXTRA_PLATFORMS)
    programs = {str(k): _program(str(k), v, sources, platforms, f"{where}: programs.{k}")
                for k, v in _mapping(data["programs"], where, "programs").items()}
    mix, mix_title = {}, ""
    if "platform_mix" in data:
        section = _mapping(data["platform_mix"], where, "platform_mix")
        mix_title = section.get("title")
        if not isinstance(mix_title, str) or not mix_title.strip():
            raise FactsError(f"{where}: platform_mix: нет заголовка (title): чья это доля и за какой год.")
        for name, body in _mapping(section.get("facts"), where, "platform_mix.facts").items():
            fact = _fact(body, sources, f"{where}: platform_mix.{name}")
            value = fact.value
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
                raise FactsError(f"{where}: platform_mix.{name}: доля — число от 0 до 100, а записано {value!r}.")
            mix[str(name)] = fact
    return AdPrograms(file_checked, note, programs, mix, mix_title)


def _program(key: str, raw: object, sources: Mapping[str, tuple[str, str]], platforms: set[str],
             where: str) -> Program:
    body = _mapping(raw, where, key)
    name, kind, url = body.get("name"), body.get("kind"), body.get("url")
    if not isinstance(name, str) or not name.strip():
        raise FactsError(f"{where}: нет названия программы (name).")
    if kind not in KINDS:
        raise FactsError(f"{where}.kind: «{kind}» — ожидается одно из: {', '.join(KINDS)}.")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise FactsError(f"{where}: адрес программы (url) должен начинаться с http:// или https://.")
    export = body.get("export")
    if export is not None and not isinstance(export, str):
        raise FactsError(f"{where}.export: имя набора данных должно быть строкой.")
    unknown = set(body) - set(REQUIRED) - {"name", "kind", "url", "export"}
    if unknown:
        raise FactsError(f"{where}: неизвестные поля {', '.join(sorted(unknown))}: проверьте написание.")
    facts, confirmed = {}, {}
    for f in REQUIRED:
        if f not in body:
            raise FactsError(f"{where}: нет факта «{f}» ({LABELS[f]}).")
        fact_body = _mapping(body[f], f"{where}.{f}", "факт")
        flag = fact_body.get("confirmed", True)
        if not isinstance(flag, bool):
            raise FactsError(f"{where}.{f}.confirmed: ожидается true или false, а записано {flag!r}.")
        facts[f] = _fact({k: v for k, v in fact_body.items() if k != "confirmed"}, sources, f"{where}.{f}")
        confirmed[f] = flag
        _check_value(f, facts[f].value, platforms, f"{where}.{f}")
    if any(not c for c in confirmed.values()) and not all(
            facts[f].note for f in REQUIRED if not confirmed[f]):
        missing = [f for f in REQUIRED if not confirmed[f] and not facts[f].note]
        raise FactsError(f"{where}: у неподтверждённых фактов {', '.join(missing)} нет примечания (note): "
                         f"напишите, что именно не подтвердилось.")
    return Program(key, name, str(kind), url, facts, confirmed, export)


def _check_value(key: str, value: object, platforms: set[str], where: str) -> None:
    vocab: dict[str, Iterable[str]] = {"goals": GOALS, "reports": REPORTS, "platforms": platforms}
    if key in vocab or key == "billing_currency":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise FactsError(f"{where}: ожидается непустой список строк, а записано {value!r}.")
        if key in vocab:
            bad = [v for v in value if v not in set(vocab[key])]
            if bad:
                raise FactsError(f"{where}: неизвестные значения {', '.join(bad)}. Допустимы: "
                                 f"{', '.join(vocab[key])}.")
        elif not all(len(v) == 3 and v.isupper() for v in value):
            raise FactsError(f"{where}: валюта записывается трёхбуквенным кодом (USD, EUR, KZT, TON).")
    elif key == "available_kz":
        if value not in AVAILABILITY:
            raise FactsError(f"{where}: «{value}» — ожидается одно из: {', '.join(AVAILABILITY)}.")
    elif key == "min_budget":
        if not isinstance(value, list):
            raise FactsError(f"{where}: ожидается список минимальных бюджетов ([] — минимума нет).")
        for i, b in enumerate(value):
            b = _mapping(b, f"{where}[{i}]", "минимальный бюджет")
            amount = b.get("amount")
            if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
                raise FactsError(f"{where}[{i}].amount: сумма должна быть положительным числом, а записано "
                                 f"{amount!r}.")
            currency = b.get("currency")
            if not isinstance(currency, str) or len(currency) != 3 or not currency.isupper():
                raise FactsError(f"{where}[{i}].currency: трёхбуквенный код валюты, а записано {currency!r}.")
            if b.get("per") not in PERIODS:
                raise FactsError(f"{where}[{i}].per: ожидается одно из: {', '.join(PERIODS)}.")
            if b.get("level") not in LEVELS:
                raise FactsError(f"{where}[{i}].level: ожидается одно из: {', '.join(LEVELS)}.")
            extra = set(b) - {"amount", "currency", "per", "level", "when"}
            if extra:
                raise FactsError(f"{where}[{i}]: неизвестные поля {', '.join(sorted(extra))}.")


__all__ = ["AVAILABILITY", "CRITERIA", "GOALS", "KINDS", "LABELS", "PROGRAMS_PATH", "REPORTS", "REQUIRED",
           "SCHEMA_VERSION", "AdPrograms", "MinBudget", "Program", "decision_table", "load_programs", "parse_programs"]

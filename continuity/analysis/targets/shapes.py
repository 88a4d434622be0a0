"""Targets in one text: the shape of a quantitative target found in a clause.

An indicator phrase, perhaps a verb, a number with its measure and a qualifier, the
quantity ending the statement (地区生产总值增长5.5%以上; 城镇调查失业率控制在5.5%左右;
粮食产量1.3万亿斤以上), and lists read with 分别 (第一、第二、第三产业增加值分别增长2%、
5.5%和6.5%). Pure functions over normalised text; the words are data (`rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import Rules, shipped_rules

#: What may follow the quantity that ends a statement.
_ENDS = ",;。:!?、)”』」"
#: What ends the stretch of text a phrase may reach back over.
_CLAUSE_BREAKS = ",;。:!?"
#: A number right after these is part of a name (PM2.5, G318, 第8.6代), not a quantity.
_NOT_BEFORE = re.compile(r"[A-Za-z_.第/+]")


@dataclass(frozen=True, slots=True)
class Statement:
    """A target's shape found in one normalised text: [start, end) in that text."""

    phrase: str
    verb: str
    change: str
    value: str
    measure: str
    qualifier: str
    year: str
    start: int
    end: int

def find_statements(text: str, rules: Rules | None = None) -> tuple[Statement, ...]:
    """Every target's shape in one normalised text (a clause), left to right."""
    rules = rules or shipped_rules()
    found = _lists(text, rules)
    taken = [(s.start, s.end) for s in found]
    last_end = 0
    for m in rules.quantity.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        statement = _statement(text, m, max(last_end, _break_before(text, m.start())), rules)
        if statement is None:
            continue
        if found and statement.phrase in rules.bare_heads:
            statement = _inherit_subject(statement, found[-1])
        elif found and rules.action_words.fullmatch(statement.phrase):
            statement = _inherit_object(statement, found[-1], rules)
        found.append(statement)
        last_end = statement.end
    return tuple(sorted(found, key=lambda s: s.start))


def _break_before(text: str, at: int) -> int:
    return max(text.rfind(ch, 0, at) for ch in _CLAUSE_BREAKS) + 1


def _statement(text: str, m: re.Match[str], start: int, rules: Rules) -> Statement | None:
    """The target a quantity match ends, or None when it is no target's quantity."""
    num, measure = m.group("num"), m.group("measure") or ""
    before = text[m.start() - 1] if m.start() else ""
    if _NOT_BEFORE.match(before) or not _ends_statement(text, m.end(), rules):
        return None
    if measure == "年" and re.fullmatch(r"(19|20)\d\d", num):
        return None  # a year, not a duration
    verb, phrase = "", text[start:m.start()]
    if (v := rules.verb_at_end.search(phrase)) is not None \
            and not rules.action_words.fullmatch(strip_frames(phrase[:v.start()], rules)):
        verb, phrase = v.group("verb"), phrase[:v.start()]  # 改造提升 is no indicator 改造
    phrase = strip_frames(phrase, rules)
    if not _names_something(phrase) or (not measure and not rules.index_phrase.search(phrase)):
        return None
    qualifier = m.group("pre") or m.group("post") or ""
    return Statement(phrase, verb, rules.changes.get(verb, ""), num, measure, qualifier,
                     stated_year(text[:m.start()], rules), start, m.end())


def _ends_statement(text: str, at: int, rules: Rules) -> bool:
    """Whether the quantity ending at `at` ends its statement (not 6个重大科技专项)."""
    for word in rules.trailing:
        if text.startswith(word, at):
            at += len(word)
            break
    return at >= len(text) or text[at] in _ENDS or text.startswith(("和", "及", "或"), at)


def _names_something(phrase: str) -> bool:
    return len(phrase) >= 2 and re.search(r"[\u4e00-\u9fff]", phrase) is not None \
        and not phrase[-1].isdigit()


def strip_frames(phrase: str, rules: Rules) -> str:
    """`phrase` without the time, scope and intent words that open it (力争, 全年, 全市…)."""
    while (m := rules.frames.match(phrase)) is not None and m.end():
        phrase = phrase[m.end():]
    return phrase.rstrip("的、,")


def stated_year(text: str, rules: Rules) -> str:
    """The last year `text` states (到2030年), not a base of comparison (比2020年)."""
    years = rules.year.findall(text)
    return str(years[-1]) if years else ""


def _lists(text: str, rules: Rules) -> list[Statement]:
    """Targets read with 分别: items of a list paired with the values after it
    (第一、第二、第三产业增加值分别增长2%、5.5%和6.5%)."""
    out: list[Statement] = []
    for at in (m.start() for m in re.finditer("分别", text)):
        start = _break_before(text, at)
        verb = ""
        pos = at + 2
        if (v := rules.verb_at_start.match(text, pos)) is not None:
            verb, pos = v.group("verb"), v.end()
        values: list[re.Match[str]] = []
        while (q := rules.quantity.match(text, pos)) is not None and q.group("num"):
            values.append(q)
            pos = q.end()
            if pos < len(text) and text[pos] in "、,和及与" and pos + 1 < len(text) \
                    and text[pos + 1].isdigit():
                pos += 1
            else:
                break
        if len(values) < 2 or not _ends_statement(text, pos, rules):
            continue
        items = _items(strip_frames(text[start:at], rules), len(values), rules)
        if items is None:
            continue
        year = stated_year(text[:start], rules)
        for item, q in zip(items, values, strict=True):
            out.append(Statement(item, verb, rules.changes.get(verb, ""), q.group("num"),
                                 q.group("measure") or "", q.group("pre") or q.group("post")
                                 or "", year, start, pos))
    return out


def _items(phrase: str, n: int, rules: Rules) -> list[str] | None:
    """A list's `n` items, each completed with what the list's items share."""
    items = [i for i in phrase.split("、") if i]
    if len(items) < n:
        items = [i for i in re.split("[、和及与]", phrase) if i]
    if len(items) != n:
        return None
    head = rules.shared_heads.match(items[0])
    if head is not None:
        items = [i if i.startswith(head.group(0)) else head.group(0) + i for i in items]
    last = items[-1]
    tail = _shared_tail(items[0], last)
    return [i if rules.complete.search(i) or not tail else i + tail for i in items[:-1]] \
        + [last]


def _shared_tail(item: str, last: str) -> str:
    """What the last item of a list adds to the others (第一、第二、第三产业增加值 →
    产业增加值; 航空旅客、货邮吞吐量 → 吞吐量)."""
    if item and last.startswith(item[0]) and len(last) > len(item):
        return last[len(item):]
    # Parallel items are about as long as each other: cut the last at the word boundary
    # nearest the first item's length, the longer tail on a tie (大数据|产业规模).
    from ...text.segment import phrase_words  # jieba: not for the data dictionary (KINDS)

    bounds, at = [], 0
    for word in phrase_words(last)[:-1]:
        at += len(word)
        bounds.append(at)
    if not bounds:
        return ""
    return last[min(bounds, key=lambda b: (abs(b - len(item)), b)):]


def _inherit_subject(statement: Statement, before: Statement) -> Statement:
    """A bare head (产量) takes the subject of the target before it (粮食播种面积 → 粮食)."""
    from ...text.segment import phrase_words

    words = phrase_words(before.phrase)
    if len(words) < 2:
        return statement
    return _with_phrase(statement, words[0] + statement.phrase)


def _inherit_object(statement: Statement, before: Statement, rules: Rules) -> Statement:
    """Verbs alone (改造提升) take the object of the target before them
    (新建高标准农田900万亩、改造提升650万亩 → 改造提升高标准农田)."""
    verbs = rules.action_words.match(before.phrase)
    obj = before.phrase[verbs.end():] if verbs else ""
    return _with_phrase(statement, statement.phrase + obj) if obj else statement


def _with_phrase(statement: Statement, phrase: str) -> Statement:
    return Statement(phrase, statement.verb, statement.change, statement.value,
                     statement.measure, statement.qualifier, statement.year, statement.start,
                     statement.end)

"""Kinds of change: how a reworded commitment's wording changed, read from its word diff.

A pair may change in several ways at once, each a `Change` of one kind:
- `number`: a number changed (raised or lowered when the two are comparable: the
  same measure, 5.5% → 5%, 1.3万亿斤 → 1.4万亿斤; else changed), or was added or dropped;
- `verb`: the action verb changed (推进 → 加快, 建成 → 建设), strengthened or weakened
  where the strength scale ranks a verb on both sides (read with the kept word on
  either side of the change: 推进 → 加快推进 is strengthened), else changed, added or
  dropped;
- `qualifier`: a qualifier added or dropped (高质量, 更高水平, 基本, 全面, 力争), and
  whether that strengthened or weakened the commitment where the scale says so
  (力争 and 左右 soften, 确保 and 以上 harden, 大力 and 全面 are ranked adverbs); one
  ranked word put for another that the scale reads as the other part of speech
  (深入推进 → 持续推进, 大力推进 → 加快推进) is one qualifier change on the one scale;
- `object`: the named object or scope changed (倍增计划 → 提质倍增行动, 全省 → 成都,
  国家级 → 省级), or was added or dropped (五年 dropped);
- `order`: the same words in another order (a word removed in one place and added in
  another).

The words come from `diffing.word_runs` (jieba words, numbers apart, compounds looked
into); each changed passage between two kept runs is read on its own. A compound
token is read as the listed words it is made of (大力发展 → 大力 发展). The scale and
word lists are data: `data/strength.toml` (ranks, softeners, hardeners, qualifiers),
`data/action_verbs.txt` (verbs of undertaking; joining words such as 和 and 的, which
count only when nothing else changed: 人民满意的教育 → 人民满意教育 rephrases the
object) and `data/frame_words.txt` (qualifiers too).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..records import NEW_NUMBERING, OLD_NUMBERING
from ..text.diffing import DELETE, EQUAL, INSERT, DiffSpan, Pieces, WordRun, word_runs
from ..text.normalize import LEADING_NUMBER, normalize
from ..text.terms import data_lines, entries

#: The kinds of change, in the order they are listed.
KINDS = ("number", "verb", "qualifier", "object", "order")
#: Directions, in the order they are listed within a kind.
DIRECTIONS = ("raised", "lowered", "strengthened", "weakened", "changed", "added", "dropped", "")

#: Where each kind and direction is listed.
_ORDER = {(kind, direction): n for n, (kind, direction)
          in enumerate((k, d) for k in KINDS for d in DIRECTIONS)}
#: A digit anywhere: numbers are read only in wordings that have one.
_DIGIT = re.compile(r"\d")
#: A number token (numbers are tokens of their own in a word diff).
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(%?)$")
#: A word with a letter, digit or Chinese character: anything else is punctuation.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
#: A measure after a number: a short word of Chinese characters (个, 万亿斤, 亿元, 公里).
_MEASURE = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
#: Scales a measure may open with, longest first (亿元 is 1e8 元).
_SCALES = (("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("千万", 1e7), ("百万", 1e6),
           ("亿", 1e8), ("万", 1e4), ("千", 1e3))
#: The heading of the joining words in data/action_verbs.txt: verbs before it, joining after.
_JOINING_HEADING = "# joining words"

_MINOR, _NUM, _VERB, _QUAL, _OBJECT = "minor", "number", "verb", "qualifier", "object"
#: How a change reads a word: its parts (part, category) that a change can turn on, and
#: the strongest rank of its verbs and of its adverbs.
_Reading = tuple[tuple[tuple[str, str], ...], int, int]


@dataclass(frozen=True, slots=True)
class Change:
    """One way two wordings differ: its `kind` (one of KINDS), its `direction` (raised,
    lowered, strengthened, weakened, changed, added, dropped; empty for `order`) and the
    words involved on each side (`before` in the earlier wording, `after` in the other)."""

    kind: str
    direction: str = ""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """How alignments.csv writes it: `number:lowered`, `order`."""
        return f"{self.kind}:{self.direction}" if self.direction else self.kind

    @property
    def label(self) -> str:
        """The change in words, for pages and the terminal: "number lowered"."""
        if self.kind == "order":
            return "word order changed"
        return f"{self.kind} {self.direction}"

    @property
    def detail(self) -> str:
        """The words involved: "5.5% → 5%", "+高质量", "−五年"."""
        before, after = "、".join(self.before), "、".join(self.after)
        if self.kind == "order":
            return before
        if before and after:
            return f"{before} → {after}"
        return f"+{after}" if after else f"−{before}"


def codes(found: Iterable[Change]) -> str:
    """The changes as alignments.csv writes them: codes joined with `;`."""
    return ";".join(c.code for c in found)


#: Each direction read the other way round (B → A).
_REVERSED = {"raised": "lowered", "lowered": "raised", "strengthened": "weakened",
             "weakened": "strengthened", "added": "dropped", "dropped": "added"}


def reverse(found: Iterable[Change]) -> tuple[Change, ...]:
    """The same changes read from B back to A: 5.5% → 5% lowered is 5% → 5.5% raised."""
    return _merge([(c.kind, _REVERSED.get(c.direction, c.direction), c.after, c.before)
                   for c in found])


@dataclass(frozen=True, slots=True)
class Strength:
    """The strength scale and word lists the kinds of change are read with.

    `rank` gives each ranked verb or adverb its level (1 = weakest); `verbs` are the
    actions, `qualifiers` the words that qualify a commitment (ranked adverbs,
    softeners, hardeners, the other qualifiers and the frame words), `joining` the
    words a change never turns on.
    """

    rank: dict[str, int]
    levels: tuple[str, ...]
    verbs: frozenset[str]
    qualifiers: frozenset[str]
    softeners: frozenset[str]
    hardeners: frozenset[str]
    adverbs: frozenset[str]
    joining: frozenset[str]
    _words: dict[str, _Reading] = field(default_factory=dict, repr=False, compare=False)
    #: The listed words a compound may be made of (verbs and qualifiers), made once.
    _listed: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_listed", self.verbs | self.qualifiers)

    def parts(self, word: str) -> tuple[tuple[str, str], ...]:
        """`word` as (part, category) pairs: number, verb, qualifier, joining or punctuation
        (`minor`), object; a compound made wholly of listed words as those words."""
        return self._read(word)

    def word(self, word: str) -> _Reading:
        """How a change reads `word` (kept for the next call): the parts it can turn on (not
        joining words or punctuation) and the strongest rank among its verbs and among its
        adverbs (0: none ranked)."""
        found = self._words.get(word)
        if found is None:
            parts = self._read(word)
            found = self._words[word] = (
                tuple(p for p in parts if p[1] != _MINOR),
                max((self.rank.get(p, 0) for p, cat in parts if cat == _VERB), default=0),
                max((self.rank.get(p, 0) for p, _ in parts if p in self.adverbs), default=0))
        return found

    def _read(self, word: str) -> tuple[tuple[str, str], ...]:
        single = self._category(word)
        pieces = self._cover(word) if single not in (_MINOR, _NUM) else None
        if pieces is None:
            return ((word, single),)
        return tuple((p, self._category(p)) for p in pieces)

    def _category(self, word: str) -> str:
        if not _WORDLIKE.search(word) or word in self.joining:
            return _MINOR
        if _NUMBER.match(word):
            return _NUM
        if word in self.qualifiers and word not in self.verbs:
            return _QUAL
        if word in self.verbs:
            return _VERB
        return _OBJECT

    def _cover(self, word: str) -> tuple[str, ...] | None:
        """The fewest listed words (two or more) that make up `word`, or None."""
        listed, whole_word = self._listed, len(word)
        best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
        best[0] = ()
        for i in range(len(word)):
            so_far = best[i]
            if so_far is None:
                continue
            for j in range(i + 1, min(len(word), i + 6) + 1):
                if j - i < whole_word and word[i:j] in listed:  # its parts, not itself
                    found = best[j]
                    if found is None or len(so_far) + 1 < len(found):
                        best[j] = (*so_far, word[i:j])
        whole = best[-1]
        return whole if whole is not None and len(whole) > 1 else None


def parse_strength(text: str, action_verbs: str, frame_words: Sequence[str] = ()) -> Strength:
    """The scale of a strength.toml text, with the verbs and joining words of an
    action_verbs.txt text (joining words follow its `# joining words` heading) and the
    frame words, which count as qualifiers."""
    data = tomllib.loads(text)
    head, _, tail = action_verbs.partition(_JOINING_HEADING)
    rank: dict[str, int] = {}
    verbs: set[str] = {normalize(w) for w in entries(head)}
    adverbs: set[str] = set()
    levels = []
    for n, level in enumerate(data.get("level", []), start=1):
        levels.append(str(level.get("name", n)))
        for word in level.get("verbs", []):
            rank[normalize(word)] = n
            verbs.add(normalize(word))
        for word in level.get("adverbs", []):
            rank[normalize(word)] = n
            adverbs.add(normalize(word))
    softeners = frozenset(normalize(w) for w in data.get("softeners", []))
    hardeners = frozenset(normalize(w) for w in data.get("hardeners", []))
    qualifiers = (adverbs | softeners | hardeners | {normalize(w) for w in frame_words}
                  | {normalize(w) for w in data.get("qualifiers", [])})
    # a word the scale calls a qualifier is one, even where the verb list has it too
    verbs -= adverbs | softeners | hardeners
    return Strength(rank, tuple(levels), frozenset(verbs), frozenset(qualifiers),
                    softeners, hardeners, frozenset(adverbs),
                    frozenset(normalize(w) for w in entries(tail)))


@cache
def default_strength() -> Strength:
    """The shipped scale: data/strength.toml, data/action_verbs.txt, data/frame_words.txt."""
    folder = resources.files("continuity").joinpath("data")
    return parse_strength(folder.joinpath("strength.toml").read_text("utf-8"),
                          folder.joinpath("action_verbs.txt").read_text("utf-8"),
                          data_lines("frame_words.txt"))


def changes(a_tokens: Sequence[str], b_tokens: Sequence[str],
            strength: Strength | None = None) -> tuple[Change, ...]:
    """How wording A (its jieba words) changed into wording B: one Change per kind and
    direction, in the order of KINDS. Empty when no word changed."""
    return changes_in(word_runs(a_tokens, b_tokens), strength)


@dataclass(frozen=True, slots=True)
class Redline:
    """How wording A became wording B, as a page shows it: the word diff as text spans
    (`diffing.word_runs`) and its kinds of change (`changes_in`). Both are read from the
    words alone, so the build reads each pair of wordings once, for the exports and the
    pages (`export.counterpart_words`, `run.Analysis.redline`)."""

    spans: tuple[DiffSpan, ...]
    changes: tuple[Change, ...]


#: A change as it is found, before changes of one kind and direction are merged:
#: (kind, direction, before, after).
_Found = tuple[str, str, tuple[str, ...], tuple[str, ...]]
#: A redline as plain values: its spans (op, text) and its changes (as `_Found`).
_PlainRedline = tuple[tuple[tuple[str, str], ...], tuple[_Found, ...]]


@dataclass(frozen=True, slots=True)
class Redlines:
    """Redlines as a worker sends them back (`export.counterpart_words`), pickled as plain
    values all at once: record by record, pickle calls back into Python for each of the
    bundled corpus's 25,000 spans and changes (0.18 s to send and receive its 2,932
    redlines; so, 0.07 s)."""

    lines: tuple[Redline, ...]

    def __reduce__(self) -> tuple[Callable[[list[_PlainRedline]], Redlines],
                                  tuple[list[_PlainRedline]]]:
        return _unpacked, ([(tuple((s.op, s.text) for s in line.spans),
                             tuple((c.kind, c.direction, c.before, c.after)
                                   for c in line.changes)) for line in self.lines],)


def _unpacked(plain: list[_PlainRedline]) -> Redlines:
    return Redlines(tuple(Redline(tuple(DiffSpan(op, text) for op, text in spans),
                                  tuple(Change(*found) for found in changes))
                          for spans, changes in plain))


def redline(a_tokens: Sequence[str], b_tokens: Sequence[str], pieces: Pieces | None = None,
            strength: Strength | None = None) -> Redline:
    """The redline from wording A (its jieba words) to wording B; `pieces` finds the
    dictionary words of a long token (default `diffing.word_pieces`)."""
    runs = word_runs(a_tokens, b_tokens, pieces)
    return Redline(_spans(runs), changes_in(runs, strength))


def _spans(runs: Sequence[WordRun]) -> tuple[DiffSpan, ...]:
    """The runs as text spans, each side's leading numbering (the words `lead_words` gives
    it: 第一节, （三）) apart and neutral where the other side does not keep it: `same`
    ignores it, so a redline marks it neither deleted nor inserted (`OLD_NUMBERING`,
    `NEW_NUMBERING`, before the changed words between the same two kept runs). The kinds
    of change are read from the runs as they are (they never count it)."""
    firsts = (next((r.words[0] for r in runs if r.op != side), "") for side in (INSERT, DELETE))
    if not any(word[:1] in _LEAD_START for word in firsts):
        return tuple(DiffSpan(run.op, run.text) for run in runs)
    left = {DELETE: lead_words([w for r in runs if r.op != INSERT for w in r.words]),
            INSERT: lead_words([w for r in runs if r.op != DELETE for w in r.words])}
    out: list[DiffSpan] = []
    neutral: list[DiffSpan] = []  # of the changed runs since the last kept one
    changed: list[DiffSpan] = []
    for run in (*runs, WordRun(EQUAL, ())):
        if run.op == EQUAL:
            out += neutral + changed
            neutral, changed = [], []
            if run.words:
                out.append(DiffSpan(EQUAL, run.text))
            for side in left:
                left[side] = max(0, left[side] - len(run.words))
            continue
        cut = min(left[run.op], len(run.words))  # its side's numbering opens the run
        left[run.op] -= cut
        if cut:
            neutral.append(DiffSpan(_NEUTRAL[run.op], "".join(run.words[:cut])))
        if cut < len(run.words):
            changed.append(DiffSpan(run.op, "".join(run.words[cut:])))
    return tuple(out)


#: The neutral op of each side's leading numbering.
_NEUTRAL = {DELETE: OLD_NUMBERING, INSERT: NEW_NUMBERING}


def lead_words(words: Sequence[str]) -> int:
    """How many of a wording's first words its leading numbering takes (（一）, 第四节, 1.,
    as `normalize.LEADING_NUMBER` reads it, which `same` ignores too): the words within
    it, whole."""
    count = 0
    if words and words[0][:1] in _LEAD_START:
        match = LEADING_NUMBER.match("".join(words[:6]))
        end = match.end() if match else 0
        at = 0
        for word in words:
            at += len(word)
            if at > end:
                break
            count += 1
    return count


#: A part of a changed word: (passage, part, category, position of the word in its side).
_Part = tuple[int, str, str, int]
#: What starts a leading numbering (第, 专栏, （, 一、, 1., ——): only these are checked.
_LEAD_START = frozenset("第专(一二三四五六七八九十百0123456789—─-")


@dataclass(slots=True)
class _Side:
    """One side of a diff: its words, and where each changed passage sits in them
    ([start, end) per passage, empty where the passage only adds or only removes)."""

    words: list[str] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)
    _lead: int = -1
    _readings: list[_Reading] | None = None

    def lead(self) -> int:
        """How many words the leading numbering takes (（一）, 第四节, 1.): never a change."""
        if self._lead < 0:
            self._lead = lead_words(self.words)
        return self._lead

    def hunk(self, i: int) -> int:
        """The passage word `i` is in (-1: kept)."""
        for n, (start, end) in enumerate(self.spans):
            if start <= i < end:
                return n
        return -1

    def changed(self, scale: Strength) -> list[_Part]:
        """The parts of every changed word, passage by passage."""
        words, lead, known, word = self.words, self.lead(), scale._words, scale.word
        return [(hunk, p, cat, i) for hunk, (start, end) in enumerate(self.spans)
                for i in range(max(start, lead), end)
                for p, cat in (known.get(words[i]) or word(words[i]))[0]]

    def around(self, hunk: int, scale: Strength) -> tuple[int, int]:
        """The strongest verb and adverb ranks among the words of a passage and the kept
        word on either side of it (0: none ranked)."""
        if self._readings is None:
            known, word = scale._words, scale.word
            self._readings = [known.get(w) or word(w) for w in self.words]
        start, end = self.spans[hunk]
        verbs = adverbs = 0
        for _, verb, adverb in self._readings[max(start - 1, 0):end + 1]:
            verbs, adverbs = max(verbs, verb), max(adverbs, adverb)
        return verbs, adverbs


def changes_in(runs: Sequence[WordRun], strength: Strength | None = None) -> tuple[Change, ...]:
    """The changes of a word diff (`diffing.word_runs`)."""
    scale = strength or default_strength()
    a, b = _Side(), _Side()
    wa, wb, sa, sb = a.words, b.words, a.spans, b.spans
    open_passage = False
    for run in runs:
        if run.op == EQUAL:
            wa.extend(run.words)
            wb.extend(run.words)
            open_passage = False
            continue
        if not open_passage:
            sa.append([len(wa), len(wa)])
            sb.append([len(wb), len(wb)])
            open_passage = True
        if run.op == DELETE:
            wa.extend(run.words)
            sa[-1][1] = len(wa)
        else:
            wb.extend(run.words)
            sb[-1][1] = len(wb)
    if not sa:
        return ()
    changed = {"a": a.changed(scale), "b": b.changed(scale)}
    found: list[_Found] = []
    if {p for _, p, _, _ in changed["a"]} & {p for _, p, _, _ in changed["b"]}:
        _cancel_within(changed)
        moved = _cancel_moved(changed)
        if moved:
            found.append(("order", "", moved, moved))
    if _DIGIT.search("".join(wa)) or _DIGIT.search("".join(wb)):
        found.extend(_numbers(a, b, changed, scale))
    by_hunk: dict[str, list[list[_Part]]] = {"a": [[] for _ in sa], "b": [[] for _ in sa]}
    for side, parts in changed.items():
        lists = by_hunk[side]
        for part in parts:
            lists[part[0]].append(part)
    for h in range(len(sa)):
        if by_hunk["a"][h] or by_hunk["b"][h]:
            found.extend(_hunk_changes(a, b, h, by_hunk["a"][h], by_hunk["b"][h], scale))
    if not found:
        found.extend(_joining(a, b, scale))
    return _merge(found)


def _joining(a: _Side, b: _Side, scale: Strength) -> list[_Found]:
    """When nothing but joining words changed (人民满意的教育 → 人民满意教育, 新兴产业和
    未来产业 → 新兴产业未来产业), the object is phrased another way: an object change."""
    def words(side: _Side) -> tuple[str, ...]:
        return tuple(side.words[i] for start, end in side.spans
                     for i in range(max(start, side.lead()), end)
                     if side.words[i] in scale.joining)

    before, after = words(a), words(b)
    return [("object", _plain(before, after), before, after)] if before or after else []


def _cancel_within(changed: dict[str, list[_Part]]) -> None:
    """Drop parts on both sides of one passage: a compound read as its words (推进 →
    大力推进 changes 大力, not 推进). A word diff keeps every whole word it can, so a word
    on both sides of one passage only comes from such compounds."""
    both = (Counter((h, p) for h, p, _, _ in changed["a"])
            & Counter((h, p) for h, p, _, _ in changed["b"]))
    if not both:
        return
    for side in ("a", "b"):
        left = Counter(both)
        kept = []
        for part in changed[side]:
            if left[(part[0], part[1])] > 0:
                left[(part[0], part[1])] -= 1
            else:
                kept.append(part)
        changed[side] = kept


def _cancel_moved(changed: dict[str, list[_Part]]) -> tuple[str, ...]:
    """Drop, and return as phrases of A, the words removed in one passage and added in
    another: moved."""
    both = Counter(p for _, p, _, _ in changed["a"]) & Counter(p for _, p, _, _ in changed["b"])
    if not both:
        return ()
    moved: list[_Part] = []
    for side in ("a", "b"):
        left = Counter(both)
        kept = []
        for part in changed[side]:
            if left[part[1]] > 0:
                left[part[1]] -= 1
                if side == "a":
                    moved.append(part)
            else:
                kept.append(part)
        changed[side] = kept
    return _phrases(moved)


@dataclass(frozen=True, slots=True)
class _Mention:
    """A changed number as one side states it: value (scaled), base measure, passage."""

    text: str
    value: float
    base: str
    hunk: int


def _numbers(a: _Side, b: _Side, changed: dict[str, list[_Part]], scale: Strength
             ) -> list[_Found]:
    """Number changes: the numbers changed in a passage (the number or its measure, 亿元
    → 万元), paired in order; a number with no partner was added or dropped. The parts
    of numbers and their measures are taken out of `changed`."""
    mentions = {}
    for name, side in (("a", a), ("b", b)):
        live = {part[3] for part in changed[name]}
        found, used = _mentions(side, live, scale)
        mentions[name] = found
        if used:
            changed[name] = [part for part in changed[name] if part[3] not in used]
    out: list[_Found] = []
    for hunk in sorted({m.hunk for found in mentions.values() for m in found}):
        ma = [m for m in mentions["a"] if m.hunk == hunk]
        mb = [m for m in mentions["b"] if m.hunk == hunk]
        for x, y in zip(ma, mb, strict=False):
            out.append(("number", _compare(x, y), (x.text,), (y.text,)))
        out.extend(("number", "dropped", (x.text,), ()) for x in ma[len(mb):])
        out.extend(("number", "added", (), (y.text,)) for y in mb[len(ma):])
    return out


def _mentions(side: _Side, live: set[int], scale: Strength) -> tuple[list[_Mention], set[int]]:
    """The numbers of one side whose number or measure is among the `live` changed
    positions; and the positions of every number and measure, changed or not."""
    words = side.words
    out: list[_Mention] = []
    used: set[int] = set()
    for i in range(side.lead(), len(words)):
        if not words[i][0].isdigit():
            continue
        number = _NUMBER.match(words[i])
        if number is None:
            continue
        measure = words[i + 1] if i + 1 < len(words) and _is_measure(words[i + 1], scale) else ""
        used.update((i, i + 1) if measure else (i,))
        if i in live:
            hunk = side.hunk(i)
        elif measure and i + 1 in live:
            hunk = side.hunk(i + 1)
        else:
            continue
        value, percent = number.groups()
        size, base = 1.0, "%" if percent else measure
        for prefix, factor in _SCALES:
            if base.startswith(prefix):
                size, base = factor, base[len(prefix):]
                break
        out.append(_Mention(words[i] + measure, float(value) * size, base, hunk))
    return out, used


def _is_measure(word: str, scale: Strength) -> bool:
    """Whether a word after a number can be its measure (个, 万亿斤, 亿元; not 以上)."""
    return bool(_MEASURE.match(word)) and scale.word(word)[0] == ((word, _OBJECT),)


def _compare(x: _Mention, y: _Mention) -> str:
    """raised or lowered when both numbers have the same measure (not years: a date is
    not more or less), else changed."""
    if x.base != y.base or x.value == y.value:
        return "changed"
    if x.base == "年" and all(1900 <= v <= 2100 for v in (x.value, y.value)):
        return "changed"
    return "raised" if y.value > x.value else "lowered"


def _hunk_changes(a: _Side, b: _Side, hunk: int, pa: list[_Part], pb: list[_Part],
                  scale: Strength) -> list[_Found]:
    """Verb, qualifier and object changes of one passage."""
    sa, sb = _by_category(pa), _by_category(pb)
    va, qa, oa = sa
    vb, qb, ob = sb
    verb_ranks = adverb_ranks = 0
    if va or vb or qa or qb:
        verb_ranks, adverb_ranks = _rank_terms(a.around(hunk, scale), b.around(hunk, scale),
                                               pa, pb, scale)
    out: list[_Found] = []
    swapped = _adverb_for_verb(va, qa, vb, qb, scale)
    if swapped:
        return [("qualifier", swapped, va or qa, vb or qb), *(
            [("object", _plain(oa, ob), oa, ob)] if oa or ob else [])]
    if va or vb:
        out.append(("verb", _verb_direction(verb_ranks, va, vb), va, vb))
    if qa or qb:
        out.append(("qualifier", _qualifier_direction(adverb_ranks, qa, qb, scale), qa, qb))
    if oa or ob:
        out.append(("object", _plain(oa, ob), oa, ob))
    return out


def _by_category(parts: list[_Part]) -> tuple[tuple[str, ...], ...]:
    """The verb, qualifier and object parts as phrases: parts of one word or of
    neighbouring words joined (项目 支撑 → 项目支撑)."""
    verbs: list[_Part] = []
    qualifiers: list[_Part] = []
    objects: list[_Part] = []
    for part in parts:
        category = part[2]
        if category == _OBJECT:
            objects.append(part)
        elif category == _VERB:
            verbs.append(part)
        else:
            qualifiers.append(part)
    return (_phrases(verbs) if verbs else (), _phrases(qualifiers) if qualifiers else (),
            _phrases(objects) if objects else ())


def _phrases(parts: list[_Part]) -> tuple[str, ...]:
    if len(parts) == 1:
        return (parts[0][1],)
    out: list[str] = []
    last = -2
    for _, text, _, position in parts:
        if out and position - last <= 1:
            out[-1] += text
        else:
            out.append(text)
        last = position
    return tuple(out)


def _rank_terms(a: tuple[int, int], b: tuple[int, int], pa: list[_Part], pb: list[_Part],
                scale: Strength) -> tuple[int, int]:
    """For verbs and for adverbs: +1 when the strongest ranked one around a passage is
    stronger in B, −1 when weaker, 0 when the same or not comparable. Each side is read
    with the kept word on either side of the passage (推进 → 加快推进 compares 推进 with
    加快推进; 加快共建 → 共建 is weaker). Verbs compare when both sides have a ranked
    verb; a side with no ranked adverb compares only when the passage gained or lost one
    (实施产业 → 大力实施产业 is stronger)."""
    (va, qa), (vb, qb) = a, b
    verbs = (vb > va) - (vb < va) if va and vb else 0
    adverbs = 0
    if (qa and qb) or any(part[1] in scale.adverbs for part in (*pa, *pb)):
        adverbs = (qb > qa) - (qb < qa)
    return verbs, adverbs


def _adverb_for_verb(va: tuple[str, ...], qa: tuple[str, ...], vb: tuple[str, ...],
                     qb: tuple[str, ...], scale: Strength) -> str | None:
    """One ranked word in place of another, read as a verb on one side and as an adverb on
    the other (深入推进 → 持续推进: both say how hard 推进 is pursued): one change on the one
    scale, strengthened or weakened by their ranks, instead of a verb dropped and a
    qualifier added. None when the passage is not such a swap."""
    if va and qb and not (qa or vb):
        before, after = va, qb
    elif qa and vb and not (va or qb):
        before, after = qa, vb
    else:
        return None
    if len(before) != 1 or len(after) != 1 or not {*before, *after} <= scale.rank.keys():
        return None
    rank_a, rank_b = scale.rank[before[0]], scale.rank[after[0]]
    return "strengthened" if rank_b > rank_a else "weakened" if rank_b < rank_a else "changed"


def _verb_direction(ranks: int, va: tuple[str, ...], vb: tuple[str, ...]) -> str:
    if ranks > 0:
        return "strengthened"
    if ranks < 0:
        return "weakened"
    return _plain(va, vb)


def _qualifier_direction(ranks: int, qa: tuple[str, ...], qb: tuple[str, ...],
                         scale: Strength) -> str:
    """Strengthened or weakened when the qualifiers carry strength: hardeners gained and
    softeners lost count up, the reverse down, and a ranked adverb counts its rank."""
    def firmness(words: tuple[str, ...]) -> int:
        return sum(w in scale.hardeners for w in words) - sum(w in scale.softeners for w in words)

    delta = firmness(qb) - firmness(qa)
    if any(w in scale.adverbs for w in (*qa, *qb)):
        delta += ranks
    if delta > 0:
        return "strengthened"
    if delta < 0:
        return "weakened"
    return _plain(qa, qb)


def _plain(before: tuple[str, ...], after: tuple[str, ...]) -> str:
    if before and after:
        return "changed"
    return "added" if after else "dropped"


def _merge(found: list[_Found]) -> tuple[Change, ...]:
    """One Change per kind and direction (words joined, each once), in the order of KINDS."""
    if len(found) == 1:
        return (Change(*found[0]),)
    merged: dict[tuple[str, str], _Found] = {}
    for kind, direction, before, after in found:
        old = merged.get((kind, direction))
        if old is not None:
            before = tuple(dict.fromkeys(old[2] + before))
            after = tuple(dict.fromkeys(old[3] + after))
        merged[(kind, direction)] = (kind, direction, before, after)
    return tuple(Change(*merged[key]) for key in sorted(merged, key=_ORDER.__getitem__))

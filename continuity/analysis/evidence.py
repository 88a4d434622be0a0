"""Evidence that two clauses carry the same commitment: the distinctive terms they share,
each counted once, and whether those terms name the same object in both.

A shared name is evidence only when it names the same thing. 打造西部中试中心 and
加快打造西部金融中心 share 西部, but what follows it differs on both sides (中试 / 金融中心):
two different centres. 培育“川字号”劳务品牌 and 做优“川字号”农产品品牌 share 川字号, which
qualifies different heads. So around each shared term we take the longest run of text
both clauses share (read across quotes and brackets only one side has) and look at the
word just outside it on each side: when both clauses have a word there, neither word
occurs in the other clause, and both are content words (not a verb of undertaking, a
joining word, an ordinal, a heading's number or punctuation), the term names different
objects and is no evidence. Before the run, a verb of undertaking on one side (even one
the segmenter split, 用好 → 用 / 好) means the run starts that side's object, so the
other side's word is a modifier it adds, not a second object. Further back, the words
each side puts before the shared text (back to a verb of undertaking or punctuation, at
most four) are its modifiers: when each side has one the other clause lacks (新型文化业态 /
新产业新业态), the objects differ too. A word that differs from one of the other side's
only in its numerals (五纵五横 / 六横六纵) states a changed number of the same object.

Alignment refuses a pair whose only shared term names different objects (settings'
`lone_conflict_penalty`): one name qualifying two heads is no evidence at all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from ..text.normalize import normalize
from ..text.terms import data_lines

#: Marks skipped when looking for the word next to a shared run (quotes, brackets).
_TRANSPARENT = frozenset("“”‘’\"'《》〈〉「」『』()（）[]【】")
#: A neighbour that is only an ordinal or a count says which one, not what: 第十二届, 六大,
#: and a heading's own number (第二节) is no part of what it names.
_ORDINAL = re.compile(
    r"^(第)?[0-9.%一二三四五六七八九十百千万亿两几多]+[个项大批期届次年条类节章篇]?$|^[0-9]")
#: An ordinal with no measure word (第三 in 第三亚欧大陆桥) is part of a name: it tells
#: the third land bridge from the new one.
_BARE_ORDINAL = re.compile(r"^第[一二三四五六七八九十]+$")
_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


@cache
def action_verbs() -> frozenset[str]:
    """Verbs of undertaking and joining words (data/action_verbs.txt): never evidence."""
    return frozenset(normalize(x) for x in data_lines("action_verbs.txt"))


@cache
def measure_words() -> frozenset[str]:
    """Units of measure, bare and after a magnitude (公里, 万亩, 亿元: data/indicators.toml's
    shape): 天府绿道超7000公里 and 数字化改造2000公里 share a unit, not an object."""
    from .targets.rules import shipped_rules

    rules = shipped_rules()
    bare = {m for m in rules.measures if len(m) >= 2}
    scaled = {magnitude + m for magnitude, _ in rules.magnitudes for m in rules.measures}
    return frozenset(normalize(w) for w in bare | scaled)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What decides evidence: each word's idf, the least idf of a distinctive word, and the
    words that are never evidence (frame words, verbs of undertaking)."""

    idf: Mapping[str, float]
    min_idf: float
    never: frozenset[str]

    def distinctive(self, word: str) -> bool:
        return self.idf.get(word, 0.0) >= self.min_idf and word not in self.never


def shared_terms(words_a: frozenset[str], words_b: frozenset[str],
                 lexicon: Lexicon) -> tuple[str, ...]:
    """The distinctive words both clauses hold, a word inside another shared word left out
    (高标准农田 counts once, not again as 高标准 and 农田), most distinctive first."""
    found = _maximal(words_a & words_b, lexicon)
    return tuple(sorted(found, key=lambda w: (-lexicon.idf[w], w)))


def _maximal(shared: frozenset[str], lexicon: Lexicon) -> list[str]:
    return [w for w in shared if lexicon.distinctive(w)
            and not any(w != other and w in other for other in shared)]


@dataclass(frozen=True, slots=True)
class Side:
    """A clause as the object check reads it: comparison text and where its words start."""

    norm: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, norm: str, tokens: Sequence[str]) -> Side:
        starts, at = [], 0
        for token in tokens:
            starts.append(at)
            at += len(token)
        if at != len(norm):  # tokens not of this text: fall back to characters
            return cls(norm, tuple(range(len(norm))))
        return cls(norm, tuple(starts))

    def words(self) -> list[str]:
        """The clause's words in order."""
        ends = (*self.starts[1:], len(self.norm))
        return [self.norm[i:j] for i, j in zip(self.starts, ends, strict=True)]

    def word_before(self, at: int) -> str | None:
        """The word (or part of a word) ending at `at`, quotes skipped; None at punctuation."""
        while at > 0 and self.norm[at - 1] in _TRANSPARENT:
            at -= 1
        if at == 0 or not _CONTENT.match(self.norm[at - 1]):
            return None
        start = self.starts[bisect.bisect_left(self.starts, at) - 1]
        return self.norm[start:at]

    def word_after(self, at: int) -> str | None:
        """The word (or part of a word) starting at `at`, quotes skipped; None at punctuation."""
        n = len(self.norm)
        while at < n and self.norm[at] in _TRANSPARENT:
            at += 1
        if at >= n or not _CONTENT.match(self.norm[at]):
            return None
        k = bisect.bisect_right(self.starts, at)
        end = self.starts[k] if k < len(self.starts) else n
        return self.norm[at:end]

    def word_around(self, at: int) -> str:
        """The whole word holding the character just before `at` ('' at the start)."""
        if at <= 0:
            return ""
        k = bisect.bisect_right(self.starts, at - 1)
        end = self.starts[k] if k < len(self.starts) else len(self.norm)
        return self.norm[self.starts[k - 1]:end]


def names_other_objects(a: Side, b: Side, term: str, never: frozenset[str]) -> bool:
    """Whether a shared term names different objects in the two clauses (module docstring)."""
    i, j = a.norm.find(term), b.norm.find(term)
    if i < 0 or j < 0:
        return False
    i, j = _run_start(a.norm, b.norm, i, j)
    i_end, j_end = _run_end(a.norm, b.norm, i + len(term), j + len(term))
    before = (_differ(a.word_before(i), b.word_before(j), a, b, never)
              and not any(_verb_at(x, at, never) for x, at in ((a, i), (b, j))))
    return (before or _modifiers_differ(a, b, i, j, never)
            or _differ(a.word_after(i_end), b.word_after(j_end), a, b, never))


#: Words read back from a shared run for the modifiers each side puts before it.
_MODIFIER_WORDS = 4


def modifiers(side: Side, at: int, never: frozenset[str]) -> list[str]:
    """The words just before `at` back to a verb of undertaking, punctuation or the
    clause's start (at most _MODIFIER_WORDS): what this side says the object is."""
    found: list[str] = []
    while len(found) < _MODIFIER_WORDS and not _verb_at(side, at, never):
        word = side.word_before(at)
        if word is None or word in never:
            break
        found.append(word)
        while side.norm[at - 1] in _TRANSPARENT:  # the quotes word_before read across
            at -= 1
        at -= len(word)
    return found


def _modifiers_differ(a: Side, b: Side, i: int, j: int, never: frozenset[str]) -> bool:
    """Each side qualifies the shared run with a content word the other clause lacks
    (国家汽车产业 / 航空航天等国家 先进制造业集群: cars on one side, aerospace on the other,
    though 国家 is in both)."""
    own_a = [w for w in modifiers(a, i, never) if _telling(w, never) and not _holds(b, w)]
    own_b = [w for w in modifiers(b, j, never) if _telling(w, never) and not _holds(a, w)]
    return bool(own_a) and bool(own_b)


def _run_start(x: str, y: str, i: int, j: int) -> tuple[int, int]:
    """Where the text both clauses share around x[i] / y[j] begins, reading across quotes
    and brackets one side has and the other lacks (国家文化公园 / 国家“文化公园”)."""
    while i > 0 and j > 0:
        if x[i - 1] == y[j - 1]:
            i, j = i - 1, j - 1
        elif x[i - 1] in _TRANSPARENT:
            i -= 1
        elif y[j - 1] in _TRANSPARENT:
            j -= 1
        else:
            break
    return i, j


def _run_end(x: str, y: str, i: int, j: int) -> tuple[int, int]:
    """Where that shared text ends (国家文化公园四川段 / 国家文化公园(四川段))."""
    while i < len(x) and j < len(y):
        if x[i] == y[j]:
            i, j = i + 1, j + 1
        elif x[i] in _TRANSPARENT:
            i += 1
        elif y[j] in _TRANSPARENT:
            j += 1
        else:
            break
    return i, j


#: The longest verb of undertaking looked for just before a shared run.
_VERB_CHARS = 4


def _verb_at(side: Side, at: int, never: frozenset[str]) -> bool:
    """Whether a verb of undertaking ends just before `at` (quotes skipped): whole, split by
    the segmenter (建好用好 → 建好 / 用 / 好) or cut by the shared run (推进 / 促进
    移风易俗 share 进移风易俗). The run then begins the object phrase on this side, and
    what precedes it on the other side is a modifier that side adds, not a second object."""
    norm = side.norm
    while at > 0 and norm[at - 1] in _TRANSPARENT:
        at -= 1
    return side.word_around(at) in never or any(
        norm[at - k:at] in never for k in range(2, _VERB_CHARS + 1))


def _differ(x: str | None, y: str | None, a: Side, b: Side, never: frozenset[str]) -> bool:
    """Two neighbouring words that tell two objects apart."""
    if x is None or y is None:
        return False
    if not (_telling(x, never) and _telling(y, never)):
        return False
    return not _holds(b, x) and not _holds(a, y)


#: Numerals: a word that differs from the other side's only in them (五纵五横 / 六横六纵)
#: states a changed number of one object, not another object.
_NUMERALS = re.compile("[0-9一二三四五六七八九十百千万亿两]+")


def _holds(side: Side, word: str) -> bool:
    """Whether the clause holds the word, or, for a word with a numeral, a word made of
    the same other characters with numerals of its own (六横六纵 for 五纵五横)."""
    if word in side.norm:
        return True
    if not _NUMERALS.search(word):
        return False
    bare = frozenset(_NUMERALS.sub("", word))
    return bool(bare) and any(frozenset(_NUMERALS.sub("", w)) == bare
                              for w in side.words() if w != word and _NUMERALS.search(w))


def _telling(word: str, never: frozenset[str]) -> bool:
    return word not in never and (bool(_BARE_ORDINAL.match(word)) or not _ORDINAL.match(word))


#: A batch of things a programme sets up in several batches: 第二批, 二批 (= 第二批), 首批
#: (not 一批, "a number of"). The second batch of labs is other labs; a round (第三轮督察)
#: is not counted: a commitment that recurs round after round (督察反馈问题整改) persists.
_NUMERAL = "0-9一二三四五六七八九十"
_BATCH_TEXT = rf"(?:第([{_NUMERAL}]+)|([0-9二三四五六七八九十][{_NUMERAL}]*)|(首))批"
_BATCH = re.compile(_BATCH_TEXT + "$")
_BATCH_ANYWHERE = re.compile(_BATCH_TEXT)
#: Characters a batch ordinal takes at most (第十二批).
_BATCH_CHARS = 5


def batch_before(side: Side, at: int) -> str | None:
    """The batch named just before `at` (quotes skipped): 第二批 → 二, 首批 → 一."""
    norm = side.norm
    while at > 0 and norm[at - 1] in _TRANSPARENT:
        at -= 1
    found = _BATCH.search(norm[max(0, at - _BATCH_CHARS):at])
    return None if found is None else _ordinal(found)


def _ordinal(found: re.Match[str]) -> str:
    return found.group(1) or found.group(2) or "一"


def names_other_batches(a: Side, b: Side, term: str) -> bool:
    """Whether the shared text around a term follows a different batch in each
    clause, or one only in one of them: 规划布局第二批天府实验室 is not 推动天府实验室提质增效
    (the labs of the first batch), though every word of the name is shared. Clauses
    naming the same batches are never told apart so (第二批合作事项 / 二批合作事项)."""
    if not ("批" in a.norm or "批" in b.norm):
        return False
    if _batches(a.norm) == _batches(b.norm):
        return False
    i, j = a.norm.find(term), b.norm.find(term)
    if i < 0 or j < 0:
        return False
    i, j = _run_start(a.norm, b.norm, i, j)
    # a run may begin inside the batch itself (第三批 / 第二批 share 批): start after it
    cut = max(_inside_batch(a.norm, i), _inside_batch(b.norm, j))
    return batch_before(a, i + cut) != batch_before(b, j + cut)


def _batches(norm: str) -> frozenset[str]:
    return frozenset(_ordinal(found) for found in _BATCH_ANYWHERE.finditer(norm))


def _inside_batch(norm: str, at: int) -> int:
    """How many characters of a batch ordinal lie from `at` on, when one spans `at`."""
    for found in _BATCH_ANYWHERE.finditer(norm, max(0, at - _BATCH_CHARS), at + _BATCH_CHARS):
        if found.start() < at < found.end():
            return found.end() - at
    return 0


@dataclass(frozen=True, slots=True)
class Evidence:
    """The distinctive terms two clauses share, split into those naming the same object
    (`terms`) and those naming different ones (`conflicts`); `other_batch`: the shared
    name is of another batch on each side (then every term is a conflict)."""

    terms: tuple[str, ...]
    conflicts: tuple[str, ...]
    other_batch: bool = False

    @property
    def objects_differ(self) -> bool:
        """Every shared term names different objects: thin evidence of one commitment."""
        return bool(self.conflicts) and not self.terms

    @property
    def counted(self) -> tuple[int, int]:
        """(terms, conflicting terms) as alignment counts them (`count_evidence`): a name of
        another batch counts as one term naming another object, however many words it has."""
        if self.other_batch:
            return 1, 1
        return len(self.terms) + len(self.conflicts), len(self.conflicts)


def weigh(a: Side, b: Side, words_a: frozenset[str], words_b: frozenset[str],
          lexicon: Lexicon) -> Evidence:
    """The evidence two clauses give each other."""
    shared = shared_terms(words_a, words_b, lexicon)
    if any(names_other_batches(a, b, term) for term in shared):
        return Evidence((), shared, other_batch=True)
    terms: list[str] = []
    conflicts: list[str] = []
    for term in shared:
        (conflicts if names_other_objects(a, b, term, lexicon.never) else terms).append(term)
    return Evidence(tuple(terms), tuple(conflicts))


def count_evidence(a: Side, b: Side, words_a: frozenset[str], words_b: frozenset[str],
                   lexicon: Lexicon) -> tuple[int, bool]:
    """(how many distinct distinctive terms two clauses share, whether every one of them
    names different objects): what alignment needs of `weigh` (`Evidence.counted`),
    without checking the other terms once one names the same object (the same answer,
    less work)."""
    terms = sorted(_maximal(words_a & words_b, lexicon))
    if not terms:
        return 0, False
    if any(names_other_batches(a, b, term) for term in terms):
        return 1, True
    for term in terms:
        if not names_other_objects(a, b, term, lexicon.never):
            return len(terms), False
    return len(terms), True

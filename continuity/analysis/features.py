"""Clause features as alignment reads them, made a document at a time and without numpy.

A clause's features are its content words (with the dictionary words inside longer
ones), the character bigrams of its text and its single characters (`vectors` weighs
them); its evidence words are the word features outside the formulas every document
repeats (stop phrases). They are read from each clause's aliased view (every form of a
name read as the name: `text.aliases`).

Reading them is pure Python, about a tenth of a build's processor time on the bundled
corpus, so it is shared out as one job per document (`corpus_features`). The jobs need
nothing the later stages import: a build whose documents all come from the cache runs
them while it imports numpy, scipy and jinja. Each job sends back its document's
features as numbers into a vocabulary of its own (`DocumentFeatures`); merged in
document order (`vectors.vectors_of`), they give the very vocabulary, columns and
evidence words that reading the clauses one after another in one process gives.
"""

from __future__ import annotations

import array
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial

from ..corpus.aliases import corpus_aliases
from ..engine import Engine, Job, LocalEngine, Part
from ..records import Clause, Corpus
from ..settings import AlignSettings
from ..text.aliases import AliasMatcher
from ..text.normalize import normalize
from ..text.segment import ANSWERS, subwords
from ..text.terms import data_lines

_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_STRIP = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Feature-name prefixes of the three blocks.
WORD, BIGRAM, CHAR = "w:", "c:", "u:"


def words(tokens: Sequence[str]) -> list[str]:
    """Content words: tokens of two or more characters with a letter, digit or CJK character."""
    return [t for t in tokens if len(t) >= 2 and _CONTENT.search(t)]


def word_features(tokens: Sequence[str]) -> list[str]:
    """Content words plus the dictionary words inside the longer ones (提质倍增 → 倍增)."""
    out = []
    for word in words(tokens):
        out.append(word)
        out.extend(subwords(word))
    return out


def text_bigrams(norm: str) -> list[str]:
    """Character bigrams of the text with punctuation removed."""
    plain = _STRIP.sub("", norm)
    return [plain[i:i + 2] for i in range(len(plain) - 1)]


def text_characters(norm: str) -> list[str]:
    """The CJK characters of the text (a block of their own: see `vectors.build_vectors`)."""
    return _CJK.findall(norm)


#: A clause's features: (words, character bigrams, single characters).
Features = tuple[Sequence[str], Sequence[str], Sequence[str]]


def clause_features(tokens: Sequence[str], norm: str) -> tuple[list[str], list[str], list[str]]:
    """(word features, bigram features, character features) of one clause."""
    return word_features(tokens), text_bigrams(norm), text_characters(norm)


def feature_keys(features: Features, chars: bool = True) -> list[str]:
    """The vocabulary keys of a clause's features: the block's prefix and the feature."""
    words, bigrams, characters = features
    keys = [WORD + w for w in words] + [BIGRAM + b for b in bigrams]
    return keys + [CHAR + ch for ch in characters] if chars else keys


@cache
def stop_phrases() -> tuple[str, ...]:
    """The stop phrases, longest first (so the pattern prefers them), ties in text order:
    the same order in every process, whatever the hash seed."""
    phrases = {normalize(x) for x in data_lines("stop_phrases.txt")}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


@cache
def stop_pattern() -> re.Pattern[str]:
    """Any stop phrase (a pattern that never matches when there are none)."""
    return re.compile("|".join(re.escape(p) for p in stop_phrases()) or "(?!)")


def evidence_words(tokens: Sequence[str], norm: str, features: Sequence[str]) -> frozenset[str]:
    """The words of a clause that can be evidence: its word features, less the words of the
    formulas every document repeats (stop phrases: 习近平新时代中国特色社会主义思想 shared is
    no sign of one commitment). `features` are the clause's word features, reused when
    the clause holds no formula."""
    spans = [m.span() for m in stop_pattern().finditer(norm)]
    if not spans:
        return frozenset(features)
    kept, at = [], 0
    for token in tokens:
        end = at + len(token)
        if not any(a < end and at < b for a, b in spans):
            kept.append(token)
        at = end
    return frozenset(word_features(kept))


@dataclass(frozen=True, slots=True)
class FeatureReading:
    """What every document's features job reads: the aliases alignment reads every form
    of, whether the single characters are features (`AlignSettings.char_weight`), and
    the subwords the building process knows (`segment.ANSWERS`): a worker that is not
    forked from it (dask) takes them, so it need not load jieba's dictionary either."""

    aliases: AliasMatcher
    chars: bool
    subwords: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class DocumentFeatures:
    """One document's clauses as alignment reads them, in numbers: `vocab`, the document's
    feature keys in order of first use, written one after another (`key_lengths`: each
    key's length); `cols`, each clause's keys as positions in that vocabulary, clause
    after clause (`lengths`: how many each has); `evidence`, each clause's evidence words
    likewise (the positions of their word keys; `evidence_lengths`: how many each); and
    `views`, the text and words of the clauses that write a form of an alias, by
    position in the document, as alignment reads them (the name instead). Numbers and
    one string per document: quick to send back from a worker, and small. `subwords`:
    what the segmenter answered that its process did not know before (kept by the
    building process for the next build: `segment.ANSWERS`)."""

    vocab: str
    key_lengths: array.array[int]
    cols: array.array[int]
    lengths: array.array[int]
    evidence: array.array[int]
    evidence_lengths: array.array[int]
    views: dict[int, tuple[str, tuple[str, ...]]]
    subwords: dict[str, tuple[str, ...]]

    def keys(self) -> list[str]:
        """The document's feature keys, in order of first use."""
        bounds = itertools.pairwise(itertools.accumulate(self.key_lengths, initial=0))
        return [self.vocab[a:b] for a, b in bounds]


def document_features(reading: FeatureReading, clauses: Sequence[Clause]) -> DocumentFeatures:
    """The features and evidence words of a document's clauses (its job: see
    `corpus_features`)."""
    if len(reading.subwords) > len(ANSWERS.subwords):  # a worker that was not forked
        ANSWERS.remember({}, reading.subwords)
    known = len(ANSWERS.subwords)
    vocab: dict[str, int] = {}
    add = vocab.setdefault
    cols, lengths = array.array("q"), array.array("q")
    evidence, evidence_lengths = array.array("q"), array.array("q")
    views: dict[int, tuple[str, tuple[str, ...]]] = {}
    for i, clause in enumerate(clauses):
        norm, tokens = seen = reading.aliases.view(clause.norm, clause.tokens)
        if norm is not clause.norm:
            views[i] = seen
        found = clause_features(tokens, norm)
        keys = feature_keys(found, chars=reading.chars)
        cols.extend([add(k, len(vocab)) for k in keys])
        lengths.append(len(keys))
        chosen = evidence_words(tokens, norm, found[0])
        evidence.extend(sorted(vocab[WORD + w] for w in chosen))
        evidence_lengths.append(len(chosen))
    return DocumentFeatures("".join(vocab), array.array("q", map(len, vocab)), cols, lengths,
                            evidence, evidence_lengths, views, ANSWERS.found_since(known))


def corpus_features(corpus: Corpus, settings: AlignSettings | None = None,
                    engine: Engine | None = None, workers: int | None = None,
                    first: Callable[[], object] | None = None,
                    aliases: AliasMatcher | None = None) -> list[DocumentFeatures]:
    """Every document's clause features, in timeline order: one job per document for
    `engine` (default: the local one with `workers` processes); `first` is this
    process's own work meanwhile (`Engine.run`). `aliases`: the corpus's (default: read
    from its folder)."""
    settings = settings or AlignSettings()
    if aliases is None:
        aliases = AliasMatcher.of(corpus_aliases(corpus.root))
    reading = FeatureReading(aliases, settings.char_weight > 0, ANSWERS.subwords)
    docs = corpus.documents
    biggest_first = sorted(range(len(docs)), key=lambda d: (-len(docs[d].clauses), d))
    jobs = [Job(f"reading the features of {docs[d].id}",
                Part(document_features, reading, partial(_clauses, corpus, d)))
            for d in biggest_first]
    found = (engine or LocalEngine(workers)).run(jobs, first=first)
    in_order: list[DocumentFeatures] = [found[0]] * len(docs)
    for d, features in zip(biggest_first, found, strict=True):
        in_order[d] = features
        ANSWERS.learn(features.subwords)
    return in_order


def _clauses(corpus: Corpus, d: int) -> tuple[Clause, ...]:
    return corpus.documents[d].clauses

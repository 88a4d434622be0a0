"""Policy terms: quoted formulations (提法) found in a text, and the shipped domain dictionary.

Chinese policy language coins fixed formulations and marks them with quotes
(“天府粮仓”, “四化同步、城乡融合、五区共兴”). They are the units editors track, so
the segmenter must keep them whole; the dictionary in `data/domain_terms.txt`
was grown from the bundled corpus with `quoted_formulations` and curated by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib import resources

#: A quoted formulation: 2–14 characters between Chinese quotes, with no sentence punctuation.
_QUOTED = re.compile(r"“([^“”\n。，,；;：:！!？?]{2,14})”")
#: Characters jieba keeps inside one token; a term with others cannot be a dictionary word.
_TOKEN_CHARS = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")


def quoted_formulations(text: str) -> Counter[str]:
    """How often each quoted formulation occurs in `text`."""
    return Counter(m.group(1).strip() for m in _QUOTED.finditer(text))


def dictionary_words(formulation: str) -> tuple[str, ...]:
    """The words a formulation contributes to the segmenter: enumerations split at 、 and ·."""
    parts = re.split(r"[、·]", formulation)
    return tuple(p for p in parts if len(p) >= 2 and _TOKEN_CHARS.match(p))


def data_lines(name: str) -> list[str]:
    """The entries of a shipped list (`continuity/data/<name>`): one per line, # comments
    and blank lines skipped. The domain dictionary, stop phrases and frame words are such
    lists."""
    text = resources.files("continuity").joinpath("data", name).read_text("utf-8")
    return entries(text)


def entries(text: str) -> list[str]:
    """The non-blank lines of a list's text, # comments and surrounding space removed."""
    return [entry for line in text.splitlines() if (entry := line.split("#", 1)[0].strip())]


@cache
def domain_terms() -> tuple[str, ...]:
    """The shipped domain dictionary, one term per line, comments (#) skipped."""
    return tuple(dict.fromkeys(line.split()[0] for line in data_lines("domain_terms.txt")))


def parse_terms(text: str) -> tuple[str, ...]:
    """The terms of a dictionary's text (a term, then optionally its frequency and tag)."""
    return tuple(dict.fromkeys(line.split()[0] for line in entries(text)))

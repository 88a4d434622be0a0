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


@cache
def domain_terms() -> tuple[str, ...]:
    """The shipped domain dictionary, one term per line, comments (#) skipped."""
    text = resources.files("continuity").joinpath("data/domain_terms.txt").read_text("utf-8")
    return parse_terms(text)


def parse_terms(text: str) -> tuple[str, ...]:
    terms: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(line.split()[0])
    return tuple(dict.fromkeys(terms))

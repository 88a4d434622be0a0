"""The one wrapper around jieba: word segmentation with the domain dictionary loaded once."""

from __future__ import annotations

import logging
from functools import cache

import jieba

from .terms import domain_terms

#: Domain terms get at least this frequency, so the segmenter keeps them whole in context.
MIN_TERM_FREQ = 1000


@cache
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer with the domain dictionary added (built on first use, then reused)."""
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for term in domain_terms():
        tk.add_word(term, freq=max(tk.suggest_freq(term, False), MIN_TERM_FREQ))
    return tk


def segment(text: str) -> tuple[str, ...]:
    """Words of `text`, in order; concatenated they give `text` back exactly."""
    return tuple(tokenizer().cut(text))


@cache
def subwords(token: str) -> tuple[str, ...]:
    """Dictionary words inside a longer token (提质倍增 → 提质, 倍增), as jieba's search mode
    finds them, so that a coined formulation still shares its parts with plainer wording."""
    if len(token) <= 2:
        return ()
    freq = tokenizer().FREQ
    found = []
    for n in (2, 3):
        for i in range(len(token) - n + 1):
            gram = token[i:i + n]
            if gram != token and freq.get(gram):
                found.append(gram)
    return tuple(found)

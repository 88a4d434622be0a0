"""Give every clause and section a theme from a taxonomy kept as data (`corpus/themes.toml`).

A theme's evidence is twofold: its seed terms in the text, and the resemblance
of the text to the theme's profile, the TF-IDF centroid of the corpus passages
that carry its seeds (so a passage about 引大济岷 is 基础设施 without naming any
seed). A clause with little evidence of its own leans on its section's theme.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..corpus.manifest import read_toml
from ..errors import ManifestError
from ..records import Clause, Corpus
from .membership import section_membership
from .vectors import Vectors

THEMES_NAME = "themes.toml"
#: Weight of the section's theme in a clause's score (its own evidence weighs 1).
SECTION_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    name: str
    seeds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemeAssignment:
    """The theme given to a clause or section, and its score (higher is surer)."""

    theme: str
    score: float


@dataclass(frozen=True, slots=True)
class ThemeMap:
    """Themes of every clause and section (by id), with the taxonomy they come from."""

    taxonomy: tuple[Theme, ...]
    clauses: dict[str, ThemeAssignment]
    sections: dict[str, ThemeAssignment]

    def name(self, theme_id: str) -> str:
        return next(t.name for t in self.taxonomy if t.id == theme_id)


def read_themes(corpus_dir: Path) -> tuple[Theme, ...]:
    """The taxonomy of a corpus folder; errors name the file and the entry."""
    path = Path(corpus_dir) / THEMES_NAME
    data = read_toml(path, "theme taxonomy")
    themes: list[Theme] = []
    for number, entry in enumerate(data.get("theme", []), start=1):
        where = f"{path}: theme {number}"
        if not isinstance(entry, dict) or set(entry) != {"id", "name", "seeds"}:
            raise ManifestError(f"{where}: needs exactly the keys id, name, seeds")
        seeds = entry["seeds"]
        if not isinstance(seeds, list) or not seeds or not all(isinstance(s, str) for s in seeds):
            raise ManifestError(
                f"{where} ({entry['id']}): seeds must be a non-empty list of strings")
        if any(t.id == entry["id"] for t in themes):
            raise ManifestError(f"{where}: duplicate theme id {entry['id']!r}")
        themes.append(Theme(str(entry["id"]), str(entry["name"]), tuple(seeds)))
    if not themes:
        raise ManifestError(f"{path}: no [[theme]] entries")
    return tuple(themes)


def assign_themes(corpus: Corpus, clauses: Sequence[Clause], vectors: Vectors,
                  taxonomy: Sequence[Theme]) -> ThemeMap:
    """Themes of all clauses (rows of `vectors`, in order) and of all sections."""
    hits = seed_hits([c.norm for c in clauses], taxonomy)
    centroids = _profiles(vectors.matrix, hits)
    clause_scores = _combine(hits, _cosines(vectors.matrix, centroids))

    section_ids, members = section_membership(corpus, tuple(clauses))
    titles = {s.id: s.title for doc in corpus.documents for s in doc.sections}
    title_hits = seed_hits([titles[sid] for sid in section_ids], taxonomy)
    section_hits = np.asarray(members @ hits) + 3.0 * title_hits
    section_vectors = (members @ vectors.matrix).tocsr()
    section_scores = _combine(section_hits, _cosines(section_vectors, centroids))
    row_of_section = {sid: i for i, sid in enumerate(section_ids)}

    sections = dict(zip(section_ids, _best_rows(section_scores, taxonomy), strict=True))
    inner = np.array([row_of_section[c.section_id] for c in clauses], dtype=int)
    combined = clause_scores + SECTION_WEIGHT * section_scores[inner] if len(clauses) \
        else clause_scores
    clause_map = dict(zip((c.id for c in clauses), _best_rows(combined, taxonomy), strict=True))
    return ThemeMap(tuple(taxonomy), clause_map, sections)


def seed_hits(texts: Sequence[str], taxonomy: Sequence[Theme]) -> np.ndarray:
    """texts × themes: how many seed terms of each theme each text carries (longest match
    first, so 科技创新 counts once, not also as 创新)."""
    themes_of: dict[str, list[int]] = {}
    for j, theme in enumerate(taxonomy):
        for seed in theme.seeds:
            themes_of.setdefault(seed, []).append(j)
    pattern = re.compile("|".join(re.escape(s) for s in sorted(themes_of, key=len, reverse=True)))
    rows: list[int] = []
    cols: list[int] = []
    for i, text in enumerate(texts):
        for match in pattern.finditer(text):
            found = themes_of[match.group()]
            rows.extend([i] * len(found))
            cols.extend(found)
    out = np.zeros((len(texts), len(taxonomy)))
    np.add.at(out, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1.0)
    return out


def _profiles(matrix: sp.csr_matrix, hits: np.ndarray) -> np.ndarray:
    """Each theme's centroid: the normalised sum of the clause vectors carrying its seeds."""
    centroids: np.ndarray = np.asarray((sp.csr_matrix(hits.T) @ matrix).todense())
    return _unit_rows(centroids)


def _cosines(matrix: sp.csr_matrix, centroids: np.ndarray) -> np.ndarray:
    """rows × themes cosine of each row of `matrix` with each centroid."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    cosines: np.ndarray = np.asarray(matrix @ centroids.T) / norms[:, None]
    return cosines


def _combine(seed: np.ndarray, cos: np.ndarray) -> np.ndarray:
    """Half the share of each theme among a text's seed hits, half its profile resemblance."""
    totals = seed.sum(axis=1, keepdims=True)
    share = np.divide(seed, totals, out=np.zeros_like(seed), where=totals > 0)
    combined: np.ndarray = 0.5 * share + 0.5 * cos
    return combined


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    scaled: np.ndarray = m / norms
    return scaled


def _best_rows(scores: np.ndarray, taxonomy: Sequence[Theme]) -> list[ThemeAssignment]:
    """Each row's best theme and its score."""
    if not len(scores):
        return []
    best = np.argmax(scores, axis=1)  # first maximum: taxonomy order breaks exact ties
    top = scores[np.arange(len(scores)), best].tolist()
    ids = [t.id for t in taxonomy]
    return [ThemeAssignment(ids[j], round(score, 4))
            for j, score in zip(best.tolist(), top, strict=True)]

"""Give every clause and section a theme from a taxonomy kept as data (`corpus/themes.toml`).

A theme's evidence is twofold: its seed terms in the text, and the resemblance
of the text to the theme's profile, the TF-IDF centroid of the corpus passages
that carry its seeds (so a passage about 引大济岷 is 基础设施 without naming any
seed). A clause with little evidence of its own leans on its section's theme.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .errors import ManifestError
from .records import Clause, Corpus
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
    if not path.is_file():
        raise ManifestError(f"{path}: no theme taxonomy found (expected {THEMES_NAME})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from exc
    themes: list[Theme] = []
    for number, entry in enumerate(data.get("theme", []), start=1):
        where = f"{path}: theme {number}"
        if not isinstance(entry, dict) or set(entry) != {"id", "name", "seeds"}:
            raise ManifestError(f"{where}: needs exactly the keys id, name, seeds")
        seeds = entry["seeds"]
        if not isinstance(seeds, list) or not seeds or not all(isinstance(s, str) for s in seeds):
            raise ManifestError(f"{where} ({entry['id']}): seeds must be a non-empty list of strings")
        if any(t.id == entry["id"] for t in themes):
            raise ManifestError(f"{where}: duplicate theme id {entry['id']!r}")
        themes.append(Theme(str(entry["id"]), str(entry["name"]), tuple(seeds)))
    if not themes:
        raise ManifestError(f"{path}: no [[theme]] entries")
    return tuple(themes)


def assign_themes(corpus: Corpus, clauses: Sequence[Clause], vectors: Vectors,
                  taxonomy: Sequence[Theme]) -> ThemeMap:
    """Themes of all clauses (rows of `vectors`, in order) and of all sections."""
    hits = _seed_hits([c.norm for c in clauses], taxonomy)
    centroids = _profiles(vectors.matrix, hits)
    clause_own = _evidence(vectors.matrix, hits, centroids)

    row_of = {c.id: i for i, c in enumerate(clauses)}
    sections: dict[str, ThemeAssignment] = {}
    section_scores: dict[str, np.ndarray] = {}
    for doc in corpus.documents:
        members: dict[str, list[int]] = {s.id: [] for s in doc.sections}
        parents = {s.id: s.parent for s in doc.sections}
        for clause in doc.clauses:
            section: str | None = clause.section_id
            while section is not None:
                members[section].append(row_of[clause.id])
                section = parents[section]
        for s in doc.sections:
            rows = members[s.id]
            title_hits = _seed_hits([s.title], taxonomy)[0] * 3.0
            seed = hits[rows].sum(axis=0) + title_hits if rows else title_hits
            vector = vectors.matrix[rows].sum(axis=0) if rows else None
            score = _combine(seed, _cosines(vector, centroids))
            section_scores[s.id] = score
            sections[s.id] = _best(score, taxonomy)
    clause_map = {}
    for i, clause in enumerate(clauses):
        score = clause_own[i] + SECTION_WEIGHT * section_scores[clause.section_id]
        clause_map[clause.id] = _best(score, taxonomy)
    return ThemeMap(tuple(taxonomy), clause_map, sections)


def _seed_hits(texts: Sequence[str], taxonomy: Sequence[Theme]) -> np.ndarray:
    """texts × themes: how many seed occurrences of each theme each text carries."""
    out = np.zeros((len(texts), len(taxonomy)))
    for j, theme in enumerate(taxonomy):
        for seed in theme.seeds:
            out[:, j] += [t.count(seed) for t in texts]
    return out


def _profiles(matrix: sp.csr_matrix, hits: np.ndarray) -> np.ndarray:
    """Each theme's centroid: the normalised sum of the clause vectors carrying its seeds."""
    weights = sp.csr_matrix(hits.T)
    centroids = np.asarray((weights @ matrix).todense())
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return centroids / norms


def _cosines(vector: object, centroids: np.ndarray) -> np.ndarray:
    if vector is None:
        return np.zeros(centroids.shape[0])
    v = np.asarray(vector).ravel()
    norm = np.linalg.norm(v)
    return centroids @ v / norm if norm else np.zeros(centroids.shape[0])


def _evidence(matrix: sp.csr_matrix, hits: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """clauses × themes: a clause's own evidence (seed share and profile resemblance)."""
    cos = np.asarray((matrix @ sp.csr_matrix(centroids).T).todense())
    return np.vstack([_combine(hits[i], cos[i]) for i in range(hits.shape[0])]) if len(hits) \
        else np.zeros((0, centroids.shape[0]))


def _combine(seed: np.ndarray, cos: np.ndarray) -> np.ndarray:
    total = seed.sum()
    share = seed / total if total else np.zeros_like(seed)
    return 0.5 * share + 0.5 * cos


def _best(score: np.ndarray, taxonomy: Sequence[Theme]) -> ThemeAssignment:
    j = int(np.argmax(score))  # first maximum: taxonomy order breaks exact ties
    return ThemeAssignment(taxonomy[j].id, round(float(score[j]), 4))

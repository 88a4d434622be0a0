"""How far can deciding better among today's candidates take alignment accuracy?

Alignment finds candidate pairs (a clause and the clauses of another document most like
it), then accepts and ranks them by a hand-written rule (`align.accepted`, `needed_score`).
Before tuning that rule further, this measures what any rule over the same candidates and
the same evidence could reach:

- **rule**: the shipped settings, replayed over the candidates (must equal
  `continuity evaluate`: a check that the replay is faithful);
- **ceiling**: a perfect judge that accepts exactly the candidates lying in the gold
  quote, and nothing for an absent target (what no rule over these candidates can beat);
- **logistic, in-sample / k-fold**: a logistic regression over the evidence
  alignment weighs (scores, shared and conflicting terms, their idf, character
  similarity, heading or target clauses, lengths), fitted on the probes' candidates, its
  threshold chosen on the training probes, scored in-sample and on each fold of probes
  left out (every k-th probe of a file; all other probes of every file train).

    python benchmarks/acceptance_ceiling.py ../shared/gold-dev.jsonl \
        benchmarks/data/probes-check.jsonl

If the logistic model cannot beat the rule even in-sample, the evidence alignment weighs is
spent, and accuracy must come from new evidence (candidates it never finds; synonyms and
abbreviations), not from thresholds.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from typing import Any

import numpy as np
from scipy.optimize import minimize

import continuity
import continuity.evaluation.alignment as scoring
from continuity.analysis.align import AlignmentResult, Side, align, weigh
from continuity.records import Counterpart
from continuity.settings import AlignSettings
from continuity.text.normalize import normalize

#: Everything a candidate is judged on.
FEATURES = ("score", "clause cosine", "context cosine", "terms (≤3)", "all terms conflict",
            "lone conflicting term", "other batch", "best shared idf / 10", "char similarity",
            "target is a heading", "source is a heading", "target is a target clause",
            "log length ratio", "a term naming the same object")
THRESHOLDS = tuple(np.round(np.arange(-3.0, 1.01, 0.25), 2))


def permissive(settings: AlignSettings) -> AlignSettings:
    """Settings that keep every candidate the search finds (9 per clause and document)."""
    return replace(settings, min_score=0.0, evidence_step=0.0, conflict_penalty=0.0,
                   lone_conflict_penalty=0.0, strong_score=0.0, max_counterparts=9)


def candidates(result: AlignmentResult, source_ids: set[str]) -> dict[tuple[str, str], list]:
    """(source clause, target document) → its candidates, each with its evidence."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    idf = result.lexicon.idf
    for sid in sorted(source_ids):
        i = result.row(sid)
        a = result.clauses[i]
        for doc in result.doc_ids:
            if doc == a.doc_id:
                continue
            found = []
            for cp in result.alignment(sid, doc).counterparts:
                j = result.row(cp.clause)
                b = result.clauses[j]
                why = result.explain(sid, cp.clause)
                ev = weigh(Side.of(a.norm, a.tokens), Side.of(b.norm, b.tokens),
                           result.words[i], result.words[j], result.lexicon)
                found.append(dict(clause=cp.clause, similarity=cp.similarity,
                                  score=why.score, cosine=why.similarity, context=why.context,
                                  counted=ev.counted, other_batch=ev.other_batch,
                                  same_terms=len(ev.terms),
                                  idf=max((idf[t] for t in ev.terms), default=0.0),
                                  len_a=len(a.norm), len_b=len(b.norm),
                                  heading_a=a.function == "heading",
                                  heading_b=b.function == "heading",
                                  target_b=b.function == "target"))
            out[(sid, doc)] = found
    return out


def features(c: dict[str, Any]) -> list[float]:
    terms, conflicting = c["counted"]
    differ = terms > 0 and conflicting == terms
    return [c["score"], c["cosine"], c["context"], min(terms, 3), float(differ),
            float(differ and terms == 1), float(c["other_batch"]), c["idf"] / 10,
            c["similarity"], float(c["heading_b"]), float(c["heading_a"]),
            float(c["target_b"]), math.log((c["len_b"] + 1) / (c["len_a"] + 1)),
            float(c["same_terms"] > 0)]


def rule_margin(settings: AlignSettings):
    """The shipped rule as a margin (None: refused), as `align.accepted` decides."""
    def margin(c: dict[str, Any]) -> float | None:
        terms, conflicting = c["counted"]
        differ = terms > 0 and conflicting == terms
        needed = (settings.min_score - settings.evidence_step * min(max(terms - 1, 0), 2)
                  + settings.conflict_penalty * differ
                  + settings.lone_conflict_penalty * (differ and terms == 1))
        ok = (c["score"] >= needed and c["cosine"] >= settings.min_clause_score
              and (c["cosine"] >= settings.strong_score or terms >= 1))
        return c["score"] - needed if ok else None
    return margin


class Replay:
    """Score probes as `continuity evaluate` does, with counterparts chosen by a margin."""

    def __init__(self, result: AlignmentResult, found: dict[tuple[str, str], list]) -> None:
        self.result, self.found = result, found
        self.texts = {d: scoring.DocumentText.of(c for c in result.clauses if c.doc_id == d)
                      for d in result.doc_ids}

    def score(self, margin, probes: list[dict[str, Any]]) -> list[bool]:
        chosen = {}
        for key, cands in self.found.items():
            kept = sorted(((m, c) for c in cands if (m := margin(c)) is not None),
                          key=lambda mc: -mc[0])[:3]
            chosen[key] = [Counterpart(c["clause"], key[1], r + 1, c["score"], c["similarity"],
                                       "reworded", (), "firm") for r, (_, c) in enumerate(kept)]
        original = scoring._found
        scoring._found = lambda result, cid, doc: chosen.get((cid, doc), [])
        try:
            return [r.correct for r in scoring.evaluate(self.result, probes).results]
        finally:
            scoring._found = original

    def labelled(self, probe: dict[str, Any]) -> list[tuple[list[float], int, str, str]]:
        """Each candidate of a probe with 1 when it lies in the gold quote, else 0."""
        sources = scoring.source_clauses(self.texts[probe["source"]], probe["quote"])
        by_id = {c.id: c for c in self.result.clauses}
        out = []
        for doc, target in probe["targets"].items():
            if target.get("retro") or doc not in self.texts:
                continue
            if target["label"] == "absent":
                out += [(features(c), 0, sources[0].id, c["clause"])
                        for c in self.found.get((sources[0].id, doc), [])]
                continue
            spans = self.texts[doc].occurrences(normalize(target["quote"]))
            for s in sources:
                for c in self.found.get((s.id, doc), []):
                    a, b = self.texts[doc].span(by_id[c["clause"]])
                    inside = any(min(b, e) > max(a, st) for st, e in spans)
                    out.append((features(c), int(inside), s.id, c["clause"]))
        return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Logistic regression weights (last: intercept), L2-regularised, by scipy."""
    xb = np.hstack([x, np.ones((len(x), 1))])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xb @ w
        p = 1 / (1 + np.exp(-z))
        value = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * l2 * np.sum(w[:-1] ** 2)
        grad = xb.T @ (p - y) + l2 * np.concatenate([w[:-1], [0.0]])
        return value, grad

    return minimize(loss, np.zeros(xb.shape[1]), jac=True, method="L-BFGS-B").x


def logistic_margin(w: np.ndarray, threshold: float):
    def margin(c: dict[str, Any]) -> float | None:
        z = float(np.dot(w[:-1], features(c)) + w[-1]) - threshold
        return z if z >= 0 else None
    return margin


def figures(verdicts: list[bool], probes: list[dict[str, Any]]) -> str:
    labels = [t["label"] for p in probes for _, t in sorted(p["targets"].items())
              if not t.get("retro")]
    absent = [v for v, g in zip(verdicts, labels, strict=True) if g == "absent"]
    present = [v for v, g in zip(verdicts, labels, strict=True) if g != "absent"]
    return (f"{sum(verdicts) / len(verdicts):.3f} ({sum(verdicts)}/{len(verdicts)})  "
            f"absent {sum(absent)}/{len(absent)}  present {sum(present)}/{len(present)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", help="probe files (gold-format.md)")
    parser.add_argument("--folds", type=int, default=10,
                        help="probe folds held out in turn (every k-th probe; default 10)")
    args = parser.parse_args()
    corpus = continuity.load_corpus()
    settings = AlignSettings()
    result = align(corpus, permissive(settings))
    sets = {path: scoring.read_probes(path) for path in args.gold}
    texts = {d: scoring.DocumentText.of(c for c in result.clauses if c.doc_id == d)
             for d in result.doc_ids}
    sources = {c.id for probes in sets.values() for p in probes
               for c in scoring.source_clauses(texts[p["source"]], p["quote"])}
    replay = Replay(result, candidates(result, sources))
    every = [p for probes in sets.values() for p in probes]
    examples = {id(p): replay.labelled(p) for p in every}
    positives = {(s, t) for ex in examples.values() for _, y, s, t in ex if y}

    def train(probes: list[dict[str, Any]]) -> tuple[np.ndarray, float]:
        rows = [e for p in probes for e in examples[id(p)]]
        w = fit(np.array([r[0] for r in rows]), np.array([r[1] for r in rows], dtype=float))
        best = max(THRESHOLDS, key=lambda t: (sum(replay.score(logistic_margin(w, t), probes)),
                                              -abs(t)))
        return w, float(best)

    w_all, t_all = train(every)
    print(f"candidates: {sum(len(v) for v in replay.found.values())} for {len(sources)} "
          f"source clauses, {len(positives)} inside a gold quote")
    for path, probes in sets.items():
        print(f"\n{path}  ({len(probes)} probes)")
        rule = replay.score(rule_margin(settings), probes)
        print(f"  rule (shipped settings)        {figures(rule, probes)}")
        ceiling = []
        for p in probes:  # the perfect judge needs the source clause: one probe at a time
            ids = {c.id for c in scoring.source_clauses(texts[p['source']], p['quote'])}
            found = {k: v for k, v in replay.found.items() if k[0] in ids}
            judge = Replay(result, found)
            ceiling += judge.score(lambda c, ids=ids: 1.0 if any(
                (s, c["clause"]) in positives for s in ids) else None, [p])
        print(f"  ceiling (perfect judge)        {figures(ceiling, probes)}")
        print(f"  logistic, in-sample (t {t_all:+.2f})  "
              f"{figures(replay.score(logistic_margin(w_all, t_all), probes), probes)}")
        held: dict[int, list[bool]] = {}
        for fold in range(args.folds):
            out = [p for k, p in enumerate(probes) if k % args.folds == fold]
            w, t = train([q for q in every if all(q is not p for p in out)])
            for p in out:
                held[id(p)] = replay.score(logistic_margin(w, t), [p])
        label = f"logistic, {args.folds}-fold by probe"
        print(f"  {label:<31}{figures([v for p in probes for v in held[id(p)]], probes)}")
    print("\nweights (all probes): " + ", ".join(
        f"{name} {weight:+.2f}" for name, weight in zip(FEATURES, w_all, strict=False))
          + f", intercept {w_all[-1]:+.2f}")


if __name__ == "__main__":
    main()

"""Scoring the entity recogniser against a gold JSONL file of sentences with entity spans.

Each line is {"text": ..., "entities": [{"text", "type"}, ...]} with entities in text order; their
offsets are found by searching forward from the previous entity, so the gold file stays readable.
GPE counts as LOC and NORP is not scored (ANERcorp-style PER/LOC/ORG).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from marsad.model import Article, Provenance
from marsad.pipeline import Pipeline

TYPES = ("PER", "LOC", "ORG")
_MAP = {"GPE": "LOC"}


def entity_pipeline() -> Pipeline:
    return Pipeline(["normalize", "segment", "tokenize", "entities"])


def gold_spans(record: dict[str, Any]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for ent in record["entities"]:
        start = record["text"].find(ent["text"], pos)
        if start < 0:
            raise ValueError(f"gold entity {ent['text']!r} not found in order in {record['text']!r}")
        pos = start + len(ent["text"])
        out.append((start, pos, _MAP.get(ent["type"], ent["type"])))
    return out


def evaluate(gold: Path, pipeline: Pipeline | None = None) -> dict[str, dict[str, float]]:
    pipe = pipeline or entity_pipeline()
    counts = {m: {t: [0, 0, 0] for t in (*TYPES, "ALL")} for m in ("exact", "overlap")}
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        rec = json.loads(line)
        art = pipe(Article(id=f"g{n}", text=rec["text"], provenance=Provenance("gold", "txt")))
        pred = [(m.start, m.end, _MAP.get(m.type, m.type)) for m in art.entities]
        pred = [p for p in pred if p[2] in TYPES]
        gold_s = gold_spans(rec)
        for mode in ("exact", "overlap"):

            def match(a: tuple[int, int, str], b: tuple[int, int, str], mode: str = mode) -> bool:
                if a[2] != b[2]:
                    return False
                return a[:2] == b[:2] if mode == "exact" else a[0] < b[1] and b[0] < a[1]

            for t in (*TYPES, "ALL"):
                ps = [p for p in pred if t in ("ALL", p[2])]
                gs = [g for g in gold_s if t in ("ALL", g[2])]
                tp_p = sum(any(match(p, g) for g in gs) for p in ps)
                tp_g = sum(any(match(p, g) for p in ps) for g in gs)
                c = counts[mode][t]
                c[0] += tp_p
                c[1] += len(ps)
                c[2] += len(gs)
                c.append(tp_g)
    scores: dict[str, dict[str, float]] = {}
    for mode, by_type in counts.items():
        for t, c in by_type.items():
            tp_p, n_pred, n_gold, tp_g = c[0], c[1], c[2], sum(c[3:])
            p = tp_p / n_pred if n_pred else 0.0
            r = tp_g / n_gold if n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            scores[f"{mode}:{t}"] = {"precision": p, "recall": r, "f1": f, "gold": n_gold}
    return scores


def format_scores(scores: dict[str, dict[str, float]]) -> str:
    lines = [f"{'':14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
    for k, v in scores.items():
        lines.append(f"{k:14} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {int(v['gold']):5d}")
    return "\n".join(lines)

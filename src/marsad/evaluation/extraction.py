"""The extractors scored on the project's own annotated JSONL sentences, through the real pipeline.

These files (tests/extract/data/*_gold, *_regression, *_regression_extra) were written by the project: they are
regression tests of rules, not quality figures (those come from real data: `entities.py` here and
benchmarks/eval_ner.py). Every scorer returns a `Scorer`:

- entities: {"text", "entities": [{"text", "type"}]}; modes "exact" and "overlap"; GPE counts as
  LOC and NORP is not scored (ANERcorp-style PER/LOC/ORG);
- times, quantities: {"text", "published", "gold": [{"text", "value", ...}]}; mode "exact" is the
  span, mode "value" the span with its value;
- quotes: {"text", "quotes": [{"text", "speaker", "direct"}]}; mode "overlap" is the quote span,
  mode "speaker" the share of matched quotes whose speaker agrees (its recall).

Gold items are located by searching the text forward from the previous item, so the files stay
readable; an item that is not found is an error in the file, raised with its text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from marsad.evaluation.scoring import Scorer, Span, match_spans
from marsad.model import Article, Provenance
from marsad.normalize import normalize_form
from marsad.pipeline import Pipeline

BASE = ("normalize", "segment", "tokenize")
ENTITY_STAGES = (*BASE, "ner", "entity_resolver")
TIMES_STAGES = (*BASE, "times")
QUANTITIES_STAGES = (*TIMES_STAGES, "quantities")
QUOTES_STAGES = (*BASE, "quotes")
_ENTITY_TYPES = frozenset({"PER", "LOC", "ORG"})
_AS = {"GPE": "LOC"}


def records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            yield n, json.loads(line)


def locate(text: str, items: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, item) for each gold item, its "text" searched forward from the previous one."""
    out, pos = [], 0
    for item in items:
        words = item["text"]
        start = text.find(words, pos)
        if start < 0:
            start = text.find(words)  # gold lists need not be in text order
        if start < 0:
            raise ValueError(f"gold item {words!r} not found in {text!r}")
        pos = start + len(words)
        out.append((start, pos, item))
    return out


def _article(path: Path, n: int, rec: dict[str, Any]) -> Article:
    return Article(
        id=f"{path.stem}:{n}",
        text=rec["text"],
        provenance=Provenance(f"{path}#{n}", "jsonl"),
        published=rec.get("published"),
    )


def score_entities(path: Path, pipeline: Pipeline | None = None) -> Scorer:
    run = pipeline or Pipeline(ENTITY_STAGES)
    scorer = Scorer()
    for n, rec in records(path):
        text = rec["text"]
        gold = {(s, e, _AS.get(g["type"], g["type"])) for s, e, g in locate(text, rec["entities"])}
        art = run(_article(path, n, rec))
        pred = {(m.start, m.end, _AS.get(m.type, m.type)) for m in art.entities}
        scorer.add_spans(
            {g for g in gold if g[2] in _ENTITY_TYPES}, {p for p in pred if p[2] in _ENTITY_TYPES}, text=text
        )
    return scorer


def _score_values(
    path: Path, label: str, extract: Callable[[Article], list[Any]], value_of: Callable[[Any], Any]
) -> Scorer:
    """Mode "exact" scores the spans; mode "value" counts a hit only where the span's value is right."""
    scorer = Scorer()
    for n, rec in records(path):
        text = rec["text"]
        gold = {(s, e, label): g["value"] for s, e, g in locate(text, rec["gold"])}
        pred = {(p.start, p.end, label): value_of(p) for p in extract(_article(path, n, rec))}
        scorer.add_spans(set(gold), set(pred), modes=("exact",), text=text)
        right = 0
        for span, value in pred.items():
            if span not in gold:
                continue
            if gold[span] == value:
                right += 1
            else:
                scorer.error(f"{label} wrong value", text=text[span[0] : span[1]], got=value, gold=gold[span])
        scorer.add_counts("value", label, tp=right, fp=len(pred) - right, fn=len(gold) - right)
    return scorer


def score_times(path: Path, pipeline: Pipeline | None = None) -> Scorer:
    run = pipeline or Pipeline(TIMES_STAGES)
    return _score_values(path, "TIME", lambda art: run(art).times, lambda m: m.value)


def score_quantities(path: Path, pipeline: Pipeline | None = None) -> Scorer:
    """`pipeline`, when given, must run `times` before `quantities`, as the default does."""
    run = pipeline or Pipeline(QUANTITIES_STAGES)
    return _score_values(
        path, "QUANTITY", lambda art: run(art).quantities, lambda m: [m.value, m.qualifier, m.unit, m.of]
    )


def speakers_agree(predicted: str | None, gold: str | None) -> bool:
    """Equal in the matching form, or one contains the other and covers at least half of it (so
    "الجنرال X" vs "قائد القوات، الجنرال X" is a miss)."""
    if predicted is None or gold is None:
        return predicted is gold
    a, b = normalize_form(predicted).strip(), normalize_form(gold).strip()
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) * 2 >= len(long_)


def score_quotes(path: Path, pipeline: Pipeline | None = None) -> Scorer:
    run = pipeline or Pipeline(QUOTES_STAGES)
    scorer = Scorer()
    for n, rec in records(path):
        text = rec["text"]
        gold: dict[Span, Any] = {(s, e, "QUOTE"): q for s, e, q in locate(text, rec["quotes"])}
        pred = {(q.start, q.end, "QUOTE"): q for q in run(_article(path, n, rec)).quotes}
        scorer.add_spans(set(gold), set(pred), modes=("overlap",), text=text)
        for g, p in match_spans(gold, pred, "overlap"):
            speaker = pred[p].speaker
            said = speaker.text if speaker is not None else None
            wanted = gold[g]["speaker"]
            scorer.add_decision(
                "QUOTE",
                True,
                speakers_agree(said, wanted),
                mode="speaker",
                error_class="QUOTE wrong speaker",
                text=text[g[0] : g[1]],
                said=said,
                wanted=wanted,
            )
    return scorer

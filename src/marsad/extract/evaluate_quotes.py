"""Score the quotes component against a gold file: span overlap and speaker match.

Gold format (JSON lines): {"text": ..., "quotes": [{"text": quoted words, "speaker": text or
null, "direct": bool}]}. A predicted quote matches a gold quote when their clean-text spans
overlap (each gold quote used once); precision and recall count matches, and the speaker score is
the share of matched quotes whose speaker agrees: equal in the matching form, or one contains the
other and covers at least half of it (so "الجنرال X" vs "قائد القوات، الجنرال X" is a miss).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from marsad.model import Article, Provenance, Quote, document_id
from marsad.normalize import normalize_form
from marsad.pipeline import Pipeline


@dataclass(frozen=True, slots=True)
class QuoteScores:
    gold: int
    predicted: int
    matched: int
    speaker_matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_matched / self.matched if self.matched else 1.0


def speakers_agree(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is gold
    a, b = normalize_form(predicted).strip(), normalize_form(gold).strip()
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) * 2 >= len(long_)


def _gold_span(text: str, quoted: str) -> tuple[int, int]:
    start = text.find(quoted)
    if start < 0:
        raise ValueError(f"gold quote {quoted!r} is not in its text {text!r}")
    return start, start + len(quoted)


def score(gold_path: Path, pipeline: Pipeline | None = None) -> QuoteScores:
    pipeline = pipeline or Pipeline(["normalize", "segment", "tokenize", "quotes"])
    gold_n = pred_n = matched = speaker_ok = 0
    for line_no, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        article = Article(
            id=document_id(text),
            text=text,
            provenance=Provenance(source=f"{gold_path}#{line_no}", format="jsonl"),
        )
        predicted: list[Quote] = pipeline(article).quotes
        gold = [(_gold_span(text, g["text"]), g) for g in record["quotes"]]
        gold_n += len(gold)
        pred_n += len(predicted)
        used: set[int] = set()
        for q in predicted:
            for i, ((s, e), g) in enumerate(gold):
                if i not in used and q.start < e and s < q.end:
                    used.add(i)
                    matched += 1
                    speaker_ok += speakers_agree(q.speaker.text if q.speaker else None, g["speaker"])
                    break
    return QuoteScores(gold_n, pred_n, matched, speaker_ok)

"""Entity recognition measured on ANERcorp: k-fold cross-validation through the real pipeline.

ANERcorp annotates whole space-separated words, proclitics included (بألمانيا is one LOC word),
while marsad's mentions leave a proclitic out; both sides are therefore compared as the ANERcorp
words they cover. GPE counts as LOC (ANERcorp has no GPE), NORP and MISC are not scored (a
nationality adjective is O there). Folds are contiguous blocks of sentences, so the sentences of one
news story stay together, and each fold's model is trained on the other folds only: nothing learned
from data has seen the sentences it is scored on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from marsad.evaluation.scoring import Scorer, Span
from marsad.extract.lexicon_loader import load_lexicons
from marsad.extract.ner_train import GoldSentence, train
from marsad.model import Article, Provenance
from marsad.pipeline import Pipeline

SCORED = frozenset({"PER", "LOC", "ORG"})
_AS = {"GPE": "LOC"}
# The path a run takes, recogniser then resolver; the ner model is set per fold.
STAGES = ("normalize", "segment", "tokenize", "ner", "entity_resolver")


def word_spans(sentence: GoldSentence, spans: Sequence[tuple[int, int, str]]) -> set[Span]:
    """Predicted character spans widened to the whole ANERcorp words they touch, scored types only."""
    words = sentence.word_spans()
    out = set()
    for s, e, kind in spans:
        kind = _AS.get(kind, kind)
        if kind not in SCORED:
            continue
        touched = [(ws, we) for ws, we in words if ws < e and s < we]
        if touched:
            out.add((touched[0][0], touched[-1][1], kind))
    return out


def score_sentences(
    sentences: Sequence[GoldSentence], run: Callable[[Article], Article], scorer: Scorer | None = None
) -> Scorer:
    scorer = scorer or Scorer()
    for n, sentence in enumerate(sentences):
        text = sentence.text
        article = run(Article(id=f"s{n}", text=text, provenance=Provenance("anercorp", "conll")))
        pred = word_spans(sentence, [(m.start, m.end, m.type) for m in article.entities])
        gold = {g for g in sentence.entity_spans() if g[2] in SCORED}

        scorer.add_spans(gold, pred, text=text)
    return scorer


def folds(sentences: Sequence[GoldSentence], k: int) -> list[tuple[list[GoldSentence], list[GoldSentence]]]:
    """(train, test) for each of k contiguous blocks."""
    n = len(sentences)
    cuts = [n * i // k for i in range(k + 1)]
    return [
        (list(sentences[: cuts[i]]) + list(sentences[cuts[i + 1] :]), list(sentences[cuts[i] : cuts[i + 1]]))
        for i in range(k)
    ]


def cross_validate(
    sentences: Sequence[GoldSentence],
    k: int = 5,
    variants: dict[str, dict[str, Any]] | None = None,
    stages: Sequence[str] = STAGES,
    progress: Callable[[str], None] | None = None,
    models: Path | None = None,
) -> dict[str, Scorer]:
    """One Scorer per variant over all k held-out folds. A variant is a config (e.g. the resolver's
    `rule_fallback`); when `ner` is a stage, each fold's model is trained once, on the other folds
    only, and every variant is run with it. With `models`, fold models are kept in that folder and
    reused when present (to compare resolver changes without retraining: clear it whenever the
    features, the lexicons or the data change)."""
    variants = variants or {"default": {}}
    scorers = {name: Scorer() for name in variants}
    lex = load_lexicons()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (train_part, test_part) in enumerate(folds(sentences, k)):
            model = (models or Path(tmp)) / f"fold{i}of{k}.crfsuite"
            if "ner" in stages and not (models and model.exists()):
                train(train_part, model, lex)
            for name, config in variants.items():
                cfg = {section: dict(values) for section, values in config.items()}
                if "ner" in stages:
                    cfg.setdefault("ner", {})["model"] = str(model)
                score_sentences(test_part, Pipeline(stages, cfg), scorers[name])
                if progress:
                    f1 = scorers[name].counts["exact"]["ALL"].f1
                    progress(f"fold {i + 1}/{k} {name}: exact F1 so far {f1:.3f}")
    return scorers

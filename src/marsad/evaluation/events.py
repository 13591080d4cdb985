"""Event evaluation: sentence detection on real wire copy (PLOVER GSR) and the project's own sets.

GSR rows are AFP Arabic sentences judged for one category (ASSAULT or PROTEST) with a label
`yes`, `easy no`, `difficult no` or `ambiguous` (see ../shared/data/README.md). A sentence counts
as detected when the coder reports an asserted, non-negated event of that category in it. Two
label variants are scored: `strict` (only `yes` is positive, every other row negative) and
`no difficult` (as strict, with the `difficult no` rows dropped).

The rows are split by a hash of their document id into a `dev` part, which one reads and tunes on,
and a `check` part, which one only scores: its errors are never printed. Every miss and false
alarm of the dev part is filed under an error class read from the sentence and the coder's own
record (planned or hypothetical, historical background, denied, wrong category, ...), so a
report shows which kind of mistake dominates.

The project-written JSONL sets (tests/events/data) are regression sets for the coder's rules, not
quality figures: `score_event_set` scores them with the same scorer.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.evaluation.scoring import Scorer
from marsad.events.lexicon import EventLexicon
from marsad.model import Article, Provenance
from marsad.model.spans import EventMention
from marsad.pipeline import Pipeline

STAGES = ("normalize", "segment", "tokenize", "ner", "entity_resolver", "times", "quantities", "events")
VARIANTS = ("strict", "no difficult")
PARTS = ("dev", "check")
_SENTENCE_NUMBER = re.compile(r"[-_]\d+$")
_AFP_DATE = re.compile(r"_(\d{4})(\d{2})(\d{2})\.")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_TRIGGER = re.compile(r"trigger '([^']+)'")


@dataclass(frozen=True, slots=True)
class GsrRow:
    id: str
    document: str
    category: str
    label: str
    text: str
    published: str | None

    @property
    def part(self) -> str:
        return part_of(self.document)


def part_of(document: str) -> str:
    """`dev` or `check`, fixed by a hash of the document id so that every sentence of one document
    falls in the same part and the split never changes between runs or machines."""
    digest = hashlib.sha1(document.encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "check"


def read_gsr(path: str | Path) -> list[GsrRow]:
    rows = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            date = _AFP_DATE.search(rec["id"])
            rows.append(
                GsrRow(
                    id=rec["id"],
                    document=_SENTENCE_NUMBER.sub("", rec["id"]),
                    category=rec["event_type"],
                    label=rec["label"],
                    text=rec["text"],
                    published="-".join(date.groups()) if date else None,
                )
            )
    return rows


def gold_of(row: GsrRow, variant: str) -> bool | None:
    """The row's gold decision under a label variant; None when the variant drops the row."""
    if variant == "no difficult" and row.label == "difficult no":
        return None
    if variant not in VARIANTS:
        raise ValueError(f"unknown label variant {variant!r}; use one of {VARIANTS}")
    return row.label == "yes"


def run_pipeline(
    texts: Iterable[tuple[str, str, str | None]], pipeline: Pipeline | None = None
) -> Iterator[Article]:
    """Articles through the per-document stages, one per (id, text, published)."""
    pipe = pipeline or Pipeline(list(STAGES))
    for doc_id, text, published in texts:
        art = Article(
            id=doc_id, text=text, provenance=Provenance(source=doc_id, format="csv"), published=published
        )
        yield pipe(art)


def reported(article: Article, category: str) -> list[EventMention]:
    """Events of `category` the article reports as having happened."""
    return [
        ev for ev in article.events if ev.type == category and not ev.negated and ev.modality == "asserted"
    ]


class ErrorClasses:
    """Names the class of a GSR error from the sentence's cues and the coder's record.

    The cues are the coder's own (events/lexicons/modality.tsv), read here only to file an error;
    a class says what the sentence looks like, so a report can show, say, that most false alarms
    are planned or historical events rather than that the lexicon lacks a word."""

    def __init__(self) -> None:
        self.lexicon = EventLexicon.load()

    def _has_cue(self, article: Article, kind: str, value: str | None = None) -> bool:
        toks = article.tokens or []
        for k, tok in enumerate(toks):
            hit = self.lexicon.cue(kind, tok.norm)
            multi = self.lexicon.multi_cue(kind, toks, k)
            if (hit is not None and value in (None, hit)) or (multi and value in (None, multi[0])):
                return True
        return False

    def _trigger_index(self, article: Article, event: EventMention) -> int | None:
        """The token index of the event's trigger, read from its reason ("trigger 'X' ...")."""
        found = _TRIGGER.search(event.reason or "")
        toks = article.tokens or []
        if found is None:
            return None
        return next(
            (
                k
                for k, t in enumerate(toks)
                if event.start <= t.start < event.end and t.text == found.group(1)
            ),
            None,
        )

    def _cue_before(self, article: Article, k: int, kind: str, reach: int = 6) -> bool:
        toks = article.tokens or []
        return any(self.lexicon.cue_at(kind, toks, j) is not None for j in range(max(0, k - reach), k))

    def false_alarm(self, article: Article, events: list[EventMention], published: str | None) -> str:
        """The class of a sentence coded for a category its gold label says it does not report,
        read from the words around the first coded trigger."""
        first = events[0]
        k = self._trigger_index(article, first)
        kind = "verb" if ") verb [" in (first.reason or "") else "noun"
        if k is None:
            return f"other false alarm ({kind} trigger)"
        toks = article.tokens or []
        if self._cue_before(article, k, "negation", 3) or any(
            ev.type == "REJECT" and ev.mode == "deny" for ev in article.events
        ):
            return "denied"
        years = [
            int(y)
            for y in _YEAR.findall(
                article.text[toks[max(0, k - 8)].start : toks[min(len(toks) - 1, k + 8)].end]
            )
        ]
        if self._cue_before(article, k, "background", 3) or (
            published and any(y < int(published[:4]) for y in years)
        ):
            return "historical background"
        if self._cue_before(article, k, "modal"):
            return "planned/hypothetical/generic"
        if k > 0 and toks[k - 1].norm in self.lexicon.grammar.relatives:
            return "relative clause (description of a participant or event)"
        if first.mode == "abduct":
            return "abduction category"
        if kind == "noun" and (
            (k > 0 and toks[k - 1].norm in self.lexicon.grammar.prepositions)
            or self.lexicon.grammar.attached_prep(toks[k].norm)
        ):
            return "setting of another event (noun in a prepositional phrase)"
        if any(ev.type != first.type for ev in article.events):
            return "sentence reports another category"
        return f"other false alarm ({kind} trigger)"

    def miss(self, article: Article, category: str) -> str:
        others = [ev for ev in article.events if ev.type != category]
        if any(ev.type == category for ev in article.events):
            return "found but not asserted (negated/modal)"
        if others:
            return f"wrong category ({', '.join(sorted({ev.type for ev in others}))})"
        kinds = self.lexicon.trigger_kinds(article.tokens or [], category)
        if not kinds:
            return "no trigger word"
        if "masdar" in kinds:
            return "noun-first report missed"
        return "verb report missed (clause/actor)"


def score_gsr(
    rows: list[GsrRow], articles: list[Article], *, examples: bool = True
) -> dict[tuple[str, str], Scorer]:
    """One scorer per (part, variant); errors are kept for the dev part only."""
    classes = ErrorClasses()
    scorers = {(part, variant): Scorer() for part in PARTS for variant in VARIANTS}
    for row, art in zip(rows, articles, strict=True):
        events = reported(art, row.category)
        pred = bool(events)
        error_class = None
        if row.part == "dev" and examples and pred != (row.label == "yes"):
            error_class = (
                classes.false_alarm(art, events, row.published) if pred else classes.miss(art, row.category)
            )
        for variant in VARIANTS:
            gold = gold_of(row, variant)
            if gold is None:
                continue
            scorer = scorers[(row.part, variant)]
            keep = row.part == "dev" and examples
            if not keep:
                scorer.add_decision(row.category, gold, pred, mode=variant)
                scorer.errors.clear()  # the check part is scored, never read
                continue
            scorer.add_decision(
                row.category,
                gold,
                pred,
                mode=variant,
                error_class=f"{row.category} {'false alarm' if pred else 'miss'}: {error_class}",
                id=row.id,
                gold_label=row.label,
                reasons=[ev.reason for ev in events] or [ev.reason for ev in art.events][:2],
            )
    return scorers


def evaluate_gsr(
    paths: Iterable[str | Path], pipeline: Pipeline | None = None
) -> tuple[list[GsrRow], dict[tuple[str, str], Scorer]]:
    rows = [row for path in paths for row in read_gsr(path)]
    articles = list(run_pipeline(((r.id, r.text, r.published) for r in rows), pipeline))
    return rows, score_gsr(rows, articles)


# ----------------------------------------------------------------- project-written event sets
def read_event_set(path: str | Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score_event_set(path: str | Path, pipeline: Pipeline | None = None) -> Scorer:
    """Per-category sentence decisions on a JSONL set ({"text", "published", "events": [...]}),
    plus actor-code and modality accuracy on matched events (modes `source`, `target`,
    `modality`: a hit counts as tp, a wrong value as fn)."""
    gold = read_event_set(path)
    scorer = Scorer()
    lexicon = EventLexicon.load()
    texts = ((f"set{n}", rec["text"], rec.get("published")) for n, rec in enumerate(gold))
    for rec, art in zip(gold, run_pipeline(texts, pipeline), strict=True):
        preds = [ev for ev in art.events if not ev.negated]
        want = {ev["type"] for ev in rec["events"] if not ev.get("negated")}
        got = {ev.type for ev in preds}
        # The keyword baseline flags a category whenever one of its trigger words occurs: what the
        # coder's filters must beat on sentences that use trigger words without reporting an event.
        keyword = {
            row.category
            for info in lexicon.word_infos([t.norm for t in art.tokens or []])
            for row, _, _ in info.cands
        }
        for cat in want | got | keyword:
            if cat in want or cat in got:
                scorer.add_decision(
                    cat, cat in want, cat in got, text=rec["text"], reasons=[e.reason for e in preds]
                )
            scorer.add_decision(
                cat, cat in want, cat in keyword, mode="keyword baseline", error_class="baseline"
            )
        for gev in rec["events"]:
            match = next((ev for ev in preds if ev.type == gev["type"]), None)
            if match is None:
                continue
            for side in ("source", "target"):
                code = gev.get(f"{side}_code")
                if code:
                    ref = getattr(match, side)
                    scorer.add_accuracy(side, ref is not None and ref.code == code)
            scorer.add_accuracy("modality", match.modality == gev.get("modality", "asserted"))
    scorer.errors.pop("baseline", None)
    return scorer


def macro_f1(scorer: Scorer, mode: str = "decision") -> float:
    """Mean F1 over the categories that have gold items."""
    f1s = [c.f1 for c in scorer.counts[mode].values() if c.tp + c.fn]
    return sum(f1s) / len(f1s) if f1s else 0.0


# ----------------------------------------------------------------- actor codes on annotated sentences
@dataclass(frozen=True, slots=True)
class ActorGold:
    """One annotated real sentence (benchmarks/data/actors_gold.jsonl): a reference into
    ../shared/data, the event type, and the gold source and target codes (None: not named)."""

    ref: dict[str, Any]
    type: str
    source: str | None
    target: str | None

    @property
    def key(self) -> str:
        return f"{self.ref['file']}#{self.ref['id']}"


def read_actor_gold(path: str | Path) -> list[ActorGold]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        rec = json.loads(line)
        if "_about" in rec:
            continue
        codes = [(rec[side] or {}).get("code") for side in ("source", "target")]
        out.append(ActorGold(rec["ref"], rec["type"], codes[0], codes[1]))
    return out


def _annotated_articles(gold: list[ActorGold], data: Path) -> dict[str, tuple[str, str, str | None]]:
    """(id, text, published) of the article each annotation points into, read from ../shared/data.
    A GSR row is its own article; a SaudiNewsNet sentence is coded inside its whole article."""
    out: dict[str, tuple[str, str, str | None]] = {}
    gsr = [g for g in gold if g.ref["file"].startswith("gsr/")]
    for file in {g.ref["file"] for g in gsr}:
        by_id = {row.id: row for row in read_gsr(data / file)}
        for g in gsr:
            if g.ref["file"] == file:
                row = by_id[g.ref["id"]]
                out[g.key] = (row.id, row.text, row.published)
    wanted = {g.ref["id"]: g for g in gold if not g.ref["file"].startswith("gsr/")}
    if wanted:
        with gzip.open(data / "saudinewsnet" / "july2015.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                art = json.loads(line)
                if art["id"] in wanted:
                    out[wanted[art["id"]].key] = (
                        art["id"],
                        art["text"],
                        (art.get("published") or "")[:10] or None,
                    )
    return out


def score_actors(path: str | Path, data: str | Path, pipeline: Pipeline | None = None) -> Scorer:
    """Source and target code accuracy on the first coded event of the annotated type in each
    annotated sentence (mode `accuracy`, labels `source` and `target`: None counts as a value, so
    a source the sentence does not name is right only when none is coded). Sentences where no
    event of that type is coded are counted under mode `event found`."""
    gold = read_actor_gold(path)
    texts = _annotated_articles(gold, Path(data))
    pipe = pipeline or Pipeline(list(STAGES))
    scorer = Scorer()
    for g in gold:
        doc_id, text, published = texts[g.key]
        art = next(run_pipeline([(doc_id, text, published)], pipe))
        lo, hi = g.ref.get("start", 0), g.ref.get("end", len(text))
        events = [
            ev for ev in art.events if ev.type == g.type and not ev.negated and ev.start < hi and lo < ev.end
        ]
        scorer.add_decision(
            g.type, True, bool(events), mode="event found", error_class="event not found", ref=g.key
        )
        if not events:
            continue
        ev = events[0]
        for side, want in (("source", g.source), ("target", g.target)):
            ref = getattr(ev, side)
            got = ref.code if ref is not None else None
            scorer.add_accuracy(side, got == want, ref=g.key, gold=want, coded=got, reason=ev.reason)
            if got != want:
                scorer.error(f"{side}: {actor_error_class(want, got)}", ref=g.key)
    scorer.errors.pop("source wrong", None)
    scorer.errors.pop("target wrong", None)
    return scorer


def actor_error_class(gold: str | None, coded: str | None) -> str:
    """Why a coded actor code differs from the gold one, by the parts of the code."""
    if coded is None:
        return "not coded (gold names one)"
    if gold is None:
        return "coded (gold: none named)"
    g, c = gold.split(), coded.split()
    if g[0] == c[0]:
        return "right country, wrong or missing role"
    if g[-1] == c[-1] and len(g) > 1:
        return "right role, wrong or missing country"
    return "another actor"

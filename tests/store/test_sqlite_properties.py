"""Property: any articles and outcomes, written in any batch split, read back unchanged and counted right."""

from __future__ import annotations

import itertools
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.model import (
    Article,
    EntityMention,
    Provenance,
    QuantityMention,
    Quote,
    Speaker,
    TimeMention,
    document_id,
)
from marsad.store import Outcome, SQLiteStore

# Arabic letters, a few marks and digits, spaces and Latin: what news text is made of.
ALPHABET = (
    "".join(chr(c) for c in range(0x0621, 0x064B)) + "\u064b\u0650ـ٠١٢٣" + " .،" + string.ascii_letters[:6]
)
WORDS = st.text(alphabet=ALPHABET, min_size=1, max_size=300)
JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10)
NUMBERS = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def spans(draw: st.DrawFn, text: str) -> tuple[int, int, str]:
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    return a, b, text[a:b]


@st.composite
def articles(draw: st.DrawFn) -> Article:
    text = draw(WORDS)
    opt = st.none() | st.text(max_size=20)
    ents = [
        EntityMention(*draw(spans(text)), "entities", draw(opt), type=draw(st.sampled_from(["PER", "ORG", "GPE"])),
                      name=draw(st.text(max_size=10)), country=draw(st.none() | st.just("SYR")))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    times = [
        TimeMention(*draw(spans(text)), "times", None, value=draw(opt), relative=draw(st.booleans()))
        for _ in range(draw(st.integers(0, 2)))
    ]
    qtys = [
        QuantityMention(
            *draw(spans(text)), "quantities", None, value=draw(NUMBERS), of=draw(st.none() | NUMBERS)
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    quotes = []
    for _ in range(draw(st.integers(0, 2))):
        s, e, t = draw(spans(text))
        speaker = draw(
            st.none() | st.builds(Speaker, st.text(max_size=8), st.integers(0, 50), st.integers(50, 99))
        )
        quotes.append(Quote(s, e, t, "quotes", draw(opt), speaker=speaker, direct=draw(st.booleans())))
    sentence_ends = sorted(draw(st.lists(st.integers(0, len(text)), max_size=4)))
    return Article(
        id=document_id(text),
        text=text,
        provenance=Provenance(
            draw(st.text(min_size=1, max_size=30)), "txt", draw(st.none() | st.integers(0, 9))
        ),
        external_id=draw(opt),
        title=draw(opt),
        published=draw(st.none() | st.just("2024-05-01")),
        language=draw(st.none() | st.just("ar")),
        language_score=draw(st.none() | NUMBERS),
        sentences=list(zip([0, *sentence_ends], [*sentence_ends, len(text)], strict=True)),
        entities=ents,
        times=times,
        quantities=qtys,
        quotes=quotes,
        meta=draw(st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=3)),
    )


@st.composite
def runs(draw: st.DrawFn) -> tuple[list[Article], list[list[Outcome]], list[list[Article]]]:
    """Articles in input order, their outcomes (plus failed inputs), cut into arbitrary batches."""
    inputs = draw(st.lists(articles() | st.sampled_from(["filtered", "quarantined"]), max_size=25))
    first: dict[str, Article] = {}
    items: list[tuple[Outcome, Article | None]] = []
    for n, item in enumerate(inputs):
        key = f"input-{n}"
        if isinstance(item, str):
            items.append((Outcome(key, f"in/{n}", item, None, f"{item} because of test {n}"), None))
        elif item.id in first:
            items.append((Outcome(key, f"in/{n}", "duplicate", item.id, f"copy of {item.id}", "ar"), None))
        else:
            first[item.id] = item
            items.append((Outcome(key, f"in/{n}", "stored", item.id, None, item.language), item))
    cuts = sorted(draw(st.lists(st.integers(0, len(items)), max_size=6)))
    bounds = [0, *cuts, len(items)]
    batches = [items[a:b] for a, b in itertools.pairwise(bounds)]
    outcome_batches = [[o for o, _ in b] for b in batches]
    article_batches = [[a for _, a in b if a is not None] for b in batches]
    return list(first.values()), outcome_batches, article_batches


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_sqlite_any_batch_split_round_trips(
    run: tuple[list[Article], list[list[Outcome]], list[list[Article]]],
) -> None:
    unique, outcome_batches, article_batches = run
    all_outcomes = [o for batch in outcome_batches for o in batch]
    with SQLiteStore(":memory:") as store:
        for outcomes, arts in zip(outcome_batches, article_batches, strict=True):
            store.write_batch(outcomes, arts, "fp")
        counts = store.counts()
        # Writing everything again, in one batch this time, must change nothing.
        store.write_batch(all_outcomes, unique, "fp2")
        assert store.counts() == counts
        assert list(store.iter_articles(batch=3)) == unique
        assert store.get_articles([a.id for a in reversed(unique)]) == unique[::-1]
        assert list(store.iter_outcomes(batch=4)) == all_outcomes
        by_status = {
            s: sum(o.status == s for o in all_outcomes)
            for s in ("stored", "duplicate", "filtered", "quarantined")
        }
        assert counts == {
            "inputs": len(all_outcomes),
            "stored": by_status["stored"],
            "duplicates": by_status["duplicate"],
            "filtered": by_status["filtered"],
            "quarantined": by_status["quarantined"],
            "documents": len(unique),
        }
        assert store.fingerprints([a.id for a in unique]) == {a.id: "fp" for a in unique}

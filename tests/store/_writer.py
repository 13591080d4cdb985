"""Kill-test helper: write many batches of generated articles and outcomes, resuming like a rerun.

Run as `python _writer.py DB N_BATCHES BATCH_SIZE`. Prints `ready` once the store is open and
`committed B` after each batch B commits, so the test can check that everything reported as
committed survived a SIGKILL. Batch B is recognisable in the database by its markers: outcome
keys and sources start with `bBBBB-`, article external ids too. Within a batch, input i is
quarantined when i % 10 == 9, filtered when i % 10 == 8, a duplicate of input i - 1 when
i % 10 == 7, and stored otherwise, so every status and the same-batch duplicate path are exercised.
"""

from __future__ import annotations

import sys

from marsad.model import Article, EntityMention, Provenance, QuantityMention, document_id
from marsad.store import Outcome, SQLiteStore

# Words to build distinct article bodies from; written for this test, not taken from any article.
WORDS = [
    "أعلنت",
    "الوزارة",
    "اليوم",
    "عن",
    "خطة",
    "جديدة",
    "لدعم",
    "المزارعين",
    "في",
    "المناطق",
    "الريفية",
    "بعد",
    "موسم",
    "جفاف",
    "طويل",
]
FINGERPRINT = "kill-test"


def body(b: int, i: int, size: int = 60) -> str:
    words = [WORDS[(b * 31 + i * 7 + k) % len(WORDS)] for k in range(size)]
    return f"الخبر {b} رقم {i}: " + " ".join(words) + f" وبلغ عدد المستفيدين {b * 100 + i} أسرة."


def article(b: int, i: int) -> Article:
    text = body(b, i)
    marker = f"b{b:04d}-{i:03d}"
    start = text.index("الوزارة")
    number = str(b * 100 + i)
    qstart = text.rindex(number)
    return Article(
        id=document_id(text),
        text=text,
        provenance=Provenance(source=f"{marker}.txt", format="txt"),
        external_id=marker,
        language="ar",
        meta={"batch": b},
        entities=[
            EntityMention(start, start + 7, "الوزارة", component="kill-test", type="ORG", name="الوزارة")
        ],
        quantities=[
            QuantityMention(qstart, qstart + len(number), number, component="kill-test", value=float(number))
        ],
    )


def batch(b: int, size: int) -> tuple[list[Outcome], list[Article]]:
    outcomes: list[Outcome] = []
    articles: list[Article] = []
    for i in range(size):
        marker = f"b{b:04d}-{i:03d}"
        if i % 10 == 9:
            outcomes.append(Outcome(marker, f"{marker}.txt", "quarantined", None, "empty file"))
        elif i % 10 == 8:
            outcomes.append(Outcome(marker, f"{marker}.txt", "filtered", None, "not Arabic", "en"))
        elif i % 10 == 7:
            doc = articles[-1].id
            outcomes.append(Outcome(marker, f"{marker}.txt", "duplicate", doc, f"copy of {doc}", "ar"))
        else:
            a = article(b, i)
            articles.append(a)
            outcomes.append(Outcome(marker, f"{marker}.txt", "stored", a.id, None, "ar"))
    return outcomes, articles


def expected_articles(size: int) -> int:
    """Articles one batch stores."""
    return sum(1 for i in range(size) if i % 10 < 7)


def main(db: str, n_batches: int, size: int) -> None:
    with SQLiteStore(db) as store:
        print("ready", flush=True)
        for b in range(n_batches):
            outcomes, articles = batch(b, size)
            known = store.outcomes([o.key for o in outcomes])
            if len(known) == len(outcomes):
                continue  # committed by an earlier run: resume after it
            store.write_batch(
                [o for o in outcomes if o.key not in known],
                [a for a in articles if a.external_id not in known],
                FINGERPRINT,
            )
            print(f"committed {b}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))

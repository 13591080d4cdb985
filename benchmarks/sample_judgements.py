"""Sample cross-document records of a real run for judging by reading, and score the verdicts.

The cross-document claims (contradictions, merged events, linked entities) can only be judged by
reading the articles they cite. This script draws a fixed-seed sample from a run's report.json,
prints each record with the sentences it rests on (to the terminal, for the reader: no article
text goes into the repository), and writes a skeleton of the judged file: one JSON line per
record with its id and the documents and offsets it cites, and an empty verdict. The reader
fills in `verdict` ("real"/"not" for contradictions, "right"/"wrong" otherwise) and a one-line
`reason`; `--score` prints the rate.

    python benchmarks/sample_judgements.py OUT/report.json contradictions --skeleton x.jsonl
    python benchmarks/sample_judgements.py OUT/report.json events --n 50 --seed 9
    python benchmarks/sample_judgements.py OUT/report.json entities --n 50 --seed 9
    python benchmarks/sample_judgements.py --score benchmarks/judged/contradictions.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

POSITIVE = frozenset({"real", "right"})


def _sentence(doc: dict[str, Any], offset: int, width: int = 220) -> str:
    for s, e in doc["sentences"]:
        if s <= offset < e:
            return doc["text"][s:e][:width].replace("\n", " ")
    return doc["text"][max(0, offset - 80) : offset + 80].replace("\n", " ")


def _candidates(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    if kind == "contradictions":
        return list(report["contradictions"])
    if kind == "events":
        return [e for e in report["events"] if len({m["doc"] for m in e["mentions"]}) > 1]
    # Entities that linking made from more than one form or document: where linking decided.
    return [e for e in report["entities"] if len(e["aliases"]) > 1 or e.get("documents", 1) > 1]


def _refs(record: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    spans = record["claims"] if kind == "contradictions" else record["mentions"]
    return [{"doc": r["doc"], "start": r["start"], "end": r["end"]} for r in spans]


def _show(record: dict[str, Any], kind: str, docs: dict[str, dict[str, Any]], limit: int) -> Iterator[str]:
    if kind == "contradictions":
        yield f"== {record['id']} {record['kind']} {record.get('label')} {record['about']}"
        yield f"   {record.get('reason')}"
    elif kind == "events":
        src, tgt = record.get("source") or {}, record.get("target") or {}
        yield (
            f"== {record['id']} {record['type']} {record.get('mode')} {src.get('code')} -> {tgt.get('code')} "
            f"date={record['date']['value']} reports={len(record['mentions'])} sources={record.get('sources')}"
        )
    else:
        yield f"== {record['id']} {record['type']} {record['name']} country={record.get('country')}"
        yield f"   aliases: {record['aliases'][:12]}"
    seen: set[str] = set()
    for ref in record["claims"] if kind == "contradictions" else record["mentions"]:
        if kind != "contradictions" and ref["doc"] in seen:
            continue
        seen.add(ref["doc"])
        doc = docs[ref["doc"]]
        value = ref.get("value")
        yield f"   {doc.get('outlet')} {doc.get('published')} [{ref.get('text')}] {value if value else ''}"
        yield f"      {_sentence(doc, ref['start'])}"
        if len(seen) >= limit:
            break


def sample(report_path: Path, kind: str, n: int, seed: int, skeleton: Path | None) -> None:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in report["documents"]}
    pool = _candidates(report, kind)
    chosen = pool if len(pool) <= n else random.Random(seed).sample(pool, n)
    print(f"{kind}: {len(pool)} candidates, {len(chosen)} sampled (seed {seed})")
    rows = []
    for record in chosen:
        for line in _show(record, kind, docs, limit=6):
            print(line)
        rows.append({"id": record["id"], "refs": _refs(record, kind)[:12], "verdict": None, "reason": ""})
    if skeleton is not None:
        skeleton.parent.mkdir(parents=True, exist_ok=True)
        skeleton.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def score(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    judged = [r for r in rows if r.get("verdict")]
    good = sum(r["verdict"] in POSITIVE for r in judged)
    rate = good / len(judged) if judged else 0.0
    print(f"{path.name}: {good} of {len(judged)} judged {'/'.join(sorted(POSITIVE))} ({rate:.0%})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path)
    parser.add_argument("kind", nargs="?", choices=("contradictions", "events", "entities"))
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--skeleton", type=Path, help="write the judged-file skeleton here")
    parser.add_argument("--score", type=Path, help="print the rate of a judged file and stop")
    args = parser.parse_args(argv)
    if args.score:
        score(args.score)
        return 0
    if args.report is None or args.kind is None:
        parser.error("give REPORT and KIND, or --score FILE")
    sample(args.report, args.kind, args.n, args.seed, args.skeleton)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate a realistic Arabic news corpus of any size from the project's own example articles.

Material: the sentences of `examples/articles/` (written for this project). Each generated
article draws a headline and 6-14 sentences from that pool, with names, places and figures
varied from small lists, so articles differ the way wire rewrites do. A share of the output is
deliberately redundant, as real news is: exact copies, near-verbatim copies (a few words
changed) and HTML pages wrapped in site furniture (navigation, share buttons, footer).

    python benchmarks/generate_corpus.py --articles 5000 --out benchmarks/corpora/text --format txt
    python benchmarks/generate_corpus.py --articles 2000 --out benchmarks/corpora/html --format html
    python benchmarks/generate_corpus.py --articles 5000 --out corpus.jsonl --format jsonl
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"

OUTLETS = ["وكالة الأفق للأنباء", "صحيفة المرصد اليومي", "شبكة الخليج الإخبارية", "موقع الشرق الجديد",
           "صحيفة الواحة الدولية", "بوابة النخبة الإخبارية", "منصة بوصلة نيوز", "صحيفة صدى العاصمة"]
AUTHORS = ["سارة حداد", "محمود الخطيب", "ليلى منصور", "يوسف العمري", "هدى الشامي", "كريم بن علي"]
CITIES = ["سيول", "موسكو", "كييف", "واشنطن", "بروكسل", "طوكيو", "بكين", "القاهرة", "الدوحة", "بيروت"]
WORD_SWAPS = [("أكد", "أوضح"), ("قال", "ذكر"), ("كبيرة", "ضخمة"), ("الجنود", "العسكريين"),
              ("أعلن", "كشف"), ("مسؤولون", "مسؤولين"), ("الحرب", "النزاع")]
FURNITURE_TOP = """<header><div class="banner">الموقع الرسمي | {outlet}</div>
<nav class="menu"><ul><li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li>
<li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li><li><a href="/video">فيديو</a></li></ul></nav></header>"""
FURNITURE_SHARE = """<div class="share-buttons"><span>مشاركة :</span><a class="share facebook">فيسبوك</a>
<a class="share twitter">تويتر</a><a class="share whatsapp">واتساب</a></div>"""
FURNITURE_BOTTOM = """<aside class="related"><h3>اقرأ أيضا</h3><ul><li><a href="/a/1">{rel1}</a></li>
<li><a href="/a/2">{rel2}</a></li></ul></aside>
<footer><p>جميع الحقوق محفوظة © {year} {outlet}</p><p><a>{outlet} | Facebook</a></p></footer>"""


def load_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!؟])\s+", line.strip()):
                if len(sentence.split()) >= 6:
                    sentences.append(sentence)
    if not sentences:
        raise SystemExit(f"no example sentences found under {EXAMPLES}")
    return sentences


def vary(sentence: str, rng: random.Random) -> str:
    sentence = re.sub(r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 40))), sentence)
    for a, b in WORD_SWAPS:
        if a in sentence and rng.random() < 0.3:
            sentence = sentence.replace(a, b, 1)
    return sentence


def make_article(pool: list[str], rng: random.Random, n: int) -> dict[str, str]:
    body = [vary(s, rng) for s in rng.sample(pool, rng.randint(6, 14))]
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    outlet = rng.choice(OUTLETS)
    day = date(2024, 10, 1) + timedelta(days=rng.randint(0, 90))
    title = " ".join(body[0].split()[:9])
    dateline = f"{rng.choice(CITIES)} - {outlet} - {rng.choice(AUTHORS)}"
    return {"id": f"gen-{n:06d}", "title": title, "outlet": outlet, "published": day.isoformat(),
            "dateline": dateline, "paragraphs": paragraphs}


def near_copy(article: dict, rng: random.Random, n: int) -> dict:
    paragraphs = list(article["paragraphs"])
    i = rng.randrange(len(paragraphs))
    words = paragraphs[i].split()
    j = rng.randrange(len(words))
    words[j] = rng.choice(["أيضا", "كذلك", "بالفعل", "مجددا"])
    paragraphs[i] = " ".join(words)
    return {**article, "id": f"gen-{n:06d}", "outlet": rng.choice(OUTLETS), "paragraphs": paragraphs}


def as_text(article: dict) -> str:
    return "\n\n".join([article["title"], article["dateline"], *article["paragraphs"]]) + "\n"


def as_html(article: dict, rng: random.Random) -> str:
    e = html.escape
    paras = "\n".join(f"<p>{e(p)}</p>" for p in article["paragraphs"])
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{e(article['title'])} | {e(article['outlet'])}</title>
<meta property="og:title" content="{e(article['title'])}">
<meta property="og:site_name" content="{e(article['outlet'])}">
<meta property="article:published_time" content="{article['published']}T10:00:00+03:00">
</head><body>{FURNITURE_TOP.format(outlet=e(article['outlet']))}
<main><article><h1 class="post-title">{e(article['title'])}</h1>{FURNITURE_SHARE}
<div class="entry-content">{paras}</div></article></main>
{FURNITURE_BOTTOM.format(outlet=e(article['outlet']), year=article['published'][:4],
                         rel1=e(rng.choice(article['paragraphs'])[:60]), rel2=e(article['title']))}
</body></html>
"""


def generate(n_articles: int, seed: int = 7, exact_share: float = 0.05, near_share: float = 0.10):
    """Yield article dicts; about `exact_share` are exact copies and `near_share` near copies."""
    rng = random.Random(seed)
    pool = load_sentences()
    made: list[dict] = []
    for n in range(n_articles):
        roll = rng.random()
        if made and roll < exact_share:
            article = {**rng.choice(made), "id": f"gen-{n:06d}"}
        elif made and roll < exact_share + near_share:
            article = near_copy(rng.choice(made), rng, n)
        else:
            article = make_article(pool, rng, n)
        made.append(article)
        yield article, rng


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["txt", "html", "jsonl"], default="txt")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.out, args.articles, args.format, args.seed)
    print(f"wrote {args.articles} {args.format} articles to {args.out}")


def write_corpus(out: Path, n_articles: int, fmt: str, seed: int = 7) -> Path:
    if fmt == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for article, _ in generate(n_articles, seed):
                record = {k: article[k] for k in ("id", "title", "outlet", "published")}
                record["text"] = "\n\n".join(article["paragraphs"])
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return out
    out.mkdir(parents=True, exist_ok=True)
    for article, rng in generate(n_articles, seed):
        body = as_html(article, rng) if fmt == "html" else as_text(article)
        (out / f"{article['id']}.{fmt}").write_text(body, encoding="utf-8")
    return out


if __name__ == "__main__":
    main()

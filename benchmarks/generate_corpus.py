"""Generate a realistic Arabic news corpus of any size from the project's own example articles.

Material: the sentences of `examples/articles/` (written for this project), which all tell one
story. A corpus is a stream of many stories (about one per 40 articles, lognormal sizes with a
long tail up to STORY_SIZE_MAX, ACTIVE_STORIES running side by side, ARTICLES_PER_DAY articles a
day from START): each story draws its templates from two example articles plus a few stray
sentences and recasts them with its own countries, capital, region, people, organisation,
figures, year and month, consistently across its articles. Each article takes a headline and
6-14 of its story's sentences, with wire-rewrite noise (synonyms, now and then a figure reported
differently). A share of the output is deliberately redundant, as real news is: exact copies (5%)
and near-verbatim copies (10%, a word changed) of recent articles, and HTML pages wrapped in site
furniture (navigation, share buttons, footer). Deterministic for a seed, and sequential: the first
N articles of a larger corpus are the N-article corpus.

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

# Bumped whenever the output changes, so benchmark caches built from an older generator are not reused.
GENERATOR_VERSION = 2
REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"

OUTLETS = [
    "وكالة الأفق للأنباء",
    "صحيفة المرصد اليومي",
    "شبكة الخليج الإخبارية",
    "موقع الشرق الجديد",
    "صحيفة الواحة الدولية",
    "بوابة النخبة الإخبارية",
    "منصة بوصلة نيوز",
    "صحيفة صدى العاصمة",
]
AUTHORS = ["سارة حداد", "محمود الخطيب", "ليلى منصور", "يوسف العمري", "هدى الشامي", "كريم بن علي"]
CITIES = ["سيول", "موسكو", "كييف", "واشنطن", "بروكسل", "طوكيو", "بكين", "القاهرة", "الدوحة", "بيروت"]
WORD_SWAPS = [
    ("أكد", "أوضح"),
    ("قال", "ذكر"),
    ("كبيرة", "ضخمة"),
    ("الجنود", "العسكريين"),
    ("أعلن", "كشف"),
    ("مسؤولون", "مسؤولين"),
    ("الحرب", "النزاع"),
]
FURNITURE_TOP = """<header><div class="banner">الموقع الرسمي | {outlet}</div>
<nav class="menu"><ul><li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li>
<li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li><li><a href="/video">فيديو</a></li></ul></nav></header>"""
FURNITURE_SHARE = """<div class="share-buttons"><span>مشاركة :</span><a class="share facebook">فيسبوك</a>
<a class="share twitter">تويتر</a><a class="share whatsapp">واتساب</a></div>"""
FURNITURE_BOTTOM = """<aside class="related"><h3>اقرأ أيضا</h3><ul><li><a href="/a/1">{rel1}</a></li>
<li><a href="/a/2">{rel2}</a></li></ul></aside>
<footer><p>جميع الحقوق محفوظة © {year} {outlet}</p><p><a>{outlet} | Facebook</a></p></footer>"""


def load_sentences() -> list[str]:
    return [s for group in load_groups() for s in group]


def load_groups() -> list[list[str]]:
    """The example sentences, one list per example article (a story draws on a few of them)."""
    groups: list[list[str]] = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        group = []
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!؟])\s+", line.strip()):
                if len(sentence.split()) >= 6:
                    group.append(sentence)
        if group:
            groups.append(group)
    if not groups:
        raise SystemExit(f"no example sentences found under {EXAMPLES}")
    return groups


# --- stories ---------------------------------------------------------------------------------------
# The examples all tell one story (North Korean troops in Russia's war on Ukraine). A generated
# story recasts it: each story substitutes its own sender, host and target countries, region,
# people and organisation, its own figures and its own dates, consistently across its articles,
# so a corpus holds many distinct stories the way a news stream does, instead of one giant one.

# (name, nisba adjective stem, capital): names without the article so clitics attach cleanly.
COUNTRIES = [
    ("إيران", "إيراني", "طهران"),
    ("بيلاروسيا", "بيلاروسي", "مينسك"),
    ("سوريا", "سوري", "دمشق"),
    ("تركيا", "تركي", "أنقرة"),
    ("باكستان", "باكستاني", "إسلام آباد"),
    ("مصر", "مصري", "القاهرة"),
    ("فنزويلا", "فنزويلي", "كراكاس"),
    ("كوبا", "كوبي", "هافانا"),
    ("ليبيا", "ليبي", "طرابلس"),
    ("إثيوبيا", "إثيوبي", "أديس أبابا"),
    ("نيجيريا", "نيجيري", "أبوجا"),
    ("كولومبيا", "كولومبي", "بوغوتا"),
    ("أرمينيا", "أرميني", "يريفان"),
    ("أذربيجان", "أذربيجاني", "باكو"),
    ("جورجيا", "جورجي", "تبليسي"),
    ("صربيا", "صربي", "بلغراد"),
    ("تشاد", "تشادي", "نجامينا"),
    ("الصومال", "صومالي", "مقديشو"),
    ("كينيا", "كيني", "نيروبي"),
    ("إندونيسيا", "إندونيسي", "جاكرتا"),
    ("ميانمار", "ميانماري", "نايبيداو"),
    ("أفغانستان", "أفغاني", "كابل"),
    ("تونس", "تونسي", "تونس"),
]
REGIONS = [
    "دونباس",
    "إدلب",
    "دارفور",
    "كاراباخ",
    "تيغراي",
    "بلوشستان",
    "الساحل",
    "مأرب",
    "كيفو",
    "أوغادين",
    "كشمير",
    "سيناء",
    "فزان",
    "أمهرة",
    "بونتلاند",
    "أراكان",
]
PEOPLE = [
    "أحمد الزين",
    "عمر السالم",
    "فيكتور بارون",
    "ماريا لوبيز",
    "خالد النعيمي",
    "سامي داود",
    "إيفان سوكولوف",
    "لينا حداد",
    "جوزيف مارتن",
    "رشيد بن يوسف",
    "آنا كوفاتش",
    "طارق المصري",
    "هنري دوبوا",
    "نادية فرحات",
    "بيتر شولتز",
    "سليم القاسم",
    "ديفيد كارتر",
    "مريم العلي",
]
ORGS = [
    "الاتحاد الأفريقي",
    "الأمم المتحدة",
    "جامعة الدول العربية",
    "الاتحاد الأوروبي",
    "منظمة التعاون الإسلامي",
    "مجلس الأمن الدولي",
    "منظمة الأمن والتعاون في أوروبا",
]
MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
# Stories run side by side: at most this many are open, and the stream carries this many
# articles a day, so a story of S articles spans about S * ACTIVE / PER_DAY days.
ACTIVE_STORIES = 24
ARTICLES_PER_DAY = 60
STORY_SIZE_MU, STORY_SIZE_SIGMA, STORY_SIZE_MAX = 3.2, 1.0, 1500  # lognormal: mean ~40, long tail
START = date(2023, 1, 2)


def _nisba(ending: str, stem: str) -> str:
    # Nisba adjective forms: ي (masc.), ية (fem.), يين/يون (plural).
    return stem[:-1] + ending if stem.endswith("ي") else stem + ending


class Story:
    """One story's cast, figures and dates, and the sentence templates it draws on."""

    def __init__(self, rng: random.Random, n: int, size: int, opened: date) -> None:
        self.id, self.size, self.made, self.opened = n, size, 0, opened
        self.rng = random.Random(rng.random())  # the story's own stream: its choices are stable
        sender, host, target = self.rng.sample(COUNTRIES, 3)
        people = self.rng.sample(PEOPLE, 6)
        self.figures: dict[str, str] = {}
        month = MONTHS[opened.month - 1]
        subs = [
            # Longer alternatives first: the regex tries them in order at each position.
            (
                r"(ال)?كوري(ين|ون|ة|)\s+(?:ال)?شمالي(?:ين|ون|ة|)",
                lambda m: (m[1] or "") + _nisba("ي" + m[2], sender[1]),
            ),
            (r"كوريا الشمالية", sender[0]),
            (r"بيونغ\s*يانغ|بيونغ\s*يانج|بيونج\s*يانج|بيونغيانغ", sender[2]),
            (r"(?<!\w)كيم(?: جون[غج] [أا]ون)?(?!\w)", people[0]),
            (r"روسيا", host[0]),
            (r"(ال)?روسي(ين|ون|ة|)", lambda m: (m[1] or "") + _nisba("ي" + m[2], host[1])),
            (r"موسكو|الكرملين", host[2]),
            (r"(?:فلاديمير )?بوتي?ن", people[1]),
            (r"أوكرانيا", target[0]),
            (r"(ال)?أوكراني(ين|ون|ة|)", lambda m: (m[1] or "") + _nisba("ي" + m[2], target[1])),
            (r"كييف", target[2]),
            (r"(?:فولوديمير )?زيلي?نسكي", people[2]),
            (r"كورسك", self.rng.choice(REGIONS)),
            (r"(?:أنتوني )?بلينكن", people[3]),
            (r"(?:مارك )?روته", people[4]),
            (r"(?:جو )?بايدن", people[5]),
            (r"حلف شمال الأطلسي|الناتو", self.rng.choice(ORGS)),
            (r"2024|٢٠٢٤", str(opened.year)),
            ("|".join(MONTHS), month),
        ]
        table = {}
        parts = []
        for i, (pattern, repl) in enumerate(subs):
            parts.append(f"(?P<g{i}>{pattern})")
            table[f"g{i}"] = (re.compile(pattern), repl)
        self._re = re.compile("|".join(parts))
        self._table = table

    def _sub(self, m: re.Match) -> str:
        pattern, repl = self._table[m.lastgroup]
        if callable(repl):
            return repl(pattern.fullmatch(m.group()))
        return repl

    def _figure(self, m: re.Match) -> str:
        # Each story has its own figures, the same in all its articles (a rewrite repeats them).
        digits = m.group()
        value = int(digits)
        if 1900 <= value <= 2100:
            return digits  # a year: dates are substituted above
        if digits not in self.figures:
            new = (
                1 + (value + self.rng.randint(0, 27)) % 28
                if value <= 31
                else max(1, value + self.rng.randint(-3, 40))
            )
            self.figures[digits] = str(new)
        return self.figures[digits]

    def recast(self, sentence: str) -> str:
        return re.sub(r"\d+", self._figure, self._re.sub(self._sub, sentence))


def vary(sentence: str, rng: random.Random) -> str:
    """Wire-rewrite noise: a few synonyms swapped; rarely a figure reported differently."""
    if rng.random() < 0.05:
        sentence = re.sub(
            r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(1, 9))), sentence, count=1
        )
    for a, b in WORD_SWAPS:
        if a in sentence and rng.random() < 0.3:
            sentence = sentence.replace(a, b, 1)
    return sentence


def make_article(pool: list[str], rng: random.Random, n: int, day: date | None = None) -> dict[str, str]:
    body = [vary(s, rng) for s in rng.sample(pool, min(len(pool), rng.randint(6, 14)))]
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    outlet = rng.choice(OUTLETS)
    if day is None:
        day = date(2024, 10, 1) + timedelta(days=rng.randint(0, 90))
    title = " ".join(body[0].split()[:9])
    dateline = f"{rng.choice(CITIES)} - {outlet} - {rng.choice(AUTHORS)}"
    return {
        "id": f"gen-{n:06d}",
        "title": title,
        "outlet": outlet,
        "published": day.isoformat(),
        "dateline": dateline,
        "paragraphs": paragraphs,
    }


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
<title>{e(article["title"])} | {e(article["outlet"])}</title>
<meta property="og:title" content="{e(article["title"])}">
<meta property="og:site_name" content="{e(article["outlet"])}">
<meta property="article:published_time" content="{article["published"]}T10:00:00+03:00">
</head><body>{FURNITURE_TOP.format(outlet=e(article["outlet"]))}
<main><article><h1 class="post-title">{e(article["title"])}</h1>{FURNITURE_SHARE}
<div class="entry-content">{paras}</div></article></main>
{
        FURNITURE_BOTTOM.format(
            outlet=e(article["outlet"]),
            year=article["published"][:4],
            rel1=e(rng.choice(article["paragraphs"])[:60]),
            rel2=e(article["title"]),
        )
    }
</body></html>
"""


def _open_story(groups: list[list[str]], rng: random.Random, n: int, day: date) -> Story:
    # Templates: the sentences of two example articles plus a few strays, recast for the story.
    pool = [s for g in rng.sample(groups, 2) for s in g] + rng.sample([s for g in groups for s in g], 4)
    size = min(STORY_SIZE_MAX, max(1, int(rng.lognormvariate(STORY_SIZE_MU, STORY_SIZE_SIGMA))))
    story = Story(rng, n, size, day)
    story.pool: list[str] = list(dict.fromkeys(story.recast(s) for s in pool))
    return story


def generate(n_articles: int, seed: int = 7, exact_share: float = 0.05, near_share: float = 0.10):
    """Yield article dicts; about `exact_share` are exact copies and `near_share` near copies.

    Sequential (the first N articles of a larger corpus are the N-article corpus): up to
    ACTIVE_STORIES stories are open at a time, each article belongs to one chosen at random, a
    story closes when it reaches its drawn size and a new one opens in its place; the date
    advances ARTICLES_PER_DAY articles per day. Copies are taken from recent articles (a copy
    follows its original within days) and keep its date.
    """
    rng = random.Random(seed)
    groups = load_groups()
    made: list[dict] = []
    active: list[Story] = []
    opened = 0
    for n in range(n_articles):
        day = START + timedelta(days=n // ARTICLES_PER_DAY)
        roll = rng.random()
        if made and roll < exact_share:
            article = {**rng.choice(made[-500:]), "id": f"gen-{n:06d}"}
        elif made and roll < exact_share + near_share:
            article = near_copy(rng.choice(made[-500:]), rng, n)
        else:
            while len(active) < ACTIVE_STORIES:
                active.append(_open_story(groups, rng, opened, day))
                opened += 1
            story = rng.choice(active)
            article = make_article(story.pool, rng, n, day + timedelta(days=rng.randint(0, 1)))
            story.made += 1
            if story.made >= story.size:
                active.remove(story)
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

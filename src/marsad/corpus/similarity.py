"""How alike two news articles are: per-article signatures and one 0..1 similarity scale.

Two different questions share the features computed here:

* **copying** (dedup): word 5-gram shingles over the matching form, hashed deterministically and
  summarised by a seeded MinHash, so near-verbatim copies are found by LSH and verified by the
  exact shingle Jaccard;
* **same story** (rewrites, stories): a rewrite shares few shingles (the two seed rewrites share
  about 15% of word 5-grams) but most of its vocabulary, its named entities, its figures and its
  quotes. Those are compared as sets/vectors of content words, entity linking keys, quantity
  values and quote shingles.

The scale of `article_similarity` / `similarity` (1 = the same story):

    1.0          the same text (or a verbatim copy: the shingle containment dominates)
    0.8 .. 1.0   near-verbatim copies
    0.55 .. 0.9  rewrites of one report: same vocabulary, entities, figures, quotes
    0.3 .. 0.55  different reports on one running story (same actors, some shared facts)
    < 0.2        unrelated articles

The content score is a weighted mean of the content-word cosine, the headline cosine (a headline
states the incident; two reports on different incidents often share a long tail of background),
entity-key Dice, figure Dice and quote Dice (a feature missing from either article drops out and
the weights renormalise), passed through a calibration curve fitted on project-written rewrites
and unrelated pairs; the final score is the larger of that and the shingle containment, so a copy
can never score below its overlap.

**Corpus weights.** Over a batch (the corpus stage), `TermWeights` gives every content word and
entity key its inverse document frequency, and `reweigh` applies it to a signature: a word or an
actor that half the batch mentions (the king, "the kingdom", "Eid") then counts for little, so
two protocol reports of different audiences, which share every title and attendee but the
visitor, stop looking alike. On 160 pairs of real news judged by reading, the weighted score
ranks same-story pairs above different-story pairs more often than a character-4-gram TF-IDF
cosine with the same corpus statistics (benchmarks/eval_corpus.py prints both).

Everything is deterministic: crc32 word hashes (Python's `hash()` is salted per process) and a
MinHash with a fixed seed, so signatures and scores are the same on every run and machine.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from marsad.model import Article, Provenance
from marsad.normalize.text import normalize, normalize_form
from marsad.segment.tokens import strip_proclitics

COMPONENT = "corpus.similarity"
DATA_DIR = Path(__file__).with_name("data")
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
SUFFIXES_PATH = DATA_DIR / "suffixes.txt"

SHINGLE_SIZE = 5  # word n-gram length: 5 words rarely repeat across different reports
NUM_PERM = 120  # MinHash length: 24 LSH bands of 5 rows (see dedup.py)
_SEED = 20241113  # fixed: changing it changes every stored signature
_MIN_CONTENT_LEN = 3  # shorter words are mostly particles and clitic debris
QUOTE_SHINGLE = 3  # quotes are short: word 3-grams survive a rewrite's re-punctuation
MIN_WEIGHED_BATCH = 500  # documents from which a batch's idf weighs similarity (TermWeights)

# Feature weights of the content score (renormalised over the features both articles have).
WEIGHTS = {"words": 0.45, "title": 0.15, "entities": 0.2, "figures": 0.1, "quotes": 0.1}
# Calibration: raw content score -> similarity scale (piecewise linear, monotone). Fitted so that
# unrelated news (raw ~0.05-0.15) maps below 0.2 and rewrites (raw ~0.45-0.7) to 0.6-0.9.
_CAL_X = (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0)
_CAL_Y = (0.0, 0.08, 0.2, 0.38, 0.6, 0.78, 0.92, 1.0)

_rng = np.random.default_rng(_SEED)
# Multiply-add-shift hashing: h(x) = (a*x + b) mod 2**64 >> 32 with odd a is a 2-universal
# family for 32-bit keys and needs no modulo, which is the slow part of (a*x+b) mod p in numpy.
_PERM_A = (_rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_PERM_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_SHIFT = np.uint64(32)
# Per-position multipliers that combine 5 word hashes into one shingle hash (wrapping uint64).
_POS_MULT = _rng.integers(1, 2**63, size=SHINGLE_SIZE, dtype=np.uint64) << np.uint64(1) | np.uint64(1)
_EMPTY_U32 = np.zeros(0, dtype=np.uint32)


def _first_column(path: Path) -> list[str]:
    """The first column of a data file (header lines start with #), in the matching form."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(normalize_form(line.split()[0]))
    return out


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_first_column(STOPWORDS_PATH))


@lru_cache(maxsize=1)
def suffixes() -> tuple[str, ...]:
    return tuple(_first_column(SUFFIXES_PATH))


@lru_cache(maxsize=400_000)
def word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


@lru_cache(maxsize=400_000)
def content_stem(word: str) -> str | None:
    """The comparison key of a content word, or None for a function word or a short one.

    Proclitics off, then one inflectional suffix off, so قواتها / القوات / وقوات meet.
    """
    stops = stopwords()
    if word in stops:
        return None
    stem = strip_proclitics(word)
    if stem in stops or len(stem) < _MIN_CONTENT_LEN:
        return None
    if stem[0].isdigit():
        return stem  # numbers are content: a shared figure is strong evidence
    for suffix in suffixes():
        if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_CONTENT_LEN:
            return stem[: -len(suffix)]
    return stem


@dataclass(slots=True, eq=False)
class DocSignature:
    """Everything the corpus stage compares about one article, computed once.

    `shingles` is the sorted, unique uint32 array of word 5-gram hashes (exact Jaccard), `minhash`
    its NUM_PERM-long MinHash (LSH); `terms` maps content stems to log-tf weights with `norm` the
    vector's length, `title` the same for the headline; `entities`,
    `figures`, `dates`, `quotes` are sets of linking keys, figure keys ("value|unit"), ISO date
    values and quote 3-gram hashes. `key_weight`, set by `reweigh`, weighs entity keys in Dice.
    """

    doc: str
    exact: str  # blake2b of the word sequence in the matching form: punctuation/whitespace folded
    n_words: int
    shingles: np.ndarray
    minhash: np.ndarray
    terms: dict[str, float]
    norm: float
    entities: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    quotes: frozenset[tuple[int, ...]] = frozenset()
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    title: dict[str, float] = field(default_factory=dict)
    title_norm: float = 0.0
    key_weight: Mapping[str, float] | None = None


# The word alternatives of `segment.tokens` (numbers with their joiners, letter runs) without the
# punctuation one: the same words `tokenize` yields, at a fraction of the cost of building Tokens.
WORD_RE = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*[%\u066a]?|[^\W\d_]+", re.UNICODE)


class _WordTable(dict):
    """word -> a per-word feature, computed on first sight. A dict whose `__getitem__` is mapped
    over a document's words runs the lookups in C (an lru_cache call per word cost about as much
    as the rest of a signature). Cleared when it outgrows `_TABLE_MAX`, like an lru_cache."""

    def __init__(self, compute: Any) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> Any:
        if len(self) >= _TABLE_MAX:
            self.clear()
        value = self[word] = self.compute(word)
        return value


_TABLE_MAX = 400_000
_HASHES = _WordTable(word_hash)
_STEMS = _WordTable(content_stem)


class _LogTf(dict):
    """count -> 1 + log(count), each value computed once (most content words occur once)."""

    def __missing__(self, count: int) -> float:
        value = self[count] = 1.0 + math.log(count)
        return value


_LOG_TF_TABLE = _LogTf()


def content_stems(words: Iterable[str]) -> Iterator[str]:
    """`content_stem` of each word, function words dropped (a cached lookup per word, in C)."""
    return filter(None, map(_STEMS.__getitem__, words))  # stems are non-empty; None drops


def _word_features(word: str) -> tuple[int, str | None]:
    return _HASHES[word], _STEMS[word]


def _shingle_hashes(hashes: list[int]) -> np.ndarray:
    """Sorted unique uint32 hashes of the word 5-grams (the whole text if shorter)."""
    if not hashes:
        return _EMPTY_U32
    h = np.asarray(hashes, dtype=np.uint64)
    n = len(h) - SHINGLE_SIZE + 1
    if n <= 0:
        acc = np.uint64(0)
        with np.errstate(over="ignore"):
            for i, v in enumerate(h):
                acc = acc * _POS_MULT[0] + v * _POS_MULT[i % SHINGLE_SIZE]
        combined = np.array([acc], dtype=np.uint64)
    else:
        with np.errstate(over="ignore"):
            combined = h[:n] * _POS_MULT[0]
            for k in range(1, SHINGLE_SIZE):
                combined = combined + h[k : k + n] * _POS_MULT[k]
    # Fold to 32 bits (high xor low): collisions at 2**-32 do not move a Jaccard estimate.
    folded = ((combined >> _SHIFT) ^ combined).astype(np.uint32)
    # Sorted unique by sort + neighbour mask: what np.unique returns, without its hash-table pass
    # (which cost more than the sort on arrays of a few hundred values).
    folded.sort()
    if folded.size > 1:
        keep = np.empty(folded.size, dtype=bool)
        keep[0] = True
        np.not_equal(folded[1:], folded[:-1], out=keep[1:])
        folded = folded[keep]
    return folded


def minhash(shingles: np.ndarray) -> np.ndarray:
    """NUM_PERM minimum hash values (uint32) of a shingle set; all-ones for an empty set."""
    if shingles.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    values = np.multiply(shingles.astype(np.uint64)[:, None], _PERM_A)  # wraps mod 2**64
    values += _PERM_B
    # The shift is monotone, so it commutes with min: shift NUM_PERM values, not the matrix.
    return (values.min(axis=0) >> _SHIFT).astype(np.uint32)


# MinHash is computed per document: a batch over many documents' shingles at once (one matrix
# product and a reduceat per block) was measured 1.3-3x slower, because a document's 120 x ~300
# uint64 matrix fits in cache and a block's does not.
_EMPTY_MINHASH = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_EMPTY_MINHASH.flags.writeable = (
    False  # shared and read-only: every signature starts with it; the MinHash of a text without shingles
)


def _quote_shingles(norm_text: str) -> set[tuple[int, ...]]:
    """Word 3-grams of a quote (in the matching form), as tuples of crc32 word hashes."""
    h = list(map(_HASHES.__getitem__, WORD_RE.findall(norm_text)))
    if len(h) < QUOTE_SHINGLE:
        return {tuple(h)} if h else set()
    return set(zip(h, h[1:], h[2:], strict=False))


def _figure_key(value: float, unit: str | None) -> str:
    return f"{value:g}|{unit or ''}"


def signature(article: Article) -> DocSignature:
    """The article's signature. Uses `article.norm`/`tokens` when set, else rebuilds them."""
    sig, shingles = _signature_without_minhash(article)
    sig.minhash = minhash(shingles)
    return sig


def signatures(articles: Iterable[Article]) -> dict[str, DocSignature]:
    """`signature` of each article, by id (a repeated id keeps its last)."""
    return {a.id: signature(a) for a in articles}


def _signature_without_minhash(article: Article) -> tuple[DocSignature, np.ndarray]:
    norm = article.norm if article.norm is not None else normalize(article.text)
    if article.tokens is not None:
        words = [t.norm for t in article.tokens if t.norm[:1].isalnum()]
    else:
        words = WORD_RE.findall(norm.text)
    shingles = _shingle_hashes(list(map(_HASHES.__getitem__, words)))
    exact = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()
    terms, vec_norm = _log_tf(content_stems(words))
    title, title_norm = _log_tf(content_stems(WORD_RE.findall(normalize_form(article.title or ""))))

    entities = frozenset(e.key or normalize_form(e.name or e.text) for e in article.entities)
    figures = frozenset(_figure_key(q.value, q.unit) for q in article.quantities if q.value)
    dates = frozenset(t.value for t in article.times if t.value)
    quote_sh: set[tuple[int, ...]] = set()
    for q in article.quotes:
        # The quote's stretch of the matching form already computed: no second normalisation.
        quote_sh |= _quote_shingles(norm.text[norm.to_norm(q.start) : norm.to_norm(q.end)])
    sig = DocSignature(
        doc=article.id,
        exact=exact,
        n_words=len(words),
        shingles=shingles,
        minhash=_EMPTY_MINHASH,
        terms=terms,
        norm=vec_norm,
        entities=entities,
        figures=figures,
        dates=dates,
        quotes=frozenset(quote_sh),
        published=article.published,
        title=title,
        title_norm=title_norm,
    )
    return sig, shingles


def _log_tf(stems: Iterable[str]) -> tuple[dict[str, float], float]:
    """Log-tf weights of content stems and the vector's length."""
    tf = Counter(stems)
    vec = dict(zip(tf, map(_LOG_TF_TABLE.__getitem__, tf.values()), strict=True))
    return vec, math.sqrt(sum(v * v for v in vec.values()))


@dataclass(slots=True, frozen=True)
class TermWeights:
    """Inverse document frequencies over one batch of signatures: content stems and entity keys.

    idf = ln((n + 1) / (df + 1)) + 1, the smoothed form TF-IDF baselines use; a term the batch
    never saw gets the largest value. Only a large batch says which words are common in the
    language: over five reports of one story, idf would call the story's own words uninformative
    (callers weigh from `MIN_WEIGHED_BATCH` documents up).
    """

    stems: Mapping[str, float]
    entities: Mapping[str, float]
    unseen: float

    @classmethod
    def from_signatures(cls, signatures: Iterable[DocSignature]) -> TermWeights:
        stems: Counter[str] = Counter()
        entities: Counter[str] = Counter()
        n = 0
        for sig in signatures:
            n += 1
            stems.update(sig.terms.keys())
            entities.update(sig.entities)
        top = math.log(n + 1) + 1.0
        return cls(
            {k: top - math.log(c + 1) for k, c in stems.items()},
            {k: top - math.log(c + 1) for k, c in entities.items()},
            top,
        )


def _idf_vector(
    vec: Mapping[str, float], idf: Mapping[str, float], unseen: float
) -> tuple[dict[str, float], float]:
    out = {t: w * idf.get(t, unseen) for t, w in vec.items()}
    return out, math.sqrt(sum(v * v for v in out.values()))


def reweigh(sig: DocSignature, weights: TermWeights) -> DocSignature:
    """A copy of `sig` whose word and headline vectors are tf-idf and whose entity keys are
    weighed by idf in Dice. Shingles, MinHash and the exact hash are shared, not copied."""
    terms, norm = _idf_vector(sig.terms, weights.stems, weights.unseen)
    title, title_norm = _idf_vector(sig.title, weights.stems, weights.unseen)
    return replace(
        sig,
        terms=terms,
        norm=norm,
        title=title,
        title_norm=title_norm,
        key_weight=weights.entities,
    )


# --- pairwise measures ---------------------------------------------------------------------------


def shingle_overlap(a: DocSignature, b: DocSignature) -> tuple[float, float]:
    """(Jaccard, containment) of the exact shingle sets; containment = |A∩B| / min(|A|, |B|)."""
    if a.shingles.size == 0 or b.shingles.size == 0:
        return 0.0, 0.0
    inter = np.intersect1d(a.shingles, b.shingles, assume_unique=True).size
    union = a.shingles.size + b.shingles.size - inter
    return inter / union, inter / min(a.shingles.size, b.shingles.size)


def minhash_estimate(a: DocSignature, b: DocSignature) -> float:
    return float(np.count_nonzero(a.minhash == b.minhash)) / NUM_PERM


def _cos(x: Mapping[str, float], nx: float, y: Mapping[str, float], ny: float) -> float:
    if not nx or not ny:
        return 0.0
    small, big = (x, y) if len(x) <= len(y) else (y, x)
    dot = sum(w * big[t] for t, w in small.items() if t in big)
    return dot / (nx * ny)


def cosine(a: DocSignature, b: DocSignature) -> float:
    """Cosine of the content-word vectors (tf-idf once `reweigh`ed, log-tf before)."""
    return _cos(a.terms, a.norm, b.terms, b.norm)


def _dice(x: frozenset[Any], y: frozenset[Any], weight: Mapping[Any, float] | None = None) -> float | None:
    if not x or not y:
        return None  # absent from one side: no evidence either way
    if weight is None:
        return 2 * len(x & y) / (len(x) + len(y))
    w = weight.get
    shared = math.fsum(w(k, 1.0) for k in x & y)  # fsum: exact, whatever the set's order
    return 2 * shared / (math.fsum(w(k, 1.0) for k in x) + math.fsum(w(k, 1.0) for k in y))


def components(a: DocSignature, b: DocSignature) -> dict[str, float]:
    """The evidence behind a score, by feature (features missing on either side are absent)."""
    out = {"words": cosine(a, b)}
    if a.title_norm and b.title_norm:
        out["title"] = _cos(a.title, a.title_norm, b.title, b.title_norm)
    for name, x, y, weight in (
        ("entities", a.entities, b.entities, a.key_weight),
        ("figures", a.figures, b.figures, None),
        ("quotes", a.quotes, b.quotes, None),
    ):
        d = _dice(x, y, weight)
        if d is not None:
            out[name] = d
    return out


# np.interp's own arithmetic (slope of the segment times the offset into it, plus its start),
# in plain floats: the same values without numpy's per-call overhead on a scalar, which cost as
# much as the rest of a score.
_CAL_SLOPES = tuple((_CAL_Y[i + 1] - _CAL_Y[i]) / (_CAL_X[i + 1] - _CAL_X[i]) for i in range(len(_CAL_X) - 1))


def calibrate(raw: float) -> float:
    if raw != raw:  # NaN, as np.interp
        return raw
    if raw <= _CAL_X[0]:
        return float(_CAL_Y[0])
    if raw >= _CAL_X[-1]:
        return float(_CAL_Y[-1])
    j = bisect_right(_CAL_X, raw) - 1
    if raw == _CAL_X[j]:
        return float(_CAL_Y[j])
    return _CAL_SLOPES[j] * (raw - _CAL_X[j]) + _CAL_Y[j]


def content_score(a: DocSignature, b: DocSignature) -> float:
    parts = components(a, b)
    total = sum(WEIGHTS[k] for k in parts)
    return calibrate(sum(WEIGHTS[k] * v for k, v in parts.items()) / total)


def article_similarity(a: DocSignature, b: DocSignature) -> float:
    """0..1, 1 = the same story (scale in the module docstring); symmetric and deterministic."""
    if a.exact == b.exact and a.n_words:
        return 1.0
    _, containment = shingle_overlap(a, b)
    return round(max(containment, content_score(a, b)), 6)


# --- plain-text face -----------------------------------------------------------------------------

# The cheap per-document stages whose output the signature uses; events are not needed.
_TEXT_STAGES = ("normalize", "segment", "tokenize", "entities", "times", "quantities", "quotes")


@lru_cache(maxsize=1)
def _text_pipeline() -> Any:
    from marsad.pipeline import Pipeline, available

    installed = set(available())
    return Pipeline([s for s in _TEXT_STAGES if s in installed])


def annotate(text: str, doc: str = "text") -> Article:
    """A plain text as an Article with the annotations a signature uses (no store, no events)."""
    article = Article(id=doc, text=text, provenance=Provenance(source="<similarity>", format="txt"))
    return _text_pipeline()(article)


def text_signature(text: str, doc: str = "text") -> DocSignature:
    return signature(annotate(text, doc))


def similarity(text_a: str, text_b: str) -> float:
    """How likely two texts report the same story, 0..1 (1 = same story); `marsad.similarity`.

    Runs the per-document extraction the signature needs (entities, figures, quotes), so it costs
    a few milliseconds; for many documents build `signature()`s once and use `article_similarity`.
    """
    return article_similarity(text_signature(text_a, "a"), text_signature(text_b, "b"))

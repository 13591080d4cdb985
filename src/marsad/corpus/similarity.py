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

**Compact, computed once.** `features(article)` is meant to run in the per-document map, where
the article's normalised text and tokens still exist; the signature then travels as `to_bytes()`
(about 3 KB for a news article) and the corpus stage reads it back instead of re-normalising the
article (`analyze_corpus(..., signatures=...)`). In memory a signature is a few numpy arrays and
tuples of interned strings (about 5 KB for the median July article, against 13 KB as dicts and
frozensets): term vectors are sorted 64-bit stem keys with their counts, compared by a sorted
merge, and keep the stems themselves, which the story index and the rewrite search order by.

Everything is deterministic: crc32 word hashes and blake2b stem keys (Python's `hash()` is salted
per process) and a MinHash with a fixed seed, so signatures and scores are the same on every run
and machine.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import sys
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
_EMPTY_U64 = np.zeros(0, dtype=np.uint64)
_EMPTY_U64.flags.writeable = False  # shared by every signature without quotes or terms
_EMPTY_INDEX = np.zeros(0, dtype=np.intp)
_MAX_COUNT = 0xFFFF  # term counts are uint16
_MASK64 = (1 << 64) - 1
_GRAM_MULT = 0x100000001B3  # FNV's 64-bit prime: odd, so each step is a bijection mod 2**64


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


# word_hash, content_stem and stem_key are cached once, by the _WordTable of each below (an
# lru_cache on them as well held every word twice: ~50 MB over the July corpus).
def word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


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
    if not stem[0].isdigit():  # numbers are content as they are: a shared figure is strong evidence
        for suffix in suffixes():
            if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_CONTENT_LEN:
                stem = stem[: -len(suffix)]
                break
    # Interned: every signature (and a signature read back by from_bytes) holding the stem then
    # points at one string.
    return sys.intern(stem)


@dataclass(slots=True, frozen=True, eq=False)
class TermVector:
    """A sparse vector over content stems, compact: `keys` are the stems' stable 64-bit hashes
    (`stem_key`), sorted, so two vectors meet by a sorted merge; `stems` are the stems in the same
    order (interned strings, shared by every vector that has them: the corpus stage indexes and
    breaks ties by the stem itself); `values` are the term counts (uint16, a signature's raw
    log-tf vector) or float64 weights (a `reweigh`ed one); `norm` is the vector's length."""

    keys: np.ndarray
    stems: tuple[str, ...]
    values: np.ndarray
    norm: float

    @property
    def weights(self) -> np.ndarray:
        """float64 weights: 1 + ln(count) for counts, the values themselves for weights."""
        if self.values.dtype.kind == "f":
            return self.values
        return _log_tf_array()[self.values]

    def __len__(self) -> int:
        return len(self.stems)

    def items(self) -> Iterator[tuple[str, float]]:
        """(stem, weight) pairs in key order."""
        return zip(self.stems, self.weights.tolist(), strict=True)


_EMPTY_VECTOR = TermVector(_EMPTY_U64, (), np.zeros(0, dtype=np.uint16), 0.0)


@dataclass(slots=True, eq=False)
class DocSignature:
    """Everything the corpus stage compares about one article, computed once (`features`).

    `shingles` is the sorted, unique uint32 array of word 5-gram hashes (exact Jaccard), `minhash`
    its NUM_PERM-long MinHash (LSH); `terms` the content-stem vector (log-tf), `title` the same
    for the headline; `entities`, `figures`, `dates` the sorted linking keys, figure keys
    ("value|unit") and ISO date values; `quotes` the sorted unique uint64 hashes of the quotes'
    word 3-grams. `key_weight`, set by `reweigh`, weighs entity keys in Dice.
    """

    doc: str
    exact: str  # blake2b of the word sequence in the matching form: punctuation/whitespace folded
    n_words: int
    shingles: np.ndarray
    minhash: np.ndarray
    terms: TermVector
    entities: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    quotes: np.ndarray = field(default_factory=lambda: _EMPTY_U64)
    published: str | None = None
    title: TermVector = field(default_factory=lambda: _EMPTY_VECTOR)
    key_weight: Mapping[str, float] | None = None

    def to_bytes(self) -> bytes:
        """A versioned binary form (`from_bytes` reads it back): no pickle, no process state."""
        return _encode(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> DocSignature:
        return _decode(data)


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


def _quote_shingles(norm_text: str) -> set[int]:
    """Word 3-grams of a quote (in the matching form), each one 64-bit hash of its words' crc32s."""
    h = list(map(_HASHES.__getitem__, WORD_RE.findall(norm_text)))
    if len(h) < QUOTE_SHINGLE:
        return {_gram_key(h)} if h else set()
    # _gram_key of each 3-gram, unrolled (a call per gram cost a third of a quote's time); the
    # mask once at the end gives the same value as after every step (arithmetic mod 2**64).
    m, start = _GRAM_MULT, QUOTE_SHINGLE * _GRAM_MULT + 1
    return {
        (((start + a) * m + b + 1) * m + c + 1) & _MASK64 for a, b, c in zip(h, h[1:], h[2:], strict=False)
    }


def _gram_key(hashes: Iterable[int]) -> int:
    """One 64-bit value for a short run of word hashes (its length folded in first, so a 1- or
    2-word quote never meets a 3-gram): distinct runs collide with probability about 2**-64."""
    hashes = tuple(hashes)
    acc = len(hashes)
    for h in hashes:
        acc = (acc * _GRAM_MULT + h + 1) & _MASK64
    return acc


def _figure_key(value: float, unit: str | None) -> str:
    return f"{value:g}|{unit or ''}"


def features(article: Article) -> DocSignature:
    """The article's signature, computed once where the article is annotated (the per-document
    map, before `norm`/`tokens` are dropped): `article.norm` and `article.tokens` are used when
    set, so nothing is normalised twice; without them they are rebuilt from the text."""
    sig, shingles = _signature_without_minhash(article)
    sig.minhash = minhash(shingles)
    return sig


signature = features  # the name the corpus stage and its tests used before stored features


def signatures(
    articles: Iterable[Article], known: Mapping[str, DocSignature] | None = None
) -> dict[str, DocSignature]:
    """The signature of each article, by id (a repeated id keeps its last): taken from `known`
    (precomputed, e.g. stored by the per-document map) where it has the id, else computed."""
    known = known or {}
    return {a.id: known.get(a.id) or features(a) for a in articles}


def _signature_without_minhash(article: Article) -> tuple[DocSignature, np.ndarray]:
    norm = article.norm if article.norm is not None else normalize(article.text)
    if article.tokens is not None:
        words = [t.norm for t in article.tokens if t.norm[:1].isalnum()]
    else:
        words = WORD_RE.findall(norm.text)
    shingles = _shingle_hashes(list(map(_HASHES.__getitem__, words)))
    exact = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()
    terms = term_vector(content_stems(words))
    title = term_vector(content_stems(WORD_RE.findall(normalize_form(article.title or ""))))

    entities = {e.key or normalize_form(e.name or e.text) for e in article.entities}
    figures = {_figure_key(q.value, q.unit) for q in article.quantities if q.value}
    dates = {t.value for t in article.times if t.value}
    quote_sh: set[int] = set()
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
        entities=_keys(entities),
        figures=_keys(figures),
        dates=_keys(dates),
        quotes=np.array(sorted(quote_sh), dtype=np.uint64) if quote_sh else _EMPTY_U64,
        published=article.published,
        title=title,
    )
    return sig, shingles


def _keys(items: Iterable[str]) -> tuple[str, ...]:
    """Sorted, interned: the same key from many documents is one string in memory."""
    return tuple(sorted(map(sys.intern, items)))


@lru_cache(maxsize=1)
def _log_tf_array() -> np.ndarray:
    """1 + ln(count) for every uint16 count (math.log, as the scores always used: numpy's log
    may differ in the last bit)."""
    return np.array([0.0, *(1.0 + math.log(c) for c in range(1, _MAX_COUNT + 1))])


def stem_key(stem: str) -> int:
    """A stable 64-bit key of a content stem (blake2b: the same in every process and release)."""
    return int.from_bytes(hashlib.blake2b(stem.encode("utf-8"), digest_size=8).digest(), "little")


def _signed_stem_key(stem: str) -> int:
    """`stem_key` as the int64 with the same bits: numpy converts a Python int above 2**63 to
    uint64 only after a failed int64 attempt, which made building the key array the slowest part
    of a term vector; the int64 array is then viewed as uint64 (the same keys, the same order)."""
    key = stem_key(stem)
    return key - (1 << 64) if key >= 1 << 63 else key


_STEM_KEYS = _WordTable(_signed_stem_key)


def term_vector(stems: Iterable[str]) -> TermVector:
    """The log-tf vector of content stems (a count above 65,535 counts as 65,535)."""
    tf = Counter(stems)
    return _vector(tuple(tf), np.array(list(tf.values()), dtype=np.int64))


def _vector(stems: tuple[str, ...], counts: np.ndarray) -> TermVector:
    if not stems:
        return _EMPTY_VECTOR
    # np.array over a list: np.fromiter took several times longer on a few hundred values.
    keys = np.array(list(map(_STEM_KEYS.__getitem__, stems)), dtype=np.int64).view(np.uint64)
    if not (keys[1:] > keys[:-1]).all():  # stems read back from bytes come in key order already
        order = np.argsort(keys)
        keys, counts, stems = keys[order], counts[order], tuple([stems[i] for i in order.tolist()])
    values = np.minimum(counts, _MAX_COUNT).astype(np.uint16)
    return TermVector(keys, stems, values, _length(_log_tf_array()[values]))


def _length(weights: np.ndarray) -> float:
    return math.sqrt(float(np.dot(weights, weights)))


# --- binary form ---------------------------------------------------------------------------------
#
# "MSG" + a version byte, n_words (uint32), a flags byte (1: published is set), then the sections
# of _SECTIONS in order, each a uint32 byte length and its bytes. Arrays are little-endian. The
# "text" section is zlib-compressed and framed the same way over _TEXT_SECTIONS: the stems and
# keys, which compress to less than half (hashes and MinHash values would not). A string list
# is a count (uint32), the width of its lengths (2 or 4 bytes), the lengths and the UTF-8 bytes.
# Term vectors keep their stems and counts: keys and lengths are recomputed on reading (the
# pinned `stem_key`), so a stored signature reads back to the same scores.

_MAGIC = b"MSG\x01"
# The doc_features.version of signatures in this form; a stored row of another version is recomputed.
FEATURES_VERSION = _MAGIC[3]
_HEAD = struct.Struct("<4sIB")
_LEN = struct.Struct("<I")
_SECTIONS = ("doc", "exact", "published", "shingles", "minhash", "quotes", "text")
_TEXT_SECTIONS = ("terms", "term_counts", "title", "title_counts", "entities", "figures", "dates")


def _frame(parts: Sequence[bytes]) -> bytes:
    return b"".join(chunk for part in parts for chunk in (_LEN.pack(len(part)), part))


def _unframe(data: bytes, names: Sequence[str], at: int = 0) -> dict[str, bytes]:
    parts = {}
    for name in names:
        if at + _LEN.size > len(data) or at + _LEN.size + _LEN.unpack_from(data, at)[0] > len(data):
            raise ValueError(f"signature section of {len(data)} bytes is truncated in its part {name!r}")
        (size,) = _LEN.unpack_from(data, at)
        parts[name] = data[at + _LEN.size : at + _LEN.size + size]
        at += _LEN.size + size
    if at != len(data):
        raise ValueError(
            f"signature section of {len(data)} bytes has {len(data) - at} bytes after its last part"
        )
    return parts


def _pack_strings(items: Sequence[str]) -> bytes:
    """A string list: its count (uint32), a width byte, then the strings joined by NUL (width 0:
    one split reads them back, in C) or, when a string holds a NUL, their lengths in characters
    (width 2 or 4 bytes each) and the strings run together."""
    text = "\0".join(items)
    if text.count("\0") == max(0, len(items) - 1):
        return b"".join((_LEN.pack(len(items)), b"\0", text.encode("utf-8")))
    lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    width = 2 if lengths.max(initial=0) <= 0xFFFF else 4
    body = "".join(items).encode("utf-8")
    return b"".join((_LEN.pack(len(items)), bytes([width]), lengths.astype(f"<u{width}").tobytes(), body))


def _unpack_strings(data: bytes) -> tuple[str, ...]:
    (n,) = _LEN.unpack_from(data)
    width = data[4]
    if width == 0:
        items = data[5:].decode("utf-8").split("\0") if n else []
        complete = len(items) == n
    else:
        ends = np.cumsum(np.frombuffer(data, dtype=f"<u{width}", count=n, offset=5), dtype=np.int64).tolist()
        text = data[5 + width * n :].decode("utf-8")
        items = [text[i:j] for i, j in zip([0, *ends], ends, strict=False)]
        complete = (ends[-1] if ends else 0) == len(text)
    if not complete:
        raise ValueError(f"a list of {n} strings does not read back as {n} strings")
    return tuple(map(sys.intern, items))


def _counts(vec: TermVector) -> bytes:
    if vec.values.dtype != np.uint16:
        raise ValueError("a reweighed signature holds batch weights, not counts: store the plain one")
    return vec.values.astype("<u2").tobytes()


def _encode(sig: DocSignature) -> bytes:
    text = (
        *(
            _pack_strings(sig.terms.stems),
            _counts(sig.terms),
            _pack_strings(sig.title.stems),
            _counts(sig.title),
        ),
        *(_pack_strings(sig.entities), _pack_strings(sig.figures), _pack_strings(sig.dates)),
    )
    parts = (
        sig.doc.encode("utf-8"),
        bytes.fromhex(sig.exact),
        (sig.published or "").encode("utf-8"),
        sig.shingles.astype("<u4").tobytes(),
        sig.minhash.astype("<u4").tobytes(),
        sig.quotes.astype("<u8").tobytes(),
        zlib.compress(_frame(text), 1),  # level 1: most of level 6's gain here, at a third of the time
    )
    return _HEAD.pack(_MAGIC, sig.n_words, sig.published is not None) + _frame(parts)


def _decode(data: bytes) -> DocSignature:
    if len(data) < _HEAD.size:
        raise ValueError(f"a signature has at least {_HEAD.size} bytes, not {len(data)}")
    magic, n_words, flags = _HEAD.unpack_from(data)
    if magic != _MAGIC:
        raise ValueError(f"not a signature of this version: header {magic!r}, expected {_MAGIC!r}")
    parts = _unframe(data, _SECTIONS, _HEAD.size)
    text = _unframe(zlib.decompress(parts["text"]), _TEXT_SECTIONS)

    def array(raw: bytes, dtype: str, native: type) -> np.ndarray:
        return np.frombuffer(raw, dtype=dtype).astype(native)  # a copy: the record is not kept

    def vector(stems: str, counts: str) -> TermVector:
        words = _unpack_strings(text[stems])
        return _vector(words, array(text[counts], "<u2", np.int64)) if words else _EMPTY_VECTOR

    return DocSignature(
        doc=parts["doc"].decode("utf-8"),
        exact=parts["exact"].hex(),
        n_words=n_words,
        shingles=array(parts["shingles"], "<u4", np.uint32),
        minhash=array(parts["minhash"], "<u4", np.uint32),
        terms=vector("terms", "term_counts"),
        entities=_unpack_strings(text["entities"]),
        figures=_unpack_strings(text["figures"]),
        dates=_unpack_strings(text["dates"]),
        quotes=array(parts["quotes"], "<u8", np.uint64),
        published=parts["published"].decode("utf-8") if flags & 1 else None,
        title=vector("title", "title_counts"),
    )


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
            stems.update(sig.terms.stems)
            entities.update(sig.entities)
        top = math.log(n + 1) + 1.0
        return cls(
            {k: top - math.log(c + 1) for k, c in stems.items()},
            {k: top - math.log(c + 1) for k, c in entities.items()},
            top,
        )


def _idf_vector(vec: TermVector, idf: Mapping[str, float], unseen: float) -> TermVector:
    if not vec.stems:
        return vec
    get = idf.get
    factors = np.fromiter((get(t, unseen) for t in vec.stems), dtype=np.float64, count=len(vec.stems))
    weights = vec.weights * factors
    return TermVector(vec.keys, vec.stems, weights, _length(weights))


def reweigh(sig: DocSignature, weights: TermWeights) -> DocSignature:
    """A copy of `sig` whose word and headline vectors are tf-idf and whose entity keys are
    weighed by idf in Dice. Shingles, MinHash, keys and stems are shared, not copied."""
    return replace(
        sig,
        terms=_idf_vector(sig.terms, weights.stems, weights.unseen),
        title=_idf_vector(sig.title, weights.stems, weights.unseen),
        key_weight=weights.entities,
    )


# --- pairwise measures ---------------------------------------------------------------------------


def shingle_overlap(a: DocSignature, b: DocSignature) -> tuple[float, float]:
    """(Jaccard, containment) of the exact shingle sets; containment = |A∩B| / min(|A|, |B|)."""
    if a.shingles.size == 0 or b.shingles.size == 0:
        return 0.0, 0.0
    inter = _shared(a.shingles, b.shingles)
    union = a.shingles.size + b.shingles.size - inter
    return inter / union, inter / min(a.shingles.size, b.shingles.size)


def minhash_estimate(a: DocSignature, b: DocSignature) -> float:
    return float(np.count_nonzero(a.minhash == b.minhash)) / NUM_PERM


def _matches(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in x, in y) of the values two sorted unique arrays share: a binary search of
    each value of the shorter in the longer (a few numpy calls, whatever the sizes)."""
    if x.size > y.size:
        iy, ix = _matches(y, x)
        return ix, iy
    if x.size == 0:
        return _EMPTY_INDEX, _EMPTY_INDEX
    at = np.searchsorted(y, x)
    at[at == y.size] = 0  # past the end: compared with y[0], which cannot match (y is sorted)
    hit = y[at] == x
    return np.flatnonzero(hit), at[hit]


def _shared(x: np.ndarray, y: np.ndarray) -> int:
    return int(_matches(x, y)[0].size)


def _cos(x: TermVector, y: TermVector) -> float:
    if not x.norm or not y.norm:
        return 0.0
    ix, iy = _matches(x.keys, y.keys)
    if ix.size == 0:
        return 0.0
    return float(np.dot(x.weights[ix], y.weights[iy])) / (x.norm * y.norm)


def cosine(a: DocSignature, b: DocSignature) -> float:
    """Cosine of the content-word vectors (tf-idf once `reweigh`ed, log-tf before)."""
    return _cos(a.terms, b.terms)


def _dice(x: tuple[str, ...], y: tuple[str, ...], weight: Mapping[str, float] | None = None) -> float | None:
    if not x or not y:
        return None  # absent from one side: no evidence either way
    shared = set(x).intersection(y)
    if weight is None:
        return 2 * len(shared) / (len(x) + len(y))
    w = weight.get
    common = math.fsum(w(k, 1.0) for k in shared)  # fsum: exact, whatever the set's order
    return 2 * common / (math.fsum(w(k, 1.0) for k in x) + math.fsum(w(k, 1.0) for k in y))


def components(a: DocSignature, b: DocSignature) -> dict[str, float]:
    """The evidence behind a score, by feature (features missing on either side are absent)."""
    out = {"words": cosine(a, b)}
    if a.title.norm and b.title.norm:
        out["title"] = _cos(a.title, b.title)
    for name, x, y, weight in (
        ("entities", a.entities, b.entities, a.key_weight),
        ("figures", a.figures, b.figures, None),
    ):
        d = _dice(x, y, weight)
        if d is not None:
            out[name] = d
    if a.quotes.size and b.quotes.size:
        out["quotes"] = 2 * _shared(a.quotes, b.quotes) / (a.quotes.size + b.quotes.size)
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

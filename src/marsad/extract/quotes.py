"""Quotations: who said what, direct ("قال X: «...»") and indirect ("قال X إن ...").

Rules, over the clean text's quote regions and the tokens' matching forms:

* Direct quotes are the outermost «...», “...”, "..." regions (and the reversed » ... « and
  ” ... “ some Arabic sites use), which may span sentences but not paragraphs. A quote nested in
  another is not emitted separately: the outer quote already carries its words and speaker.
* The reporting cue (data: lexicons/reporting_verbs.tsv) is looked for before the quote in its
  sentence, else right after it ('"..."، قال X' / '"..."، بحسب X').
* The speaker is the noun phrase after the cue, up to ":" / "،" / إن / أن / a quote mark / an
  adverbial of time, place or channel (lexicons/speaker_stops.txt), at most `MAX_SPEAKER_TOKENS`
  words; a comma appositive ("قائد القوات، الجنرال X،") is kept with it. A cue with no subject
  ("وقال: «...»") carries the previous quote's speaker. "نقلت وكالة X عن Y" gives Y, with X
  named in the reason as the reporter.
* A quoted span of 1-3 words that is not directly introduced (by ":" or إن/أن/بأنه after a cue,
  or a cue right after it) is a term or a name in quotes ("يشجع "كيم""), not a quotation.
* Indirect speech: a cue whose speaker phrase is followed by إن/أن gives a quote with
  direct=False spanning the reported clause to the end of the sentence, unless a direct quote
  from the same cue already covers it.

If the `entities` component ran, the speaker is linked to the document-level entity of a PER,
else ORG, else GPE mention inside the speaker span.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any

from marsad.errors import ConfigError, PipelineError
from marsad.model import Article, EntityMention, Quote, Speaker
from marsad.normalize import normalize_form
from marsad.pipeline import BaseComponent, register
from marsad.pipeline.wordcache import lookup_words
from marsad.segment.sentences import quote_regions
from marsad.segment.tokens import Token

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
MAX_SPEAKER_TOKENS = 10
# A speaker phrase that reaches a stop (a comma, إن/أن, an adverbial) may run this long: Saudi news
# chains titles ("المدير العام للهيئة العامة للسياحة والتراث الوطني بمنطقة عسير المهندس X").
MAX_LONG_SPEAKER_TOKENS = 18
# A direct quote may run over several sentences of one paragraph; longer is a broken mark.
MAX_QUOTE_CHARS = 2000
# How far before a quote mark a cue may stand (tokens), in the same sentence.
CUE_WINDOW = 30
_COMPLEMENTISERS = frozenset(
    normalize_form(w)
    for w in ("إن", "أن", "بأن", "إنه", "إنها", "إنهم", "أنه", "أنها", "أنهم", "بأنه", "بأنها")
)
_SPEECH = ("direct", "indirect", "both")
_POSITIONS = ("verb", "according", "relay", "describe", "participle")
_LINK_PREFERENCE = {"PER": 0, "ORG": 1, "GPE": 2}
_CLITICS = ("و", "ف")
_QUOTE_MARKS = frozenset(("«", "»", "“", "”", '"', ":"))
_DEMONSTRATIVES = ("هذا", "هذه", "ذلك", "تلك")
# Kunyas and nasab words, matching forms: they tell the gender, and the name after them is the
# child's or the father's ("أم علي", "مناهل بنت محمد").
_KUNYA = {"ام": "f", "ابو": "m", "ابي": "m", "ابا": "m", "بنت": "f", "بن": "", "ابن": ""}
# Bound on the per-word-form cue cache (newswire vocabulary is open-ended; see QuoteFinder).
_CACHE_MAX = 200_000
# How far back a bare cue may look for a speaker of its gender: the one before the latest. Further
# back, on real news, the right speaker is usually one the rules never found (judged on 11 cases).
_AGREE_DEPTH = 2
_start_of = attrgetter("start")
_norm_of = attrgetter("norm")


@dataclass(frozen=True, slots=True)
class Cue:
    form: str  # matching form
    speech: str  # direct | indirect | both
    position: str  # verb | according | relay | describe | participle


@dataclass(frozen=True, slots=True)
class Lexicon:
    cues: dict[str, Cue]
    stops: frozenset[str]
    channel_stops: frozenset[str]  # bare nouns that stop the speaker when written with ل
    fi_heads: frozenset[str]  # nouns after which "في" opens an adverbial ("في بيان")
    adjectives: frozenset[str] = frozenset()  # non-nisba adjectives that continue a subject
    surname_stops: frozenset[str] = frozenset()  # stops that are family names after a given name
    ala_heads: frozenset[str] = frozenset()  # words after which على stays in the speaker (المشرف على)
    cue_gender: dict[str, str] = field(default_factory=dict)  # cue form -> "m" | "f"
    title_gender: dict[str, str] = field(default_factory=dict)  # title -> "m" | "f"
    given_names: dict[str, str] = field(default_factory=dict)  # given name -> the gender it tells


def _data_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read quotes lexicon {path}: {err}") from err
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    cues: dict[str, Cue] = {}
    for n, line in enumerate(_data_lines(directory / "reporting_verbs.tsv"), 1):
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 3 or cols[1] not in _SPEECH or cols[2] not in _POSITIONS:
            raise ConfigError(
                f"reporting_verbs.tsv data line {n}: want form<TAB>{'|'.join(_SPEECH)}<TAB>"
                f"{'|'.join(_POSITIONS)}, got {line!r}"
            )
        # Two-word forms ("نقلت عن") are keyed by their first word: the relay rule finds عن itself.
        form = normalize_form(cols[0].split()[0])
        cues.setdefault(form, Cue(form, cols[1], cols[2]))
    stops: set[str] = set()
    channels: set[str] = set()
    fi_heads: set[str] = set()
    adjectives: set[str] = set()
    surnames: set[str] = set()
    ala_heads: set[str] = set()
    for line in _data_lines(directory / "speaker_stops.txt"):
        word = line.strip()
        if word.startswith("نعت+"):
            adjectives.add(normalize_form(word[4:]))
        elif word.startswith("اسم+"):
            surnames.add(normalize_form(word[4:]))
        elif word.startswith("على+"):
            ala_heads.add(normalize_form(word[4:]))
        elif word.startswith("ل+"):
            channels.add(normalize_form(word[2:]))
        elif word.startswith("في+"):
            fi_heads.add(normalize_form(word[3:]))
        else:
            stops.add(normalize_form(word))
    return Lexicon(
        cues,
        frozenset(stops),
        frozenset(channels),
        frozenset(fi_heads),
        frozenset(adjectives),
        frozenset(surnames),
        frozenset(ala_heads),
        _cue_genders(cues),
        *_name_genders(directory),
    )


def _cue_genders(cues: dict[str, Cue]) -> dict[str, str]:
    """Gender of each cue form, read off the lexicon's own pairs: قال/قالت, يقول/تقول,
    مضيفا/مضيفة. A form without its partner (ردت alone) has no gender, and is never checked."""
    out: dict[str, str] = {}
    for form in cues:
        for masc, fem in ((form, form + "ت"), ("ي" + form[1:], "ت" + form[1:]), (form, form[:-1] + "ة")):
            if masc != fem and form in (masc, fem) and masc in cues and fem in cues:
                out[masc], out[fem] = "m", "f"
    return out


def _name_genders(directory: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Titles (titles.tsv: one ending in ة is feminine, الرئيسة; any other masculine, الرئيس) and
    given names (given_names.tsv, with the gender each tells, "" for none), in matching form. Both files belong to the
    entity recogniser; a quotes lexicon directory without them gives no genders, and agreement
    is then never checked."""
    titles: dict[str, str] = {}
    names: dict[str, str] = {}
    if (directory / "titles.tsv").is_file():
        for line in _data_lines(directory / "titles.tsv"):
            title = normalize_form(line.split("\t")[0].strip())
            if " " not in title:
                titles[title] = "f" if title.endswith("ة") else "m"
    # A masculine title with ة is its feminine (وزير/وزيرة، مشرف/مشرفة), listed or not.
    titles.update({t + "ة": "f" for t, g in list(titles.items()) if g == "m" and t + "ة" not in titles})
    if (directory / "given_names.tsv").is_file():
        for line in _data_lines(directory / "given_names.tsv"):
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) >= 3:
                # Only Arabic men's names tell a gender: Arabic women's names are often common nouns
                # too (بيان، أمل، هدى), and names of other languages change gender across them
                # (Andrea, Kim).
                names[normalize_form(cols[0])] = "m" if cols[2] == "m" and cols[1] == "ar" else ""
    return titles, names


@dataclass(slots=True)
class _Found:
    """A quote before speaker carry-over is resolved; `speaker` None with `carry` set = carry."""

    start: int
    end: int
    direct: bool
    cue_index: int | None
    cue: str | None
    speaker: tuple[int, int] | None  # token range [lo, hi)
    reason: str
    carry: bool = False


class QuoteFinder:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        # Whether a token is a cue depends only on its matching form, so the answer is cached per
        # form: newswire vocabulary is Zipfian, and after a few articles a token costs one dict hit.
        self._cue_cache: dict[str, Cue | None] = {}

    # -- token helpers ---------------------------------------------------------------------
    def _cues(self, toks: list[Token]) -> list[Cue | None]:
        """The cue each token is (None if not), computed once per article.

        Every rule below asks "is toks[k] a cue?" many times for the same k (the backward window
        before each quote, the indirect-speech scan, the subject checks); one pass here turns all of
        those into list lookups. The set difference and `map` keep the per-token work in C: only
        word forms never seen before reach `_cue_of_word`.
        """
        return lookup_words(self._cue_cache, list(map(_norm_of, toks)), self._cue_of_word, _CACHE_MAX)

    def _cue_of_word(self, word: str) -> Cue | None:
        """The cue a word form is, with a proclitic و/ف (or the ب of بحسب) stripped if needed."""
        cues = self.lex.cues
        cue = cues.get(word)
        if cue is None and word[:1] in _CLITICS:
            cue = cues.get(word[1:])
        if cue is None and word[:1] == "ب":
            cue = cues.get(word[1:])  # ب+حسب reads as بحسب; ب+نقل ("بنقل") is a noun, not a cue
            if cue is not None and cue.position != "according":
                cue = None
        if cue is None:
            # وصفه / ووصفها: the describe verb carries an object pronoun ("ووصفه بأنه ...").
            bare = word[1:] if word[:1] in _CLITICS else word
            if (word.startswith("وصف") or bare.startswith("وصف")) and len(bare) <= 6:
                cue = cues.get("وصف")
        return cue

    def _is_stop(self, tok: Token, following: Token | None = None) -> bool:
        word = tok.norm
        if not tok.is_word and not tok.is_number:
            return True
        if word == "في":
            # An adverbial ("في بيان"، "في 15 أكتوبر") ends the speaker; a place in a title does not.
            if following is None or following.is_number:
                return True
            nxt = following.norm
            return nxt in self.lex.fi_heads or (nxt[:2] == "ال" and nxt[2:] in self.lex.fi_heads)
        stops = (self.lex.stops, self.lex.surname_stops)
        if any(word in st or (word[:1] in _CLITICS and word[1:] in st) for st in stops):
            return True
        if word.startswith("لل") and (
            "ال" + word[2:] in self.lex.channel_stops or word[2:] in self.lex.channel_stops
        ):
            return True  # ل + ال is written لل: "للصحفيين"، "للإذاعة"
        return word[:1] == "ل" and word[1:] in self.lex.channel_stops

    def _phrase(self, toks: list[Token], i: int, limit: int) -> tuple[int, int]:
        """Token range of the noun phrase starting at toks[i], before index `limit`."""
        j = i
        if i < limit and toks[i].norm == "في":
            return i, i  # "وقال في مركز ...:" has no subject: the speaker is carried
        if (
            i + 1 < limit
            and toks[i].text == "على"
            and (toks[i + 1].norm in _COMPLEMENTISERS or toks[i + 1].norm in _QUOTE_MARKS)
        ):
            # "وشدد على أن «...»": the verb's preposition, not a subject (the name علي is written
            # with ي in the clean text, and is rarely followed directly by أن).
            return i, i
        if i < limit and self._cue_cache.get(toks[i].norm) is not None:
            return i, i  # "وأضاف موضحا:", "أشار بحسب ...": another cue, not a subject
        quoted = self._quoted_name(toks, i, limit)
        if quoted is not None:
            return quoted
        if i + 1 < limit and toks[i].norm in _DEMONSTRATIVES and toks[i + 1].is_word:
            i = j = i + 1  # "وأوضح ذلك المتحدث": the demonstrative is the verb's object
        while j < limit and j - i < MAX_LONG_SPEAKER_TOKENS:
            stop = self._is_stop(toks[j], toks[j + 1] if j + 1 < limit else None) and not self._kept(
                toks, j, i
            )
            if stop or self._ala(toks, j, i) or (j > i and self._cue_cache.get(toks[j].norm) is not None):
                return i, j  # a further cue ("X مضيفا أن") ends the subject before it
            j += 1
        # No stop within reach: a long title chain ran past the usual bound; keep the usual bound.
        return i, min(j, i + MAX_SPEAKER_TOKENS)

    def _kept(self, toks: list[Token], j: int, i: int) -> bool:
        """Whether the stop word toks[j] belongs to the speaker after all: a weekday right after a
        given name is a family name ("إبراهيم الخميس")."""
        if j <= i:
            return False
        # "والخميس" is a conjunction and a day, never a surname: only the bare form is checked.
        return toks[j].norm in self.lex.surname_stops and toks[j - 1].norm in self.lex.given_names

    def _ala(self, toks: list[Token], j: int, i: int) -> bool:
        """Whether toks[j] is the preposition على opening the verb's complement ("شدد X على
        سرعة ..."): compared as written, since its matching form is the name علي."""
        return (
            bool(self.lex.ala_heads)
            and toks[j].text == "على"
            and (j == i or toks[j - 1].norm not in self.lex.ala_heads)
        )

    def _quoted_name(self, toks: list[Token], i: int, limit: int) -> tuple[int, int] | None:
        """'وكشف "ويكيليكس" مطلع الشهر أن': a quoted name of one to four words right after the cue
        is its subject (the quote of a direct quotation lies beyond the phrase's limit)."""
        if i + 2 >= limit or toks[i].norm not in ("«", "“", '"'):
            return None
        for k in range(i + 2, min(limit, i + 6)):
            if toks[k].norm in ("»", "”", '"'):
                return i + 1, k
            if not toks[k].is_word:
                return None
        return None

    def _with_appositive(self, toks: list[Token], lo: int, hi: int, limit: int) -> tuple[int, int]:
        """Extend "قائد القوات في المنطقة، الجنرال X،" to the comma appositive naming the speaker."""
        j = hi
        if j < limit and toks[j].norm not in ("،", ",", "في"):
            return lo, hi  # only "X، Y،" or "X في ...، Y،" can carry an appositive
        # Skip one adverbial phrase (في ...) to the comma that opens the appositive.
        while (
            j < limit
            and j - hi < 8
            and toks[j].norm not in ("،", ",", ":")
            and toks[j].norm not in _COMPLEMENTISERS
        ):
            if toks[j].norm in ("«", "»", "“", "”", '"'):
                return lo, hi
            j += 1
        if j >= limit or toks[j].norm not in ("،", ","):
            return lo, hi
        a_lo = j + 1
        a_lo2, a_hi = self._phrase(toks, a_lo, limit)
        words = a_hi - a_lo2
        closes = (
            a_hi >= limit or toks[a_hi].norm in ("،", ",", ":", "في") or toks[a_hi].norm in _COMPLEMENTISERS
        )
        if 1 <= words <= 5 and closes and a_hi - lo <= MAX_SPEAKER_TOKENS + 6:
            return lo, a_hi
        return lo, hi

    def _subject(self, toks: list[Token], s_lo: int, limit: int) -> tuple[int, int] | None:
        """The subject after a sentence's first (verb) token: "ورفض الكرملين ..." -> الكرملين."""
        lo = s_lo + 1
        if lo >= limit:
            return None
        lo, hi = self._phrase(toks, lo, min(limit, lo + 5))
        # Demonstratives start the object ("ورفض الكرملين هذا الادعاء"), not the subject.
        for k in range(lo, hi):
            if toks[k].norm in _DEMONSTRATIVES:
                hi = k
                break
        hi = self._object_start(toks, lo, hi)
        return (lo, hi) if hi > lo else None

    def _object_start(self, toks: list[Token], lo: int, hi: int) -> int:
        """Where a verb-initial clause's object begins inside [lo, hi): VSO puts the object right
        after the subject ("ورفضت الحكومة الاتهامات"، "ووصف وزير الإعلام اليمني الهجوم"). After a
        definite word, a further definite word continues the subject only as an adjective: a nisba
        (اليمني، المصرية) or a listed one (العام); an indefinite word before it is a construct head
        (وزير الإعلام), so the definite word after it is its genitive."""
        for k in range(lo + 1, hi):
            word, prev = toks[k].norm, toks[k - 1].norm
            if not (word.startswith("ال") and prev.startswith("ال")):
                continue
            if word in self.lex.adjectives or word.endswith(("ي", "ية", "يه", "يون", "يين", "يان")):
                continue
            return k
        return hi

    # -- speaker from a cue ----------------------------------------------------------------
    def _speaker_after_cue(
        self, toks: list[Token], cues: list[Cue | None], k: int, cue: Cue, s_lo: int, limit: int
    ) -> tuple[tuple[int, int] | None, str]:
        """Speaker token range for the cue at toks[k] and a reason fragment (`cues` from `_cues`)."""
        if cue.position in ("describe", "participle"):
            for j in range(k - 1, s_lo - 1, -1):
                earlier = cues[j]
                if earlier is not None and earlier.position not in ("describe", "participle"):
                    # "أشار X إلى ...، مؤكدا أن": the earlier cue's speaker goes on speaking.
                    speaker, _ = self._speaker_after_cue(toks, cues, j, earlier, s_lo, k)
                    return speaker, f"{cue.form} continues the cue {toks[j].text}"
            verb = toks[k].norm
            if verb[:1] in _CLITICS and verb[1:].startswith("وصف"):
                verb = verb[1:]
            if cue.position == "describe" and k == s_lo and verb in ("وصف", "وصفت"):
                # "ووصف X الهجوم بأنه «...»": the describe verb opens the sentence, so its subject
                # follows it (VSO), before the object.
                return self._subject(toks, k, limit), "speaker is the subject after the describe verb"
            return self._subject(toks, s_lo, k), f"speaker is the subject of the sentence ({cue.form})"
        i = k + 1
        if cue.position == "relay":
            # نقلت وكالة X عن Y قوله: the reporter X, then the speaker Y after عن.
            for j in range(i, min(limit, i + 10)):
                if toks[j].norm == "عن":
                    r_lo, r_hi = self._phrase(toks, i, j)
                    lo, hi = self._phrase(toks, j + 1, limit)
                    reporter = " ".join(t.text for t in toks[r_lo:r_hi])
                    note = f"relayed by {reporter}" if reporter else "relayed"
                    return ((lo, hi) if hi > lo else None), note
        if cue.position == "according" and i < limit and toks[i].norm == "ل":
            i += 1  # "وفقا لـ X": a detached ل (ـ removed in the matching form)
        lo, hi = self._phrase(toks, i, limit)
        if hi == lo:
            if k > s_lo and cue.position == "verb" and not any(cues[s_lo:k]):
                # "ووقع X معاهدة ...، وقال إنها": a bare cue mid-sentence continues its subject.
                subject = self._subject(toks, s_lo, k)
                if subject is not None:
                    return subject, "speaker is the subject of the sentence"
            return None, "no subject after the cue"
        lo, hi = self._with_appositive(toks, lo, hi, limit)
        return (lo, hi), "speaker follows the cue"

    # -- main ------------------------------------------------------------------------------
    def find(self, article: Article) -> list[Quote]:
        text = article.text
        toks = article.tokens or []
        if not toks:
            return []
        starts = list(map(_start_of, toks))
        cues = self._cues(toks)
        # Token indexes of the cues, ascending (a Cue is truthy, None is not): the cue scans below
        # visit only these instead of probing every token of every window.
        cue_pos = list(compress(range(len(cues)), cues))
        sentences = article.sentences or [(0, len(text))]
        sent_starts = [s for s, _ in sentences]

        def tok_at(offset: int) -> int:
            return bisect_left(starts, offset)

        def sentence_tokens(offset: int) -> tuple[int, int]:
            idx = max(0, bisect_left(sent_starts, offset + 1) - 1)
            s, e = sentences[idx]
            return tok_at(s), tok_at(e)

        found: list[_Found] = []
        direct_cues: set[int] = set()
        prev_close = -1
        for open_pos, close_pos in quote_regions(text, MAX_QUOTE_CHARS):
            q = self._direct(
                text, toks, cues, cue_pos, open_pos, close_pos, tok_at, sentence_tokens, prev_close
            )
            prev_close = close_pos
            if q is not None:
                found.append(q)
                if q.cue_index is not None:
                    direct_cues.add(q.cue_index)
        regions = [(f.start, f.end) for f in found]
        found.extend(self._indirect(text, toks, cues, cue_pos, sentences, tok_at, direct_cues, regions))
        found.sort(key=lambda f: f.start)
        return self._resolve(article, toks, found)

    def _direct(
        self, text, toks, cues, cue_pos, open_pos, close_pos, tok_at, sentence_tokens, prev_close
    ) -> _Found | None:  # type: ignore[no-untyped-def]
        inner = text[open_pos + 1 : close_pos]
        lead = len(inner) - len(inner.lstrip())
        start, end = open_pos + 1 + lead, open_pos + 1 + len(inner.rstrip())
        if end <= start:
            return None
        t_open, t_close = tok_at(open_pos), tok_at(close_pos)
        # The rules below only ask "no words?" and "at most three?": stop counting at four, so a
        # long quotation is not walked token by token.
        words = 0
        for j in range(t_open + 1, t_close):
            if toks[j].is_word or toks[j].is_number:
                words += 1
                if words > 3:
                    break
        if words == 0:
            return None
        s_lo, s_hi = sentence_tokens(open_pos)
        floor = max(s_lo, t_open - CUE_WINDOW, tok_at(prev_close + 1) if prev_close >= 0 else 0)
        before = toks[t_open - 1].norm if t_open > 0 else ""
        introduced = before in (":",) or before in _COMPLEMENTISERS
        # Cue before the quote: the nearest one in the window, walking back over cue positions only.
        p = bisect_left(cue_pos, t_open) - 1
        while p >= 0 and cue_pos[p] >= floor:
            k = cue_pos[p]
            p -= 1
            cue = cues[k]
            if cue.speech == "indirect" and not introduced and words <= 3:
                continue
            if cue.position == "describe" and before not in _COMPLEMENTISERS and before != "ب":
                continue
            if words <= 3 and not introduced and t_open - k > 1:
                break  # a short quoted term mid-clause, not attributed speech
            speaker, why = self._speaker_after_cue(toks, cues, k, cue, s_lo, t_open)
            return _Found(
                start,
                end,
                True,
                k,
                toks[k].text,
                speaker,
                f"direct quote after cue {toks[k].text}; {why}",
                carry=speaker is None,
            )
        # Cue right after the quote: '"..."، قال X' / '"..."، بحسب X'.
        k = t_close + 1
        while k < len(toks) and toks[k].norm in ("،", ",", ".", "«", "»", "“", "”", '"', "-"):
            k += 1
        if k < len(toks) and k - t_close <= 3:
            cue = cues[k]
            if cue is not None and cue.position in ("verb", "according") and cue.speech != "indirect":
                _, s_hi = sentence_tokens(toks[k].start)
                speaker, why = self._speaker_after_cue(toks, cues, k, cue, k, s_hi)
                return _Found(
                    start,
                    end,
                    True,
                    k,
                    toks[k].text,
                    speaker,
                    f"direct quote before cue {toks[k].text}; {why}",
                )
        return None

    def _indirect(self, text, toks, cues, cue_pos, sentences, tok_at, direct_cues, regions) -> list[_Found]:  # type: ignore[no-untyped-def]
        out: list[_Found] = []
        if not cue_pos:
            return out  # most articles' sentences hold no cue at all: nothing to scan
        for s, e in sentences:
            lo, hi = tok_at(s), tok_at(e)
            # The cues inside this sentence, by bisection over the article's cue positions.
            for p in range(bisect_left(cue_pos, lo), bisect_left(cue_pos, hi)):
                k = cue_pos[p]
                cue = cues[k]
                if cue.speech == "direct" or k in direct_cues:
                    continue
                # The complementiser: after the speaker phrase and at most a short adverbial.
                if cue.position in ("participle", "describe"):
                    speaker, why = self._speaker_after_cue(toks, cues, k, cue, lo, k)
                    scan_from = k + 1
                else:
                    speaker, why = self._speaker_after_cue(toks, cues, k, cue, lo, hi)
                    scan_from = speaker[1] if speaker else k + 1
                comp = None
                for j in range(scan_from, min(hi, scan_from + 20)):
                    norm = toks[j].norm
                    if norm in _COMPLEMENTISERS:
                        comp = j
                        break
                    if norm in (":", ".", "؟", "!") or cues[j] is not None:
                        break
                if comp is None or comp + 1 >= hi:
                    continue
                c_start = toks[comp + 1].start
                c_end = toks[hi - 1].end
                while c_end > c_start and text[c_end - 1] in ".!?؟…":
                    c_end -= 1
                if any(r_s < c_end and c_start < r_e and r_s <= c_start + 40 for r_s, r_e in regions):
                    continue  # a direct quote opens the reported clause: already emitted
                out.append(
                    _Found(
                        c_start,
                        c_end,
                        False,
                        k,
                        toks[k].text,
                        speaker,
                        f"indirect speech after cue {toks[k].text} + {toks[comp].text}; {why}",
                        carry=speaker is None,
                    )
                )
        return out

    def _resolve(self, article: Article, toks: list[Token], found: list[_Found]) -> list[Quote]:
        text = article.text
        out: list[Quote] = []
        earlier: list[Speaker] = []  # speakers so far, latest last: the pool a bare cue carries from
        links: _EntityIndex | None = None  # built on the first speaker: many articles have none
        for f in found:
            speaker: Speaker | None = None
            reason = f.reason
            gender = self._cue_gender(f.cue)
            if f.speaker is not None and f.speaker[1] > f.speaker[0]:
                s = toks[f.speaker[0]].start
                e = toks[f.speaker[1] - 1].end
                cue_tok = toks[f.cue_index] if f.cue_index is not None else None
                if (
                    cue_tok is not None
                    and cue_tok.norm in ("وفقا", "وفق", "ووفقا", "ووفق")
                    and text[s] == "ل"
                    and e - s > 2
                ):
                    s += 1  # "وفقا لمصدر": the attached ل is the preposition, not the speaker
                if links is None:
                    links = _EntityIndex(article.entities)
                speaker = Speaker(text[s:e], s, e, links.link(s, e))
            elif f.carry and earlier:
                # A bare cue opening its clause ("وأضافت أن") continues an earlier speaker: the
                # latest whose gender does not contradict the verb's. After a noun ("الإنجازات
                # تؤكد أن") the verb's subject is that noun, not a speaker: gender is not read.
                opens = f.cue_index is not None and _opens_clause(toks, f.cue_index)
                speaker, why = self._agreeing(earlier, gender if opens else None)
                reason += why
            out.append(
                Quote(
                    f.start,
                    f.end,
                    text[f.start : f.end],
                    component="quotes",
                    reason=reason,
                    speaker=speaker,
                    cue=f.cue,
                    direct=f.direct,
                )
            )
            if speaker is not None:
                earlier.append(speaker)
        return out

    def _cue_gender(self, cue: str | None) -> str | None:
        if cue is None:
            return None
        form = normalize_form(cue)
        gender = self.lex.cue_gender.get(form)
        if gender is None and form[:1] in _CLITICS:
            gender = self.lex.cue_gender.get(form[1:])
        return gender

    def _speaker_gender(self, speaker: Speaker) -> str | None:
        """The gender a speaker phrase shows for certain, else None: what tells a woman (a
        feminine title heading the phrase: المتحدثة، وزيرة، السيدة; a kunya أم / بنت) or a man (an
        Arabic man's given name followed by a family name; أبو), read over the phrase's head (up
        to في/من/عن/باسم or a comma). Masculine titles tell nothing, since Arabic news gives them
        to women too ("المدير العام ... مارجريت تشان"); nor does an organisation's ة (a masculine
        verb after "السلطة الفلسطينية" is its male spokesman). A name after a kunya or بن/بنت is
        the child's or father's ("أم علي"، "مناهل بنت محمد"); other names: see `_name_genders`.
        Signs of both genders give None (names are shared: وسام).
        """
        words = []
        for w in speaker.text.replace("،", " ، ").split()[:8]:
            if w in ("في", "من", "عن", "باسم", "لدى", "،"):
                break  # "مصدر أمني في محافظة ..."، "المتحدثة باسم الوزارة": not the speaker's head
            words.append(normalize_form(w))
        found: set[str] = set()
        named = False
        for n, w in enumerate(words):
            bare = w[1:] if w[:1] in _CLITICS and len(w) > 3 else w
            definite = bare.startswith("ال")
            if bare in _KUNYA:
                found.add(_KUNYA[bare])  # "" for بن: the gender is the bearer's name's
                continue
            title = self.lex.title_gender.get(bare) or self.lex.title_gender.get(
                bare if definite else "ال" + bare
            )
            if title:
                # Only a feminine title heading the phrase tells: masculine ones are given to women
                # too ("مساعد مدير القسم كيم براون"), and further in, "محافظة" is a province.
                if title == "f" and n == 0:
                    found.add(title)
                continue
            if not named and not definite and bare in self.lex.given_names:
                # The first given name is the bearer's; those after it are the father's and
                # grandfather's ("ليلى محمد سهيل"). It tells only with a family name after it.
                named = True
                if n + 1 < len(words) and (n == 0 or words[n - 1] not in _KUNYA):
                    found.add(self.lex.given_names[bare])
        found.discard("")
        return found.pop() if len(found) == 1 else None

    def _disagrees(self, gender: str | None, speaker: Speaker) -> bool:
        other = self._speaker_gender(speaker)
        return gender is not None and other is not None and other != gender

    def _agreeing(self, earlier: list[Speaker], gender: str | None) -> tuple[Speaker | None, str]:
        """The latest of the last `_AGREE_DEPTH` speakers whose gender does not contradict the
        cue's ("وأضافت أن" after a man's quote goes back to the woman who spoke just before him);
        None when neither agrees, rather than a speaker the verb rules out. Also the reason."""
        skipped: list[str] = []
        for prev in reversed(earlier[-_AGREE_DEPTH:]):
            if not self._disagrees(gender, prev):
                carried = Speaker(prev.text, prev.start, prev.end, prev.entity)
                note = f" (skipped {', '.join(skipped)}: gender does not agree)" if skipped else ""
                return carried, f"; speaker carried from previous quote{note}"
            skipped.append(prev.text)
        return None, f"; no earlier speaker agrees in gender with the cue ({', '.join(skipped)} do not)"


def _opens_clause(toks: list[Token], k: int) -> bool:
    """Whether the cue toks[k] opens its clause: joined by و/ف, or after punctuation or nothing."""
    return toks[k].norm[:1] in _CLITICS or k == 0 or not (toks[k - 1].is_word or toks[k - 1].is_number)


class _EntityIndex:
    """An article's PER/ORG/GPE mentions sorted by start, so the mentions inside a speaker span are
    found by bisection rather than by scanning every mention of the article for each quote."""

    __slots__ = ("rows", "starts")

    def __init__(self, entities: list[EntityMention]) -> None:
        # (start, end, rank, position in the article's list, entity): the position breaks rank
        # ties the way a scan in list order would, and keeps the tuples from comparing further.
        self.rows = sorted(
            (m.start, m.end, _LINK_PREFERENCE[m.type], n, m.entity)
            for n, m in enumerate(entities)
            if m.type in _LINK_PREFERENCE
        )
        self.starts = [row[0] for row in self.rows]

    def link(self, start: int, end: int) -> str | None:
        """The entity of the most preferred mention (PER, else ORG, else GPE; the earliest listed
        among equals) lying inside [start, end)."""
        best: tuple[int, int, str | None] | None = None
        rows = self.rows
        for j in range(bisect_left(self.starts, start), bisect_right(self.starts, end)):
            _, m_end, rank, n, entity = rows[j]
            if m_end <= end and (best is None or (rank, n) < best[:2]):
                best = (rank, n, entity)
        return best[2] if best is not None else None


@register("quotes")
class QuotesComponent(BaseComponent):
    name = "quotes"
    requires = ("norm", "sentences", "tokens")
    provides = ("quotes",)

    def __init__(self) -> None:
        super().__init__()
        self.finder: QuoteFinder | None = None

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        directory = Path(config["lexicon_dir"]) if "lexicon_dir" in config else LEXICON_DIR
        self.finder = QuoteFinder(load_lexicon(directory))

    def __call__(self, article: Article) -> Article:
        if self.finder is None:
            raise PipelineError("the quotes component was called before initialize()")
        if article.tokens is None:
            raise PipelineError(f"quotes needs tokens on document {article.id}; run segment first")
        article.quotes = self.finder.find(article)
        return article

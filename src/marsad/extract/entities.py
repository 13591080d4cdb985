"""The rule families for entities, and the all-rules `entities` component.

The default pipeline recognises names with the trained `ner` component and resolves them with
`entity_resolver`, which runs the resolving rule families below (gazetteer, titles, organisation
patterns, nationality adjectives, clubs) over the same tokens as evidence. The `entities`
component still runs every family as recogniser and resolver in one, for pipelines that name it;
on ANERcorp it scores well below `ner` (benchmarks/eval_ner.py --rules).

Recognition is lexicon + rules, in one left-to-right pass over tokens per rule family, each
proposing candidates with a priority; overlaps are then resolved by priority, then length:

1. gazetteer (countries, places, organisations, metonyms, known people) — clitic-aware on the first
   token only (وكوريا الشمالية، بالولايات المتحدة), longest match first;
2. title-triggered persons ("الرئيس الروسي X", "وزير الخارجية الأمريكي X", "الجنرال X");
3. organisation patterns (org-head word + definite genitive chain: "وزارة الدفاع الروسية");
4. place patterns ("مدينة X", "قرية X", "مخيم X");
5. name heuristics: a known given name + name words, or a reporting verb + an unknown name
   ("قال X Y إن"), with particles (بن، أبو، عبد، آل).

Nationality adjectives (الروسي، الكوري الشمالي، الأمريكيين) give titles and organisations their
country and are also emitted as NORP mentions, which later stages use for actor descriptions.
Within a document, short forms (بوتين) join the entity of the earlier full name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Any, cast

from marsad.errors import PipelineError
from marsad.extract.lexicon_loader import _HAMZA, Lexicons, load_lexicons, strip_marks
from marsad.extract.translit import entity_key
from marsad.model import Article, EntityMention
from marsad.pipeline import BaseComponent, register
from marsad.segment.tokens import Token, stems

COMPONENT = "entities"

# Priority of a candidate family when spans overlap: lower wins, then the longer span.
P_GAZ_MULTI, P_TITLE, P_GAZ_SINGLE, P_ORG, P_PLACE, P_NAME, P_NORP = range(7)

_MAX_NAME = 4  # person name tokens after a trigger (رجب طيب أردوغان، محمد بن راشد آل مكتوم + 1)
_MAX_ORG_CHAIN = 6
_FAMILIES = ("gaz", "title", "org", "place", "given", "cue", "norp", "clubs", "sport")
ALL_FAMILIES = frozenset(_FAMILIES)
# The families that say who a name is (listed names, titles, an organisation's nationality,
# adjectives, clubs), as opposed to those that only find where a name is (given names, reporting
# cues, place heads): what a resolver needs when another recogniser has found the spans.
RESOLVING_FAMILIES = frozenset({"gaz", "title", "org", "norp", "clubs", "sport"})
# How far (in tokens) a sports word may be from a club name that is also a common word.
_SPORTS_WINDOW = 12
# Prepositions before which a town-named club is the town ("في برشلونة").
_LOCATIVE = frozenset({"في", "الى", "من"})
# Per-word memo tables are cleared when they reach this many entries, so a long run over an
# open vocabulary keeps bounded memory (news repeats its words: the tables rarely fill).
_MEMO_MAX = 200_000
_NORM = itemgetter(3)  # Token.norm as a C-level getter, for map() over a token slice
_MISSING = object()  # memo sentinel: a cached answer may itself be None


@dataclass(slots=True)
class Candidate:
    i: int  # first token
    j: int  # one past the last token
    prefix: int  # matching-form characters of token i that are a proclitic, outside the span
    type: str
    priority: int
    reason: str
    entry_id: str | None = None
    name: str | None = None
    country: str | None = None
    code: str | None = None
    role: str | None = None


@lru_cache(maxsize=200_000)
def lexical_stems(norm: str) -> tuple[str, ...]:
    """`stems()` without the forms that dropped the article: "المالي" (financial) must not match
    مالي (Mali), nor "الوحيد" the given name وحيد. Lexicons list names with their article where
    they have one, and `stems()` offers that form ("للكرملين" -> "الكرملين")."""
    out = []
    for s in stems(norm):
        cut = norm[: len(norm) - len(s)]
        if cut and not s.startswith("ال") and (cut.endswith("ال") or cut.endswith("لل")):
            continue
        out.append(s)
    return tuple(out)


def _clitic_prefix(norm: str, stem: str) -> int:
    """How many leading matching-form characters of `norm` the stem `stem` leaves out.

    `stems()` also offers a synthesised "ال" form for لل/بال (للكرملين -> الكرملين); then the span
    starts after the written clitic, at the bare noun.
    """
    if norm.endswith(stem):
        return len(norm) - len(stem)
    if stem.startswith("ال") and norm.endswith(stem[2:]):
        return len(norm) - len(stem) + 2
    return 0


class Recognizer:
    """Stateless once built: `find(article)` returns the document's entity mentions."""

    def __init__(self, lex: Lexicons) -> None:
        self.lex = lex
        self._fam_cache: dict[str, tuple[str, ...]] = {}
        # Word-level answers memoised per distinct word: they depend only on the token's written
        # and matching forms (`tok[2:]` = (text, norm)), never on its neighbours, and an article
        # asks the same questions of the same words many times (each rule family, each name run).
        # Profiling showed these helpers were most of the component's time.
        self._memo: dict[str, dict[Any, Any]] = {
            k: {}
            for k in ("bare", "stop", "name_like", "gaz", "nat", "given", "title", "org", "place", "club")
        }
        self._keys_memo = {
            id(lex.given_names): "given",
            id(lex.titles.index): "title",
            id(lex.org_heads): "org",
            id(lex.place_heads): "place",
            id(lex.club_heads): "club",
        }
        # First word -> (rest lengths, longest first; {rest: entry}): a gazetteer lookup costs one
        # dict probe per distinct name length instead of a scan of every name sharing the word
        # (hundreds share مدينة or جامعة).
        self._gaz: dict[str, tuple[tuple[int, ...], dict[tuple[str, ...], Any]]] = {}
        for first, bucket in lex.gazetteer.index.items():
            by_rest: dict[tuple[str, ...], Any] = {}
            for rest, entry in bucket:
                by_rest.setdefault(rest, entry)
            self._gaz[first] = (tuple(sorted({len(r) for r in by_rest}, reverse=True)), by_rest)

    def _word_families(self, norm: str) -> tuple[str, ...]:
        """The rule families any lexical stem of a word can trigger (cached per word form: news
        repeats its words, so most tokens cost one dict probe)."""
        fams = self._fam_cache.get(norm)
        if fams is None:
            found: set[str] = set()
            for stem in lexical_stems(norm):
                found |= self.lex.triggers.get(stem, frozenset())
            fams = tuple(sorted(found))
            if len(self._fam_cache) < 500_000:
                self._fam_cache[norm] = fams
        return fams

    def token_families(self, toks: list[Token]) -> list[tuple[str, ...]]:
        """`_word_families` of every token. The memo is probed with C-level map()s (a method call
        per token cost more than the lookup itself); only forms it lacks are worked out."""
        found = list(map(self._fam_cache.get, map(_NORM, toks)))
        if None in found:
            return [self._word_families(t.norm) if f is None else f for t, f in zip(toks, found, strict=True)]
        return cast(list[tuple[str, ...]], found)

    # -- token classification -------------------------------------------------------------

    def _hamza_ok(self, tok: Token, stem: str) -> bool:
        """False when the text word writes a hamza where the lexicon word has none (ترأس is not
        تراس, بأن is not بان): alef folding must not turn a verb or particle into a name."""
        if stem not in self.lex.hamzaless:
            return True
        tail = (
            tok.text[-len(stem) :] if len(tok.text) == len(tok.norm) else strip_marks(tok.text)[-len(stem) :]
        )
        return _HAMZA.isdisjoint(tail)

    def _written_as_name(self, tok: Token, stem: str) -> bool:
        """For a word that is both a function word and a name/title (على/علي, أمام/إمام, أن/آن):
        is it written as the name?"""
        forms = self.lex.surface_forms.get(stem)
        if not forms:
            return False
        surf = strip_marks(tok.text)
        return surf not in self.lex.surface_stop and any(surf.endswith(f) for f in forms)

    def _memo_table(self, name: str) -> dict[Any, Any]:
        table = self._memo[name]
        if len(table) >= _MEMO_MAX:
            table.clear()
        return table

    def _bare(self, tok: Token) -> str:
        """The word without conjunction/preposition proclitics (keeps the article)."""
        key = tok[2:]
        found = self._memo["bare"].get(key)
        if found is None:
            found = self._memo_table("bare")[key] = self._bare_uncached(tok)
        return found

    def _bare_uncached(self, tok: Token) -> str:
        norm = tok.norm
        for stem in lexical_stems(norm):
            if stem in self.lex.known_words and self._hamza_ok(tok, stem):
                return stem
        return norm

    def _is_stop(self, word: str) -> bool:
        return word in self.lex.stopwords

    def _stop_tok(self, tok: Token) -> bool:
        """A function word, verb or other never-name word, decided on the written form where the
        matching form is ambiguous."""
        key = tok[2:]
        found = self._memo["stop"].get(key)
        if found is None:
            found = self._memo_table("stop")[key] = self._stop_tok_uncached(tok)
        return found

    def _stop_tok_uncached(self, tok: Token) -> bool:
        for w in (tok.norm, self._bare(tok)):
            if w in self.lex.stopwords and not self._written_as_name(tok, w):
                return True
        return False

    def _lex_stem(self, tok: Token, keys: Any) -> str | None:
        """The first lexical stem of `tok` found in `keys` that its written form does not contradict."""
        table_name = self._keys_memo.get(id(keys))
        if table_name is None:
            return self._lex_stem_uncached(tok, keys)
        key = tok[2:]
        found = self._memo[table_name].get(key, _MISSING)
        if found is _MISSING:
            found = self._memo_table(table_name)[key] = self._lex_stem_uncached(tok, keys)
        return found

    def _lex_stem_uncached(self, tok: Token, keys: Any) -> str | None:
        for stem in lexical_stems(tok.norm):
            if stem in keys and self._hamza_ok(tok, stem):
                if stem in self.lex.surface_forms and not self._written_as_name(tok, stem):
                    return None  # على, not علي; أمام, not إمام
                return stem
            if stem == tok.norm and stem in self.lex.known_words:
                # A word listed as itself is that word, not a proclitic + another listed word:
                # ولي (of ولي العهد) is not و + the given name لي.
                return None
        return None

    def _nationality(self, toks: list[Token], i: int) -> tuple[int, str] | None:
        """(end token, ISO) of a nationality adjective phrase starting at token i, if any; None
        past the last token, so a look-ahead at a document's end ("... نادي النصر") is just "no"."""
        if i >= len(toks):
            return None
        norm = toks[i].norm
        # The buckets of the word's stems depend on the word alone: looked up once per word.
        buckets = self._memo["nat"].get(norm)
        if buckets is None:
            nats = self.lex.nationalities
            buckets = self._memo_table("nat")[norm] = tuple(
                b for b in map(nats.get, lexical_stems(norm)) if b
            )
        for bucket in buckets:
            for rest, entry in bucket:
                j = i + 1 + len(rest)
                # A slice compared as a tuple: C-level, where all() over a generator is a frame.
                if j <= len(toks) and (not rest or tuple(map(_NORM, toks[i + 1 : j])) == rest):
                    return j, entry.country or ""
        return None

    def time_phrase(self, toks: list[Token], i: int) -> bool:
        """Is token i a month or weekday name used as a time ("رمضان المبارك", "شهر رمضان",
        "رمضان 1436")? Such a word is never a person, whatever made the span."""
        lex = self.lex
        if lex.time_words.isdisjoint(lexical_stems(toks[i].norm)):
            return False
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and (nxt.norm in lex.occasion_after or nxt.is_number):
            return True
        return i > 0 and not lex.occasion_before.isdisjoint(lexical_stems(toks[i - 1].norm))

    def _name_like(self, tok: Token) -> bool:
        """Could this token be part of a person's name (not a function word, verb, noun...)?"""
        key = tok[2:]
        found = self._memo["name_like"].get(key)
        if found is None:
            found = self._memo_table("name_like")[key] = self._name_like_uncached(tok)
        return found

    def _name_like_uncached(self, tok: Token) -> bool:
        if not tok.is_word or len(tok.norm) < 2:
            return False
        bare = self._bare(tok)
        if self._stop_tok(tok):
            return False
        if self._numberish(tok.norm) or self._future_verb(tok.norm):
            return False
        return not (bare in self.lex.title_words or bare in self.lex.org_heads or bare in self.lex.cue_nouns)

    def _numberish(self, norm: str) -> bool:
        """A number word, bare or behind one proclitic (ثلاث، لثلاث، بعشرة): never a name."""
        nums = self.lex.number_words
        return norm in nums or (norm[:1] in "وفبلك" and norm[1:] in nums)

    def _known_name_word(self, norm: str) -> bool:
        return norm in self.lex.given_names or norm in self.lex.gazetteer_words

    def _future_verb(self, norm: str) -> bool:
        """سـ + an imperfect prefix (سيمثل، ستنفذ، سنعمل): a future verb, which no name word starts
        like unless it is a listed one (سيف، ستالين)."""
        return len(norm) >= 5 and norm[0] == "س" and norm[1] in "يتن" and not self._known_name_word(norm)

    def _clitic_noun(self, norm: str) -> bool:
        """ب/ل/ك + a feminine or plural noun (بجائزة، لمدة، كممثلة، لمباريات): a prepositional
        phrase after a name, not a name word. Names that merely start with these letters
        (بلخادم، لطفي، كريم) do not end in ة/ات after the letter, or are listed."""
        if norm[:1] not in "بلك" or norm.startswith("ال") or self._known_name_word(norm):
            return False
        rest = norm[1:]
        return len(rest) >= 4 and (rest.endswith("ة") or rest.endswith("ات"))

    @staticmethod
    def _sports_near(sport_at: list[int], i: int) -> bool:
        """Is there a sports word (positions from the trigger pass) within `_SPORTS_WINDOW` tokens
        of token i?"""
        return any(k != i and abs(k - i) <= _SPORTS_WINDOW for k in sport_at)

    # -- candidate families -----------------------------------------------------------------

    def _clubs(self, toks: list[Token], out: list[Candidate], at: list[int], sport_at: list[int]) -> None:
        """Listed sports clubs. A club whose name is also a common word or a town (الأهلي، النصر،
        برشلونة) needs a sports word nearby, and after في it is the town."""
        n = len(toks)
        index = self.lex.clubs.index
        for i in at:
            tok = toks[i]
            for stem in lexical_stems(tok.norm):
                bucket = index.get(stem)
                if not bucket or not self._hamza_ok(tok, stem):
                    continue
                found = next(
                    (
                        (rest, e)
                        for rest, e in bucket
                        if i + 1 + len(rest) <= n
                        and (not rest or tuple(map(_NORM, toks[i + 1 : i + 1 + len(rest)])) == rest)
                    ),
                    None,
                )
                if found is None:
                    continue
                rest, entry = found
                prefix = _clitic_prefix(tok.norm, stem)
                if entry.id in self.lex.club_ctx:
                    if not self._sports_near(sport_at, i):
                        break
                    prev = toks[i - 1].norm if i else ""
                    if prev in _LOCATIVE or tok.norm[:prefix].endswith("ب"):
                        break
                    if self._nationality(toks, i + 1 + len(rest)) is not None:
                        break  # "الاتحاد المصري": a federation, not the club الاتحاد
                j = i + 1 + len(rest)
                prio = P_GAZ_MULTI if rest else P_GAZ_SINGLE
                if entry.id in self.lex.club_ctx and stem in self.lex.gazetteer_words:
                    prio = P_TITLE  # a town's club in a sports context beats the town
                start = i
                if not prefix and i and self.lex.club_heads.get(self._bare(toks[i - 1])):
                    # "نادي الزمالك": the club noun is part of the club's name.
                    start, prefix = i - 1, _clitic_prefix(toks[i - 1].norm, self._bare(toks[i - 1]))
                    prio = P_GAZ_MULTI
                out.append(
                    Candidate(start, j, prefix, "ORG", prio, "club", entry.id, entry.name, entry.country)
                )
                break

    def _gaz_match(self, toks: list[Token], i: int) -> tuple[int, str, Any] | None:
        """(end, matched stem, entry) of the longest gazetteer name starting at token i."""
        n = len(toks)
        tok = toks[i]
        key = tok[2:]
        # Which stems of this word start gazetteer names (and whether each is a function word) is
        # a property of the word: worked out once per word, then only the following tokens vary.
        options = self._memo["gaz"].get(key)
        if options is None:
            options = self._memo_table("gaz")[key] = self._gaz_options(tok)
        for stem, function_word, lengths, by_rest in options:
            for length in lengths:
                if i + 1 + length > n:
                    continue
                if not length and function_word:
                    continue  # "إن" alone is the particle; "إن بي سي نيوز" is a name
                entry = by_rest.get(tuple(map(_NORM, toks[i + 1 : i + 1 + length])))
                if entry is not None:
                    return i + 1 + length, stem, entry
        return None

    def _gaz_options(
        self, tok: Token
    ) -> tuple[tuple[str, bool, tuple[int, ...], dict[tuple[str, ...], Any]], ...]:
        """(stem, is a function word, rest lengths, {rest: entry}) for each lexical stem of `tok`
        that starts a gazetteer name, in `lexical_stems` order."""
        out = []
        hamza = not _HAMZA.isdisjoint(tok.text)  # most words have none: skip the written-form check
        for stem in lexical_stems(tok.norm):
            found = self._gaz.get(stem)
            if found is None or (hamza and not self._hamza_ok(tok, stem)):
                continue
            if len(stem) < 3 and _clitic_prefix(tok.norm, stem):
                continue  # a two-letter stem after a clitic is too ambiguous
            function_word = stem in self.lex.stopwords and not self._written_as_name(tok, stem)
            out.append((stem, function_word, *found))
        return tuple(out)

    def _gazetteer(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        for i in at:
            found = self._gaz_match(toks, i)
            if found is None:
                continue
            j, stem, entry = found
            tok = toks[i]
            start, prefix, reason, etype = (
                i,
                _clitic_prefix(tok.norm, stem),
                f"gazetteer:{entry.source}",
                entry.type,
            )
            # "محافظة الأنبار", "جنوب لبنان", "منظمة أوبك", "الملك عبد الله الثاني": a generic head
            # before a listed name is not part of the mention (ANERcorp convention).
            if j - i >= 2 and (
                stem in self.lex.trim_heads or (etype == "PER" and stem in self.lex.title_words)
            ):
                inner = self._gaz_match(toks, i + 1)
                if inner is not None and inner[0] == j:
                    start, prefix, entry = i + 1, 0, inner[2]
                    etype = entry.type
                    reason += f" (head {stem} left out)"
                if stem in self.lex.outlet_heads:
                    # "قناة الجزيرة": the outlet is the name after the head, whatever else it names.
                    start, prefix, etype = i + 1, 0, "ORG"
            # A team noun before a place is a club named after it: "فريق ليفربول", "نادي برشلونة".
            if etype in {"GPE", "LOC"} and i > 0 and j - i == 1:
                head = self._lex_stem(toks[i - 1], self.lex.club_heads)
                if head is not None:
                    keep = self.lex.club_heads[head] and toks[i - 1].norm == head
                    if head != "منتخب":
                        out.append(
                            Candidate(
                                i - 1 if keep else i,
                                j,
                                0 if not keep else _clitic_prefix(toks[i - 1].norm, head),
                                "ORG",
                                P_GAZ_MULTI,
                                f"club:{head} + place",
                                None,
                                None,
                                entry.country,
                            )
                        )
                        continue
            out.append(
                Candidate(
                    start,
                    j,
                    prefix,
                    etype,
                    P_GAZ_MULTI if j - start > 1 else P_GAZ_SINGLE,
                    reason,
                    entry.id,
                    entry.name,
                    entry.country,
                    entry.code,
                    entry.role,
                )
            )

    def _continues_name(self, toks: list[Token], j: int, i: int) -> bool:
        """May token j (not the first) continue the name begun at token i?

        A name word carries no proclitic (وبمشاركة، للقائمة end it); after two words only a
        given name, a particle or what follows one, a compound tail (الله، الدين) or another
        article-bearing family name after one (مريم الصادق المهدي) goes on."""
        tok = toks[j]
        w = tok.norm
        if w != self._bare(tok) or w.startswith(("بال", "لل", "كال", "وال", "فال")):
            return False  # a clitic on a known word, or on a definite noun: a new phrase
        if self._clitic_noun(w):
            return False  # "إلياس خوري بجائزة"
        return self._nationality(toks, j) is None

    def _name_run(self, toks: list[Token], i: int, first_needs_name: bool, free: int = 2) -> int:
        """End of a person-name run starting at token i (i itself if there is none).

        Particles (بن، أبو، عبد، آل) always take the next word; after `free` words, a further one
        is taken only if it is a given name, a particle or follows one, a compound tail (الله،
        الدين) or an article-bearing family name after another (الصادق المهدي), so that a name
        does not swallow the noun after it ("حسن نصر الله مقابلة")."""
        n = len(toks)
        j = i
        lex = self.lex
        bound = 0  # prefix particles so far: عبد الكريم is one name word
        while j < n and j - i < _MAX_NAME + 1:
            tok = toks[j]
            if not self._name_like(tok):
                # A title that is also a family name closes a name: "جميل السيد إن".
                if (
                    j > i
                    and tok.norm in lex.surname_titles
                    and (j + 1 >= n or not toks[j + 1].is_word or not self._name_like(toks[j + 1]))
                ):
                    j += 1
                break
            if j == i:
                if first_needs_name and self._lex_stem(tok, lex.given_names) is None:
                    break
                if self._nationality(toks, j) is not None:
                    break
            elif not self._continues_name(toks, j, i):
                break
            if j - i - bound >= free:
                prev = toks[j - 1].norm
                w = tok.norm
                if not (
                    prev in lex.particles
                    or w in lex.particles
                    or (w in lex.given_names and w not in lex.ambiguous_names)
                    # an ambiguous one (لي، مي) only where punctuation closes the name
                    or (w in lex.given_names and (j + 1 >= n or not toks[j + 1].is_word))
                    or w in lex.compound_tails
                    or (w.startswith("ال") and prev.startswith("ال") and w not in lex.org_adjectives)
                ):
                    break
            if tok.norm in lex.prefix_particles:
                bound += 1
            j += 1
        # A particle cannot end a name (أبو without its noun).
        while j > i and toks[j - 1].norm in lex.particles:
            j -= 1
        return j

    def _titles(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        """Title (+ nationality) + name: "الرئيس الروسي X"; role head + complement + name:
        "رئيس بلدية طرابلس X", "المتحدث باسم الكرملين X"."""
        n = len(toks)
        titles = self.lex.titles
        for i in at:
            tok = toks[i]
            stem = self._lex_stem(tok, titles.index)
            if stem is None:
                continue
            bucket = titles.get(stem) or []
            # Longest listed title that the following tokens complete.
            match = next(
                (
                    (rest, entry)
                    for rest, entry in bucket
                    if i + 1 + len(rest) <= n
                    and (not rest or tuple(map(_NORM, toks[i + 1 : i + 1 + len(rest)])) == rest)
                ),
                None,
            )
            if match is None:
                continue
            rest, entry = match
            j = i + 1 + len(rest)
            role, sector = entry.role or entry.name, entry.code
            country = None
            role_head = entry.type == "ROLE_HEAD"
            nat = self._nationality(toks, j) if j < n else None
            if nat:
                j, country = nat
            if j < n and (role_head or toks[j].norm == "باسم"):
                # The complement: "باسم" + a definite chain, a listed name, or a genitive chain
                # (بلدية طرابلس، الوزراء اللبناني), up to four words.
                k = j + 1 if toks[j].norm == "باسم" else j
                limit = k + 4
                while k < n and k < limit and toks[k].is_word:
                    g = self._gaz_match(toks, k)
                    if g is not None and g[2].type != "PER":
                        k = g[0]
                        continue
                    nat = self._nationality(toks, k)
                    if nat:
                        k, country = nat[0], country or nat[1]
                        continue
                    w = toks[k].norm
                    if w.startswith(("ال", "لل")) or (
                        k == j and (w in self.lex.org_heads or w.endswith("ة"))
                    ):
                        k += 1
                        continue
                    break
                if k == j and role_head:
                    continue  # a role head needs its complement
                j = k
            if j >= n:
                continue
            first = toks[j]
            # A verb right after the title ("الرئيس الروسي يزور") is not a name.
            given = self._lex_stem(first, self.lex.given_names)
            if given is None:
                if first.norm[:1] in "يت" and len(first.norm) >= 4:
                    continue
                if self.lex.gazetteer.get(first.norm):
                    continue  # "رئيس روسيا", "وزير خارجية فرنسا": a place, not a name
                if first.norm.startswith("ال") or first.norm != self._bare(first):
                    continue  # a definite noun or a cliticised word is prose, not a name
                if role_head or (" " not in entry.name and not entry.name.startswith("ال")):
                    # After an indefinite or complement-taking title the boundary is a guess: only
                    # a known given name starts a name there ("مؤتمر صحفي عقده").
                    continue
            end = self._name_run(toks, j, first_needs_name=False, free=2 if given is None else 3)
            if end == j:
                continue
            if given is not None and given in self.lex.ambiguous_names and end - j < 2:
                continue  # "الرئيس أمل": too thin
            code = f"{country} {sector}" if country and sector else (country or None)
            reason = f"title:{entry.name}"
            if country:
                reason += " + nationality"
            out.append(Candidate(j, end, 0, "PER", P_TITLE, reason, None, None, country, code, role))

    def _given_names(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        n = len(toks)
        lex = self.lex
        for i in at:
            tok = toks[i]
            stem = self._lex_stem(tok, lex.given_names)
            if stem is None:
                compound = self._compound_given(toks, i)
                if compound:
                    # "عبد العزيز بلخادم": the compound is one name word; a family name may follow.
                    end = self._name_run(toks, i + compound, first_needs_name=False, free=1)
                    end = max(end, i + compound)
                    prefix = next(
                        (_clitic_prefix(tok.norm, s) for s in lexical_stems(tok.norm) if s == "عبد"),
                        _clitic_prefix(tok.norm, self._bare(tok)),
                    )
                    out.append(Candidate(i, end, prefix, "PER", P_NAME, "given-name:compound"))
                continue
            if i + 1 >= n or not self._name_like(toks[i + 1]):
                continue
            prefix = _clitic_prefix(tok.norm, stem)
            if (
                stem in lex.ambiguous_names
                and prefix
                and tok.norm[0] in "وف"
                and (i == 0 or not toks[i - 1].is_word)
            ):
                continue  # clause-initial "وطالب X": the verb, then its subject
            if stem in lex.ambiguous_names:
                # أمل، سلام، حسن...: a person cue or title before it, or an unambiguous given name or
                # a particle after it (سلام فياض after a title; حسن بن علي).
                prev = self._bare(toks[i - 1]) if i else ""
                nxt = toks[i + 1].norm
                if not (
                    prev in lex.cue_verbs
                    or prev in lex.cue_nouns
                    or prev in lex.title_words
                    or nxt in lex.particles
                    or (nxt in lex.given_names and nxt not in lex.ambiguous_names)
                ):
                    continue
            end = self._name_run_from(toks, i)
            if end - i < 2:
                continue
            out.append(Candidate(i, end, prefix, "PER", P_NAME, f"given-name:{stem}"))

    def _compound_given(self, toks: list[Token], i: int) -> int:
        """Length in tokens of a listed compound given name (عبد الله، عبد العزيز) at token i, or 0."""
        for stem in lexical_stems(toks[i].norm):
            for length in (3, 2):
                if i + length > len(toks):
                    continue
                if (stem, *map(_NORM, toks[i + 1 : i + length])) in self.lex.compound_given:
                    return length
        return 0

    def _name_run_from(self, toks: list[Token], i: int) -> int:
        """A name starting with a (possibly cliticised) given name at token i."""
        if i + 1 >= len(toks):
            return i + 1
        if not self._continues_name(toks, i + 1, i):
            return i + 1
        nxt = toks[i + 1]
        if nxt.norm in self.lex.surname_titles and (
            i + 2 >= len(toks) or not toks[i + 2].is_word or not self._name_like(toks[i + 2])
        ):
            return i + 2  # "منير السيد إن": the title word is the family name
        return max(i + 1, self._name_run(toks, i + 1, first_needs_name=False, free=1))

    def _cues(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        """Reporting verb / person noun + an unknown 2-3 word name closed by punctuation, إن/أن or
        a title ("قال شون سافيت المتحدث ..."); the first word must not carry the article."""
        n = len(toks)
        for i in at:
            if i >= n - 2:
                continue
            tok = toks[i]
            bare = self._bare(tok)
            is_verb = bare in self.lex.cue_verbs
            if not is_verb and bare not in self.lex.cue_nouns:
                continue
            j = i + 1
            if not is_verb:
                nat = self._nationality(toks, j)
                if nat is not None:
                    j = nat[0]  # "الكاتب الجزائري X"
                    if j >= n - 1:
                        continue
            if (
                toks[j].norm.startswith("ال")
                or not self._name_like(toks[j])
                or toks[j].norm != self._bare(toks[j])
            ):
                continue
            if self._nationality(toks, j) is not None or toks[j].norm in self.lex.gazetteer_words:
                continue
            end = self._name_run(toks, j, first_needs_name=False)
            if end - j < 2 or end - j > 3:
                continue
            if is_verb:
                nxt = toks[end] if end < n else None
                if nxt is not None and nxt.is_word:
                    nb = self._bare(nxt)
                    if nb not in self.lex.closers and nb not in self.lex.title_words:
                        continue
            out.append(Candidate(j, end, 0, "PER", P_NAME, f"cue:{bare}"))

    def _orgs(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        n = len(toks)
        lex = self.lex
        for i in at:
            tok = toks[i]
            stem = self._lex_stem(tok, lex.org_heads)
            if stem is None:
                continue
            prefix = _clitic_prefix(tok.norm, stem)
            if stem in lex.masdar_heads and tok.norm[:prefix].endswith(("ل", "ب")):
                continue  # "لتنظيم التجارة": the verbal noun after a preposition
            definite = stem.startswith("ال")
            j = i + 1
            country = None
            last_adj = False
            proper = False  # a listed name or an unknown indefinite word: a proper name follows
            nat_at = None  # where a trailing nationality adjective starts
            complement = False  # a لل/ل complement taken ("سوق مسقط للأوراق المالية")
            person_inside = False  # a listed person's name inside (مستشفى الأسد الجامعي)
            while j < n and j - i <= _MAX_ORG_CHAIN:
                t = toks[j]
                w = t.norm
                if (
                    not t.is_word
                    or t.norm in lex.title_words
                    or (w not in lex.noun_stop and self._stop_tok(t))
                ):
                    break
                nat = self._nationality(toks, j)
                if nat:
                    nat_at = j
                    j, country = nat
                    last_adj = True
                    continue
                # A listed name completes a construct: right after an indefinite head, or after an
                # indefinite chain word ("غرفة تجارة وصناعة الكويت", "جامعة دمشق").
                construct = not toks[j - 1].norm.startswith("ال") if j > i + 1 else not definite
                g = (
                    self._gaz_match(toks, j)
                    if (construct and not w.startswith("ال")) or (j == i + 1 and not definite)
                    else None
                )
                if g is not None and g[2].type == "ORG" and stem in lex.trim_heads and j == i + 1:
                    break  # "منظمة أوبك": the gazetteer match (without the head) is the mention
                if g is not None and g[2].type != "PER":
                    j = g[0]  # جامعة دمشق، بورصة عمان، مؤسسة قطر
                    proper = True
                    last_adj = False
                    nat_at = None
                    continue
                if g is None and j == i + 1 and not definite and w.startswith("ال"):
                    g2 = self._gaz_match(toks, j)
                    person_inside = g2 is not None and g2[2].type == "PER"
                if w.startswith(("لل", "ل")) and not w.startswith("ال"):
                    # One prepositional complement per name: "للأوراق المالية" yes, then
                    # "للجلسة الثالثة" is prose. "ل" + construct + definite word ("لكرة القدم")
                    # only after a nationality: "الاتحاد الأردني لكرة القدم".
                    if complement:
                        break
                    if not w.startswith("لل") and not (
                        nat_at is not None and j + 1 < n and toks[j + 1].norm.startswith("ال")
                    ):
                        break
                    complement = True
                    nat_at = None
                    j += 1
                    continue
                ok = (
                    w.startswith(("ال", "وال"))
                    or (j == i + 1 and not definite and self._name_like(t) and w == self._bare(t))
                    or (j > i + 1 and toks[j - 1].norm in lex.compound_heads)
                    or (
                        # "تجارة وصناعة": a coordinated indefinite noun inside a construct
                        j > i + 1
                        and w.startswith("و")
                        and not toks[j - 1].norm.startswith("ال")
                        and j + 1 < n
                        and self._gaz_match(toks, j + 1) is not None
                    )
                    or (
                        # "مجموعة طلعت مصطفى": an unlisted proper name right after the head goes
                        # on with a given name (not after a listed place: "بلدية صيدا مروان")
                        proper
                        and j == i + 2
                        and toks[j - 1].norm not in lex.gazetteer_words
                        and w in lex.given_names
                        and w == self._bare(t)
                    )
                )
                if not ok or (w not in lex.noun_stop and self._is_stop(self._bare(t))):
                    break
                if j == i + 1 and not w.startswith("ال"):
                    if stem.endswith("ة") and w.endswith("ة") and w not in lex.gazetteer_words:
                        break  # "حركة نشطة": a head and its agreeing adjective
                    proper = True
                last_adj = w in lex.org_adjectives or (complement and last_adj)
                if not w.startswith("ال") or not complement:
                    nat_at = None
                j += 1
            if j == i + 1:
                continue
            if definite and not last_adj and not complement:
                continue  # "الاتحاد" + noun is ordinary prose unless it ends like a name
            start = i
            if proper and nat_at is not None and nat_at > i + 1:
                j = nat_at  # "شركة نوكيا الفنلندية": the nationality describes the name
            if stem in lex.outlet_heads:
                start, prefix = i + 1, 0  # "صحيفة الخليج": the outlet's name without its head
                if j - start > 1 and nat_at is not None:
                    j = nat_at
            code = f"{country} GOV" if country and stem in lex.gov_heads else country
            cand = Candidate(start, j, prefix, "ORG", P_ORG, f"org-head:{stem}", None, None, country, code)
            if proper or stem in lex.outlet_heads or (person_inside and last_adj):
                cand.priority = P_GAZ_MULTI  # head + a name: the whole is the organisation
            elif nat_at is not None and j > nat_at:
                # "شركة الاتصالات السعودية": the adjective is read inside the name, not as a country.
                cand.priority = P_GAZ_MULTI
            out.append(cand)

    def _places(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        n = len(toks)
        for i in at:
            if i >= n - 1:
                continue
            tok = toks[i]
            stem = self._lex_stem(tok, self.lex.place_heads)
            if stem is None:
                continue
            j = i + 1
            t = toks[j]
            if not self._name_like(t) or self._nationality(toks, j) is not None or t.norm != self._bare(t):
                continue
            if t.norm in self.lex.gazetteer_words:
                continue  # the gazetteer will type it properly
            end = j + 1
            if t.norm in self.lex.place_prefixes and end < n and self._name_like(toks[end]):
                end += 1
            elif (
                end < n
                and toks[end].norm.startswith("ال")
                and self._name_like(toks[end])
                and self._nationality(toks, end) is None
                and toks[end].norm not in self.lex.directions
                and not t.norm.startswith("ال")
            ):
                end += 1  # عيتا الشعب
            out.append(Candidate(j, end, 0, self.lex.place_heads[stem], P_PLACE, f"place-head:{stem}"))

    def _norps(self, toks: list[Token], out: list[Candidate], at: list[int]) -> None:
        for i in at:
            tok = toks[i]
            nat = self._nationality(toks, i)
            if nat:
                stem = next(s for s in lexical_stems(tok.norm) if s in self.lex.nationalities)
                out.append(
                    Candidate(
                        i,
                        nat[0],
                        _clitic_prefix(tok.norm, stem),
                        "NORP",
                        P_NORP,
                        "nationality-adjective",
                        None,
                        None,
                        nat[1] or None,
                        nat[1] or None,
                    )
                )

    # -- assembly --------------------------------------------------------------------------

    def find(self, article: Article) -> list[EntityMention]:
        toks = article.tokens or []
        if not toks:
            return []
        chosen = self._resolve(self.candidates(toks))
        chosen = self._short_forms(toks, chosen)
        return self._to_mentions(article, toks, chosen)

    def candidates(self, toks: list[Token], families: frozenset[str] = ALL_FAMILIES) -> list[Candidate]:
        """The proposals of the rule `families` over the tokens, overlapping, before any choice."""
        # One pass of dict lookups finds the positions where each rule family can fire, so the
        # families below touch only those tokens (the cost stays one lookup per token stem).
        at: dict[str, list[int]] = {f: [] for f in _FAMILIES}
        fams_of = self.token_families(toks)
        for i in compress(range(len(toks)), fams_of):  # only the tokens that trigger a family
            for f in fams_of[i]:
                at[f].append(i)
        for family in ALL_FAMILIES - families:
            at[family] = []
        cands: list[Candidate] = []
        self._gazetteer(toks, cands, at["gaz"])
        self._titles(toks, cands, at["title"])
        self._orgs(toks, cands, at["org"])
        self._places(toks, cands, at["place"])
        self._given_names(toks, cands, at["given"])
        self._cues(toks, cands, at["cue"])
        self._norps(toks, cands, at["norp"])
        if at["clubs"]:
            self._clubs(toks, cands, at["clubs"], at["sport"])
        listed = {(c.i, c.j) for c in cands if c.type == "PER" and c.entry_id}
        if listed:
            for c in cands:
                if (
                    c.type == "PER"
                    and not c.entry_id
                    and c.reason.startswith("given-name")
                    and any(c.i < a and b <= c.j for a, b in listed if a < c.j)
                ):
                    c.priority = P_GAZ_MULTI
                    c.reason += " (extends a listed name)"
        return [c for c in cands if not (c.type == "PER" and not c.entry_id and self.time_phrase(toks, c.i))]

    @staticmethod
    def _resolve(cands: list[Candidate]) -> list[Candidate]:
        """Greedy by (priority, longer first, earlier first); NORP inside a kept span is dropped."""
        cands.sort(key=lambda c: (c.priority, -(c.j - c.i), c.i))
        taken: list[Candidate] = []
        used: set[int] = set()
        for c in cands:
            span = range(c.i, c.j)
            if not used.isdisjoint(span):  # one C call rather than a generator over the span
                continue
            used.update(span)
            taken.append(c)
        taken.sort(key=lambda c: c.i)
        return taken

    def _short_forms(self, toks: list[Token], chosen: list[Candidate]) -> list[Candidate]:
        """Single-word mentions of an earlier/later full person name (بوتين) become PER mentions.

        A short form is the last word of a multi-word person (or the first, when that is not a
        common given name: كيم of كيم جونج أون); words that are given names of many people, the
        article-bearing family names that double as nouns (المعلم) and compound tails are not used.
        """
        shorts: dict[str, Candidate] = {}
        for c in chosen:
            if c.type != "PER" or c.j - c.i < 2:
                continue
            first = self._bare(toks[c.i])
            for w in (toks[c.j - 1].norm, first):
                if (
                    len(w) < 3
                    or w.startswith("ال")
                    or w in self.lex.compound_tails
                    or w in self.lex.particles
                    or self._is_stop(w)
                    or (w == first and w in self.lex.given_names)
                ):
                    continue
                shorts.setdefault(w, c)
        if not shorts:
            return chosen
        used = {k for c in chosen for k in range(c.i, c.j)}
        extra = []
        # No short form starts with the article, so a stem that is one is a suffix of the word:
        # one C-level endswith() rules out nearly every token before its stems are looked at.
        endings = tuple(shorts)
        for i, tok in enumerate(toks):
            if i in used or not tok.norm.endswith(endings):
                continue
            for stem in lexical_stems(tok.norm):
                full = shorts.get(stem)
                if full is None:
                    continue
                # Only a standalone word: "بوتين" but not the first word of another name.
                if (
                    i + 1 < len(toks)
                    and toks[i + 1].is_word
                    and self._name_like(toks[i + 1])
                    and (toks[i + 1].norm in self.lex.given_names)
                ):
                    break
                extra.append(
                    Candidate(
                        i,
                        i + 1,
                        _clitic_prefix(tok.norm, stem),
                        "PER",
                        P_NAME,
                        f"short-form:{stem}",
                        full.entry_id,
                        full.name,
                        full.country,
                        full.code,
                        full.role,
                    )
                )
                break
        if not extra:
            return chosen
        return sorted(chosen + extra, key=lambda c: c.i)

    def _to_mentions(
        self, article: Article, toks: list[Token], chosen: list[Candidate], component: str = COMPONENT
    ) -> list[EntityMention]:
        norm = article.norm
        text = article.text
        mentions: list[EntityMention] = []
        groups: dict[str, str] = {}  # linking key -> entity id
        best_name: dict[str | None, str] = {}  # entity id -> longest name
        for c in chosen:
            start = toks[c.i].start
            if c.prefix:
                if norm is None:
                    raise PipelineError(f"entities needs article.norm on document {article.id}")
                n0 = norm.to_norm(start)
                start = norm.offsets[n0 + c.prefix]
            end = toks[c.j - 1].end
            surface = text[start:end]
            if c.entry_id:
                key = "gaz:" + c.entry_id
                name = c.name or surface
            elif c.type == "NORP" and c.country:
                # The adjective names its country exactly (from countries.tsv): link on that, never
                # on the lossy spelling key, where السويسري and السوري share a skeleton.
                key = f"nationality:{c.country}"
                name = surface
            else:
                name = surface
                key = entity_key(name)
            mentions.append(
                EntityMention(
                    start,
                    end,
                    surface,
                    component,
                    c.reason,
                    type=c.type,
                    name=name,
                    key=key,
                    country=c.country,
                    code=c.code,
                    role=c.role,
                )
            )
        # Group: short forms join their full name; other mentions group by key and type.
        full_by_word: dict[str, EntityMention] = {}
        for m in mentions:
            if m.type == "PER" and " " in m.text and not m.key.startswith("gaz:"):
                for w in m.text.split():
                    full_by_word.setdefault(entity_key(w), m)
        for m in mentions:
            if m.reason and m.reason.startswith("short-form") and not m.key.startswith("gaz:"):
                full = full_by_word.get(entity_key(m.text))
                if full is not None:
                    m.key = full.key
            group = f"{m.type}|{m.key}"
            if group not in groups:
                groups[group] = f"{article.id}:e{len(groups) + 1}"
            m.entity = groups[group]
            # Keyed by the entity id, which is one-to-one with the group: the loop below then
            # need not rebuild the group string.
            if len(m.name) > len(best_name.get(m.entity, "")):
                best_name[m.entity] = m.name
        for m in mentions:
            if not m.key.startswith("gaz:"):
                m.name = best_name[m.entity]
            # A short form inherits the code/role/country its full name carries.
        by_entity: dict[str, EntityMention] = {}
        for m in mentions:
            prev = by_entity.get(m.entity or "")
            if prev is None or (prev.code is None and m.code is not None):
                by_entity[m.entity or ""] = m
        for m in mentions:
            src = by_entity[m.entity or ""]
            m.code = m.code or src.code
            m.country = m.country or src.country
            m.role = m.role or src.role
        return mentions


@register("entities")
class EntitiesComponent(BaseComponent):
    name = "entities"
    requires = ("norm", "sentences", "tokens")
    provides = ("entities",)

    def __init__(self) -> None:
        super().__init__()
        self.recognizer: Recognizer | None = None

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        self.recognizer = Recognizer(load_lexicons(config.get("lexicon_dir")))

    def __call__(self, article: Article) -> Article:
        if self.recognizer is None:
            self.initialize({})
        assert self.recognizer is not None
        if article.tokens is None or article.norm is None:
            raise PipelineError(
                f"entities needs article.norm and article.tokens on document {article.id}; run "
                "the normalize and segment components first"
            )
        article.entities = self.recognizer.find(article)
        return article

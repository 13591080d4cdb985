"""The event coder's word knowledge, loaded once from `lexicons/` and looked up per word form.

Four data files, each with a header saying what it holds: `triggers.tsv` (words that report a
PLOVER event), `modality.tsv` (context cues: negation, modality, support verbs, metaphors, ...),
`roles.tsv` (role nouns and their actor codes) and `grammar.tsv` (function words: prepositions,
complementisers, relative pronouns). Lookups are cached per word form: newswire vocabulary is
Zipfian, so after a few articles nearly every token is one dict hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from marsad.errors import ConfigError
from marsad.events.plover import check_label
from marsad.normalize.text import normalize_form
from marsad.pipeline.wordcache import lookup_words
from marsad.segment.tokens import StemPieces, Token, stems

LEXICONS = Path(__file__).resolve().parent / "lexicons"
_CACHE_MAX = 200_000
_MISSING = object()
# Prefixes a verb may carry (و/ف "and/so"); س marks the future and is handled apart.
_VERB_PREFIXES = frozenset({"", "و", "ف"})
# Object pronouns a verb may carry (اتهمها، قصفوها): tried when the bare form is not listed.
_VERB_SUFFIXES = ("هما", "هم", "ها", "كم", "نا", "ه")
_FUTURE_PREFIXES = ("س", "وس", "فس")
_INFO_CUES = ("modal", "attribution")  # the cue kinds a WordInfo reads
_POSSESSIVES = ("هم", "ها", "ه")
# Case and number endings a listed role noun may carry (جنديا، جنديان، جنديين، متظاهرا): the accusative
# of an indefinite singular, the dual and the oblique plural.
_INFLECTIONS = ("ان", "ين", "ا")
_NEEDS = frozenset({None, "crowd", "casualty"})


@dataclass(frozen=True, slots=True)
class TriggerRow:
    words: tuple[frozenset[str], ...]
    category: str
    mode: str | None
    kind: str  # past | imperf | masdar
    preps: tuple[str, ...]
    line: str  # file:line, for reasons and error messages
    needs: str | None = None  # crowd | casualty (see triggers.tsv)


Candidate = tuple[TriggerRow, str, bool]  # (row, prefix written on the word, future)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the lexicons say about one word form, looked up once per form: the per-token questions
    every sentence asks become attribute reads."""

    cands: list[Candidate]  # trigger rows this word can open
    role: str | None  # role code of the noun (roles.tsv), through its stems
    maybe_hypothetical: bool  # a hypothetical modal cue, or the first word of a multi-word one
    maybe_attribution: bool  # an attribution cue, or the first word of a multi-word one


def read_tsv(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, columns) of every row that is not blank or a # comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read event lexicon {path}: {err}; check the [events] settings") from err
    return [
        (n, [c.strip() for c in raw.split("\t")])
        for n, raw in enumerate(text.splitlines(), 1)
        if raw.strip() and not raw.lstrip().startswith("#")
    ]


def load_triggers(path: Path) -> list[TriggerRow]:
    out = []
    for n, cols in read_tsv(path):
        if len(cols) < 5:
            raise ConfigError(f"{path}:{n}: a trigger row needs 5 tab-separated columns, got {len(cols)}")
        forms, category, mode, kind, preps = cols[:5]
        mode_v = None if mode in ("", "-") else mode
        problem = check_label(category, mode_v)
        if problem:
            raise ConfigError(f"{path}:{n}: {problem}")
        if kind not in ("past", "imperf", "masdar"):
            raise ConfigError(f"{path}:{n}: kind must be past, imperf or masdar, not {kind!r}")
        words = tuple(
            frozenset(normalize_form(alt) for alt in word.split("|") if alt) for word in forms.split(" ")
        )
        prep_t = tuple(normalize_form(p) for p in preps.split(",") if p and p != "-")
        needs = cols[5] if len(cols) > 5 and cols[5] not in ("", "-") else None
        if needs not in _NEEDS:
            raise ConfigError(
                f"{path}:{n}: needs must be one of {sorted(x for x in _NEEDS if x)} or '-', not {needs!r}"
            )
        out.append(TriggerRow(words, category, mode_v, kind, prep_t, f"{path.name}:{n}", needs))
    return out


def load_cues(path: Path) -> dict[str, dict[tuple[str, ...], str]]:
    """kind -> {cue words (matching form) -> value}, for modality.tsv and grammar.tsv."""
    cues: dict[str, dict[tuple[str, ...], str]] = {}
    for n, cols in read_tsv(path):
        if len(cols) < 3:
            raise ConfigError(f"{path}:{n}: a cue row needs 3 tab-separated columns")
        words = tuple(normalize_form(w) for w in cols[0].split(" "))
        cues.setdefault(cols[1], {})[words] = cols[2]
    return cues


def load_roles(path: Path) -> dict[str, str]:
    roles = {}
    for n, cols in read_tsv(path):
        if len(cols) < 2:
            raise ConfigError(f"{path}:{n}: a role row needs a noun and a role code")
        roles[normalize_form(cols[0])] = cols[1]
    return roles


class Grammar:
    """Function words from grammar.tsv, as the sets the clause and argument readers test."""

    def __init__(self, table: dict[str, dict[tuple[str, ...], str]]) -> None:
        def words(kind: str) -> frozenset[str]:
            return frozenset(k[0] for k in table.get(kind, {}))

        self.relatives = words("relative")
        self.clause_words = words("clause_word") | self.relatives
        self.complementisers = words("complementiser")
        self.prepositions = words("preposition")
        self.qad = words("qad")
        self.verb_particles = words("verb_particle")
        # Longest proclitic first is not needed: the file lists them so that the first hit is right.
        self.attached_preps = {k[0]: v for k, v in table.get("attached_prep", {}).items()}
        self.weapons = [(k[0], v.rstrip("+"), v.endswith("+")) for k, v in table.get("weapon", {}).items()]

    def is_prep(self, norm: str) -> bool:
        """A preposition, also with و/ف written on it (وفي، ومن، فعلى)."""
        return norm in self.prepositions or (norm[:1] in ("و", "ف") and norm[1:] in self.prepositions)

    def attached_prep(self, norm: str) -> str | None:
        """ب or ل written onto a word of at least three more letters (بالكرملين، لموسكو)."""
        for pre, prep in self.attached_preps.items():
            if norm.startswith(pre) and len(norm) - len(pre) >= 3:
                return prep
        return None

    def weapon_mode(self, norm: str) -> str | None:
        for part, mode, anywhere in self.weapons:
            if norm.startswith(part) or (anywhere and part in norm):
                return mode
        return None


class EventLexicon:
    """Triggers, cues, roles and grammar words, with per-form cached lookups."""

    def __init__(
        self,
        rows: list[TriggerRow],
        cues: dict[str, dict[tuple[str, ...], str]],
        roles: dict[str, str],
        grammar: Grammar,
    ) -> None:
        # first word -> rows starting with it, longest phrase first so the most specific wins.
        self.index: dict[str, list[TriggerRow]] = {}
        for row in rows:
            for form in row.words[0]:
                self.index.setdefault(form, []).append(row)
        for lst in self.index.values():
            lst.sort(key=lambda r: -len(r.words))
        self.single: dict[str, dict[str, str]] = {}  # kind -> {one-word cue -> value}
        self.multi_first: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
        for kind, table in cues.items():
            self.single[kind] = {k[0]: v for k, v in table.items() if len(k) == 1}
            for k, v in table.items():
                if len(k) > 1:
                    self.multi_first.setdefault(kind, {}).setdefault(k[0], []).append((k, v))
        self.roles = roles
        self.role_codes = frozenset(roles.values())
        self.grammar = grammar
        self._cue_cache: dict[str, dict[str, str | None]] = {}
        self._multi_cache: dict[str, dict[str, tuple[tuple[tuple[str, ...], str], ...]]] = {}
        self._info_cache: dict[str, WordInfo] = {}
        # Every listed word a `WordInfo` reads, as a piece that any word form it can match holds.
        listed = {*self.index, *roles}
        for kind in _INFO_CUES:
            listed.update(self.single.get(kind, {}), self.multi_first.get(kind, {}))
        self._listed_pieces = StemPieces(listed)

    @classmethod
    def load(cls, extra_triggers: str | Path | None = None) -> EventLexicon:
        rows = load_triggers(LEXICONS / "triggers.tsv")
        if extra_triggers:
            rows += load_triggers(Path(extra_triggers))
        return cls(
            rows,
            load_cues(LEXICONS / "modality.tsv"),
            load_roles(LEXICONS / "roles.tsv"),
            Grammar(load_cues(LEXICONS / "grammar.tsv")),
        )

    # ----------------------------------------------------------------- cues
    def cue(self, kind: str, norm: str) -> str | None:
        """The value of a one-word cue of `kind` that this word form is (after و/ف or a preposition)."""
        cache = self._cue_cache.get(kind)
        if cache is None:
            cache = self._cue_cache[kind] = {}
        value = cache.get(norm, _MISSING)
        if value is _MISSING:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            value = cache[norm] = self._cue_uncached(kind, norm)
        return value  # type: ignore[return-value]

    def _cue_uncached(self, kind: str, word: str) -> str | None:
        table = self.single.get(kind, {})
        for form in stems(word)[:3]:  # the word, then with و/ف or one preposition removed
            if form in table:
                return table[form]
        return None

    def multi_cue(self, kind: str, toks: list[Token], i: int) -> tuple[str, int] | None:
        """(value, width) of a multi-word cue of `kind` that starts at token i."""
        for words, value in self._multi_entries(kind, toks[i].norm):
            n = len(words)
            if i + n <= len(toks) and all(words[k] in toks[i + k].stems() for k in range(1, n)):
                return value, n
        return None

    def opens_multi_cue(self, kind: str, norm: str) -> bool:
        """Can this word form be the first word of a multi-word cue of `kind`?"""
        return bool(self._multi_entries(kind, norm))

    def cue_at(self, kind: str, toks: list[Token], i: int) -> str | None:
        """A multi-word cue starting at token i, else the one-word cue token i is."""
        hit = self.multi_cue(kind, toks, i)
        return hit[0] if hit else self.cue(kind, toks[i].norm)

    def _multi_entries(self, kind: str, word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        cache = self._multi_cache.setdefault(kind, {})
        entries = cache.get(word)
        if entries is None:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            starts = self.multi_first.get(kind, {})
            entries = cache[word] = tuple(e for form in stems(word)[:3] for e in starts.get(form, ()))
        return entries

    # ----------------------------------------------------------------- words
    def word_infos(self, norms: list[str]) -> list[WordInfo]:
        """One `WordInfo` per token; only word forms never seen before are looked up."""
        return lookup_words(self._info_cache, norms, self._word_info, _CACHE_MAX)

    def _word_info(self, word: str) -> WordInfo:
        if not self._listed_pieces.may_match(word):
            return WordInfo([], None, False, False)  # holds no listed word: most forms, one C scan
        return self._looked_up_info(word)

    def _looked_up_info(self, word: str) -> WordInfo:
        return WordInfo(
            cands=self._candidates(word),
            role=self._role(word),
            maybe_hypothetical=self._cue_uncached("modal", word) == "hypothetical"
            or any(value == "hypothetical" for _, value in self._multi_entries("modal", word)),
            maybe_attribution=self._cue_uncached("attribution", word) is not None
            or bool(self._multi_entries("attribution", word)),
        )

    def _role(self, word: str) -> str | None:
        for form in stems(word):
            role = self.roles.get(form)
            if role:
                return role
        # A possessive (قواته، جنودها، عناصرهم) or an inflection (جنديان) on a listed role noun.
        for suf in _POSSESSIVES + _INFLECTIONS:
            if word.endswith(suf) and len(word) - len(suf) >= 3:
                role = next((self.roles[f] for f in stems(word[: -len(suf)]) if f in self.roles), None)
                if role:
                    return role
        return None

    def role_start(self, tok: Token) -> int:
        """Where a role noun starts once a preposition written onto it is split off (للجيش)."""
        word = tok.norm
        for form in tok.stems():
            if form in self.roles:
                cut = len(word) - len(form) if word.endswith(form) else len(word) - len(form) + 2
                head = word[:cut]
                if cut and self.grammar.attached_preps.get(head) and len(tok.text) == len(word):
                    return tok.start + cut
                return tok.start
        return tok.start

    def _candidates(self, word: str) -> list[Candidate]:
        """(row, prefix, future) for every row whose first word this word form can be."""
        found: list[Candidate] = []
        for form in stems(word):
            rows = self.index.get(form)
            if not rows:
                continue
            if word.endswith(form):
                prefix = word[: len(word) - len(form)]
            else:  # the article-bearing form added by stems(): the word had ل/ب + ال
                prefix = word[: len(word) - len(form) + 2] + "ال"
            # A form listed with its future prefix (سيزور) still marks the future.
            future = form[:1] == "س" and form[1:2] in "يتنا"
            for row in rows:
                if row.kind == "masdar" or prefix in _VERB_PREFIXES:
                    found.append((row, prefix, future and row.kind == "imperf"))
        return found or self._suffixed_candidates(word)

    def _suffixed_candidates(self, word: str) -> list[Candidate]:
        found: list[Candidate] = []
        # A possessive on a noun trigger (إضرابهم، هجومها): the noun without it.
        for suf in _VERB_SUFFIXES:
            if word.endswith(suf) and len(word) - len(suf) >= 4:
                for form in stems(word[: -len(suf)]):
                    found += [(r, "", False) for r in self.index.get(form, []) if r.kind == "masdar"]
                if found:
                    return found
        # The future prefix س (and وس/فس), then object pronouns on a verb.
        for pre in _FUTURE_PREFIXES:
            if word.startswith(pre) and word[len(pre) :] in self.index:
                found += [(r, pre, True) for r in self.index[word[len(pre) :]] if r.kind == "imperf"]
        for suf in _VERB_SUFFIXES:
            if word.endswith(suf) and len(word) - len(suf) >= 3:
                base = word[: -len(suf)]
                for form in (base, base[1:] if base[:1] in "وف" else ""):
                    if form and form in self.index:
                        found += [(r, "", False) for r in self.index[form] if r.kind != "masdar"]
                if found:
                    break
        return found

    def trigger_kinds(self, toks: list[Token], category: str) -> set[str]:
        """The kinds (past, imperf, masdar) of the `category` trigger words in a token list."""
        return {
            row.kind
            for info in self.word_infos([t.norm for t in toks])
            for row, _, _ in info.cands
            if row.category == category
        }

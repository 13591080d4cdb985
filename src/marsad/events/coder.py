"""The `events` component: PLOVER event mentions coded directly from Arabic sentences.

For each sentence the coder (1) finds triggers from `lexicons/triggers.tsv` through clitic-aware
tokens, (2) builds actor candidates from entity mentions and the role nouns of `roles.tsv`
(الجيش الإسرائيلي -> ISR MIL, مسؤولون أمريكيون -> USA GOV), (3) reads the clause around the
trigger: VSO (the first actor after the verb is its subject), SVO after إن/أن (the nearest actor
before it), the target after the preposition the trigger row names, and (4) reads context cues
from `modality.tsv`: negation, modality, attribution, background and metaphor.

Precision comes first, because most sentences that contain قصف or احتجاج do not report one. A verb
trigger needs a concrete actor; a noun trigger (هجوم، تظاهرة) needs a support verb (شن، نظم،
تعرض، أسفر) or an agent adjective (غارة إسرائيلية) plus a concrete actor, target, place or count,
and must not be a metaphor (الهجوم على الحريات), a generic statement, or background context
without a date of its own. A trigger inside the scope of a denial, a demand or a threat (نفى
إرسال، طالب بوقف القصف، هدد بقصف) is the content of that speech act, not an event: only the denial,
demand or threat is coded.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any

from marsad.errors import ConfigError, PipelineError
from marsad.events.plover import check_label
from marsad.model import Article
from marsad.model.spans import ActorRef, EntityMention, EventDate, EventMention
from marsad.normalize.text import normalize_form
from marsad.pipeline import BaseComponent, register
from marsad.segment.tokens import Token, stems

LEXICONS = Path(__file__).resolve().parent / "lexicons"
COMPONENT = "events"

# Token texts that end a clause: an actor or cue never reaches across them.
_CLAUSE_PUNCT = frozenset('،,؛;:.!?؟"«»()[]-–—')
_CLAUSE_WORDS = frozenset(
    normalize_form(w) for w in ("الذي", "التي", "الذين", "اللذين", "اللتين", "حيث", "بينما", "فيما")
)
# Relative pronouns: a violence/protest verb right after one that follows an attack or protest noun
# (الهجوم الذي استهدف ...، تفجيرات عمان التي استهدفت ...) describes that noun, which carries the report.
_RELATIVES = frozenset(normalize_form(w) for w in ("الذي", "التي", "الذين", "اللذين", "اللتين"))
# Categories whose noun written with the purpose ل after another event (خرجوا ... للمطالبة بـ،
# نظموا مسيرة للتنديد بـ) states that event's aim, not an act of its own.
_PURPOSE_NOUNS = frozenset({"REQUEST", "ACCUSE", "SUPPORT"})
# Categories whose subject "X و Y" names both parties: Y is the target when no other is named.
_JOINT = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Roles whose "attack" is words, not force (شنت الصحف هجوما، هجوم من نواب المعارضة).
_VERBAL_ROLES = frozenset({"MED", "LEG"})
# Complementisers after which Arabic puts the subject first (SVO): إن/أن/بأن/لأن.
_COMPLEMENTISERS = frozenset(normalize_form(w) for w in ("إن", "أن", "بأن", "لأن", "وإن", "وأن", "فإن"))
# Prepositions as separate words; ب and ل are also written attached to the next word.
_PREPOSITIONS = frozenset(
    normalize_form(w)
    for w in (
        "في",
        "من",
        "على",
        "إلى",
        "عن",
        "مع",
        "ضد",
        "بين",
        "أمام",
        "نحو",
        "باتجاه",
        "قرب",
        "لدى",
        "داخل",
        "عند",
    )
)
_ATTACHED_PREPS = {
    "ب": "ب",
    "ل": "ل",
    "وب": "ب",
    "ول": "ل",
    "فب": "ب",
    "فل": "ل",
    "لل": "ل",
    "بال": "ب",
    "وبال": "ب",
    "ولل": "ل",
    "فبال": "ب",
    "فلل": "ل",
}
# Prefixes a verb may carry (و/ف "and/so"); س marks the future and is handled apart.
_VERB_PREFIXES = frozenset({"", "و", "ف"})
# Object pronouns a verb may carry (اتهمها، قصفوها): tried when the bare form is not listed.
_VERB_SUFFIXES = ("هما", "هم", "ها", "كم", "نا", "ه")
_ACTOR_TYPES = frozenset({"PER", "ORG", "GPE", "NORP"})
_PLACE_TYPES = frozenset({"GPE", "LOC"})
# Categories whose trigger inside another trigger's complement is that trigger's content.
_GOVERNING = frozenset({"REQUEST", "THREATEN", "REJECT"})
# Categories whose noun complement (رحب بالإفراج، أشاد بانسحاب) is the thing welcomed, not a report.
# PROTEST too: مذكرة احتجاج على القصف، تظاهروا احتجاجا على الغارات: the shelling is what is protested.
_GOVERNING_NOUNS = frozenset({"SUPPORT", "ACCUSE", "PROTEST"})
# Categories where a place with a country stands for the target when no target is named
# (قصفت الطائرات مواقع في لبنان -> target LBN).
_PLACE_AS_TARGET = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})
_PHRASE_WINDOW = 13  # how far a phrase's later words may follow its first (VSO subjects are long)
_METAPHOR_PRONE = frozenset({"ASSAULT", "PROTEST"})
_MISSING = object()
_CACHE_MAX = 200_000
_WINDOW = 6  # how far (tokens) a phrase's later words and a VSO subject may follow the verb
_norm_of = attrgetter("norm")
_cands_of = attrgetter("cands")


@dataclass(frozen=True, slots=True)
class TriggerRow:
    words: tuple[frozenset[str], ...]
    category: str
    mode: str | None
    kind: str  # past | imperf | masdar
    preps: tuple[str, ...]
    line: str  # file:line, for reasons and error messages


@dataclass(frozen=True, slots=True)
class _WordInfo:
    """What the coder's lexicons say about one word form, looked up once per form (see
    `EventCoder._word_infos`): the per-token questions every sentence asks become attribute reads."""

    cands: list[tuple[TriggerRow, str, bool]]  # trigger rows this word can open
    role: str | None  # role code of the noun (roles.tsv), through its stems
    maybe_hypothetical: bool  # a hypothetical modal cue, or the first word of a multi-word one
    maybe_attribution: bool  # an attribution cue, or the first word of a multi-word one


@dataclass(slots=True)
class Actor:
    first: int  # token indexes (inclusive) within the sentence's token list
    last: int
    start: int  # clean-text offsets
    end: int
    code: str | None
    entity: str | None
    how: str  # how the code was found, for the reason
    country: str | None = None
    place: bool = False  # a GPE/LOC mention: may serve as a location


_QAD_FORMS = frozenset({"قد", "وقد", "فقد", "لقد", "ولقد"})


def _read_tsv(path: Path) -> list[tuple[int, list[str]]]:
    rows = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read event lexicon {path}: {err}; check the [events] settings") from err
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        rows.append((n, [c.strip() for c in raw.split("\t")]))
    return rows


def load_triggers(path: Path) -> list[TriggerRow]:
    out = []
    for n, cols in _read_tsv(path):
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
        out.append(TriggerRow(words, category, mode_v, kind, prep_t, f"{path.name}:{n}"))
    return out


def load_cues(path: Path) -> dict[str, dict[tuple[str, ...], str]]:
    """kind -> {cue words (matching form) -> value}."""
    cues: dict[str, dict[tuple[str, ...], str]] = {}
    for n, cols in _read_tsv(path):
        if len(cols) < 3:
            raise ConfigError(f"{path}:{n}: a cue row needs 3 tab-separated columns")
        words = tuple(normalize_form(w) for w in cols[0].split(" "))
        cues.setdefault(cols[1], {})[words] = cols[2]
    return cues


def load_roles(path: Path) -> dict[str, str]:
    roles = {}
    for n, cols in _read_tsv(path):
        if len(cols) < 2:
            raise ConfigError(f"{path}:{n}: a role row needs a noun and a role code")
        roles[normalize_form(cols[0])] = cols[1]
    return roles


def _join_code(country: str | None, role: str | None) -> str | None:
    parts = [p for p in (country, role) if p]
    return " ".join(parts) if parts else None


@register("events")
class EventCoder(BaseComponent):
    name = "events"
    requires = ("norm", "sentences", "tokens", "entities", "times", "quantities")
    provides = ("events",)

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        rows = load_triggers(LEXICONS / "triggers.tsv")
        extra = config.get("triggers")
        if extra:
            rows += load_triggers(Path(extra))
        self.emit_negated = bool(config.get("emit_negated", False))
        # first word -> rows starting with it, longest phrase first so the most specific wins.
        self.index: dict[str, list[TriggerRow]] = {}
        for row in rows:
            for form in row.words[0]:
                self.index.setdefault(form, []).append(row)
        for lst in self.index.values():
            lst.sort(key=lambda r: -len(r.words))
        cues = load_cues(LEXICONS / "modality.tsv")
        self.single: dict[str, dict[str, str]] = {}  # kind -> {one-word cue -> value}
        # Multi-word cues indexed by their first word.
        self.multi_first: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
        for kind, table in cues.items():
            self.single[kind] = {k[0]: v for k, v in table.items() if len(k) == 1}
            for k, v in table.items():
                if len(k) > 1:
                    self.multi_first.setdefault(kind, {}).setdefault(k[0], []).append((k, v))
        # Lookups are cached per word form: newswire vocabulary is Zipfian, so after a few articles
        # nearly every token is one dict hit, which keeps the coder near a millisecond per article.
        self._cue_cache: dict[str, dict[str, str | None]] = {}
        self._role_cache: dict[str, str | None] = {}
        self._trig_cache: dict[str, list[tuple[TriggerRow, str, bool]]] = {}
        # kind -> word form -> the multi-word cues (words, value) it can open, in lookup order.
        self._multi_cache: dict[str, dict[str, tuple[tuple[tuple[str, ...], str], ...]]] = {}
        self._info_cache: dict[str, _WordInfo] = {}
        self._sent_key: int | None = None  # per-sentence memo of conditional cue positions
        self._sent_cond: list[int] = []
        self._rep_key: int | None = None
        self._rep_value: str | None = None
        self.roles = load_roles(LEXICONS / "roles.tsv")
        self._role_codes = frozenset(self.roles.values())

    # ----------------------------------------------------------------- lookups
    # Lookups are cached per word form: newswire vocabulary is Zipfian, so after a few articles
    # nearly every token is a dict hit, which keeps the coder well under a millisecond per article.
    def _cue(self, kind: str, tok: Token) -> str | None:
        cache = self._cue_cache.setdefault(kind, {})
        value = cache.get(tok.norm, _MISSING)
        if value is _MISSING:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            value = cache[tok.norm] = self._cue_uncached(kind, tok.norm)
        return value  # type: ignore[return-value]

    def _cue_uncached(self, kind: str, word: str) -> str | None:
        table = self.single.get(kind, {})
        for form in stems(word)[:3]:  # the word, then with و/ف or one preposition removed
            if form in table:
                return table[form]
        return None

    def _multi_cue(self, kind: str, toks: list[Token], i: int) -> tuple[str, int] | None:
        # The cues a word can open are cached per word form: nearly every word opens none, and the
        # scans that ask this of every token of a sentence then cost one dict hit per token.
        for words, value in self._multi_entries(kind, toks[i].norm):
            n = len(words)
            if i + n <= len(toks) and all(words[k] in toks[i + k].stems() for k in range(1, n)):
                return value, n
        return None

    def _multi_entries(self, kind: str, word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """The multi-word cues of `kind` whose first word `word` can be (its first three stems,
        least stripping first), in the order `_multi_cue` tries them."""
        cache = self._multi_cache.setdefault(kind, {})
        entries = cache.get(word)
        if entries is None:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            starts = self.multi_first.get(kind, {})
            entries = cache[word] = tuple(e for form in stems(word)[:3] for e in starts.get(form, ()))
        return entries

    def _word_infos(self, norms: list[str]) -> list[_WordInfo]:
        """One `_WordInfo` per token, computed once per article: only word forms never seen before
        are looked up (the set difference and `map` keep the per-token work in C)."""
        cache = self._info_cache
        new = set(norms).difference(cache)
        if new:
            if len(cache) + len(new) > _CACHE_MAX:
                cache.clear()
                new = set(norms)
            for word in new:
                cache[word] = _WordInfo(
                    cands=self._candidates_uncached(word),
                    role=self._role_uncached(word),
                    maybe_hypothetical=self._cue_uncached("modal", word) == "hypothetical"
                    or any(value == "hypothetical" for _, value in self._multi_entries("modal", word)),
                    maybe_attribution=self._cue_uncached("attribution", word) is not None
                    or bool(self._multi_entries("attribution", word)),
                )
        return list(map(cache.__getitem__, norms))

    def _role(self, tok: Token) -> str | None:
        value = self._role_cache.get(tok.norm, _MISSING)
        if value is _MISSING:
            if len(self._role_cache) > _CACHE_MAX:
                self._role_cache.clear()
            value = self._role_cache[tok.norm] = self._role_uncached(tok.norm)
        return value  # type: ignore[return-value]

    def _role_uncached(self, word: str) -> str | None:
        for form in stems(word):
            role = self.roles.get(form)
            if role:
                return role
        return None

    def _role_start(self, tok: Token) -> int:
        """Where a role noun starts once a preposition written onto it is split off (للجيش)."""
        word = tok.norm
        for form in tok.stems():
            if form in self.roles:
                cut = len(word) - len(form) if word.endswith(form) else len(word) - len(form) + 2
                head = word[:cut]
                if cut and _ATTACHED_PREPS.get(head) and len(tok.text) == len(word):
                    return tok.start + cut
                return tok.start
        return tok.start

    def _trigger_candidates(self, tok: Token) -> list[tuple[TriggerRow, str, bool]]:
        """(row, prefix, future) for every row whose first word this token can be."""
        value = self._trig_cache.get(tok.norm)
        if value is None:
            if len(self._trig_cache) > _CACHE_MAX:
                self._trig_cache.clear()
            value = self._trig_cache[tok.norm] = self._candidates_uncached(tok.norm)
        return value

    def _candidates_uncached(self, word: str) -> list[tuple[TriggerRow, str, bool]]:
        found: list[tuple[TriggerRow, str, bool]] = []
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
        if not found:
            # A possessive on a noun trigger (إضرابهم، هجومها): the noun without it.
            for suf in _VERB_SUFFIXES:
                if word.endswith(suf) and len(word) - len(suf) >= 4:
                    for form in stems(word[: -len(suf)]):
                        found += [(r, "", False) for r in self.index.get(form, []) if r.kind == "masdar"]
                    if found:
                        return found
            # The future prefix س (and وس/فس), then object pronouns on a verb.
            for pre in ("س", "وس", "فس"):
                if word.startswith(pre) and word[len(pre) :] in self.index:
                    found += [(r, pre, True) for r in self.index[word[len(pre) :]] if r.kind == "imperf"]
            for suf in _VERB_SUFFIXES:
                if word.endswith(suf) and len(word) - len(suf) >= 3:
                    base = word[: -len(suf)]
                    for form in (base, base[1:] if base[:1] in "وف" else None):
                        if form and form in self.index:
                            found += [(r, "", False) for r in self.index[form] if r.kind != "masdar"]
                    if found:
                        break
        return found

    # ---------------------------------------------------------------- per article
    def __call__(self, article: Article) -> Article:
        if article.tokens is None or article.norm is None:
            raise PipelineError(
                f"events needs tokens on document {article.id}; run normalize and segment first"
            )
        tokens = article.tokens
        tok_starts = [t.start for t in tokens]
        infos = self._word_infos(list(map(_norm_of, tokens)))
        # Token indexes that can open a trigger, ascending. Most sentences hold none: they are
        # skipped by bisection here, before their tokens, clauses and actors are even sliced.
        trig_pos = list(compress(range(len(infos)), map(_cands_of, infos)))
        ents = sorted(article.entities, key=lambda m: m.start)
        ent_starts = [m.start for m in ents]
        events: list[EventMention] = []
        for s, e in article.sentences:
            a = bisect.bisect_left(tok_starts, s)
            b = bisect.bisect_left(tok_starts, e)
            if a >= b:
                continue
            p, q = bisect.bisect_left(trig_pos, a), bisect.bisect_left(trig_pos, b)
            if p == q:
                continue
            lo = bisect.bisect_left(ent_starts, s)
            hi = bisect.bisect_left(ent_starts, e)
            triggers = [k - a for k in trig_pos[p:q]]
            events += self._sentence(
                article, tokens[a:b], infos[a:b], tok_starts[a:b], triggers, ents[lo:hi], s, e
            )
        article.events = events
        return article

    def _sentence(
        self,
        article: Article,
        toks: list[Token],
        infos: list[_WordInfo],
        starts: list[int],
        triggers: list[int],
        ents: list[EntityMention],
        s: int,
        e: int,
    ) -> list[EventMention]:
        """Events of one sentence; `triggers` are the (sentence) indexes of the tokens that can open
        a trigger, the only positions the trigger loop below has anything to do at."""
        n = len(toks)
        # Forget the previous sentence's memos (the id of its token list may be reused).
        self._sent_key = self._rep_key = None
        # Clause numbers: a new clause after punctuation or a relative/subordinating word.
        clause = [0] * n
        c = 0
        for i, t in enumerate(toks):
            if t.text in _CLAUSE_PUNCT or t.norm in _CLAUSE_WORDS:
                c += 1
            clause[i] = c
        # Actors are built on first need: they cost as much as the rest of the sentence, and in many
        # sentences every trigger candidate fails its phrase match or is governed by another.
        actors: list[Actor] | None = None
        actor_at: dict[int, Actor] = {}
        out: list[EventMention] = []
        consumed: set[int] = set()
        denial_from: int | None = None  # token index of a denial: later triggers are its content
        governed_until = -1  # a demand/threat/refusal governs what follows it in its clause
        nominal_until = -1  # praise/condemnation governs a noun right after it (رحب بالإفراج)
        for i in triggers:
            tok = toks[i]
            if i in consumed:
                continue
            if not tok.is_word:
                if actors is None:
                    actors, actor_at = self._actor_index(toks, infos, starts, ents)
                if i in actor_at and actor_at[i].first != i:
                    continue
            cands = infos[i].cands
            match = self._match_phrase(toks, i, clause, cands)
            if match is None:
                continue
            row, prefix, future, last = match
            if self._multi_cue("homograph", toks, i) is not None:
                continue  # فجر الخميس (dawn), اثني عشر (twelve): the trigger's other reading
            verbal = row.kind != "masdar"
            if verbal and len(row.words) == 1 and self._looks_nominal(toks, i, prefix, row):
                alt = [c for c in cands if c[0].kind == "masdar" and len(c[0].words) == 1]
                if not alt:
                    continue
                row, prefix, future = alt[0]
                last, verbal = i, False
            consumed.update(range(i, last + 1))
            governed = (denial_from is not None) or i <= governed_until or (not verbal and i <= nominal_until)
            if governed:
                continue
            if verbal and row.category in _METAPHOR_PRONE and self._describes_noun(toks, infos, i, row):
                continue
            if not verbal and row.category in _PURPOSE_NOUNS and out and prefix[:1] == "ل":
                nominal_until = max(nominal_until, last + 2)  # للتنديد باغتيال: still governs its object
                continue
            if actors is None:
                actors, actor_at = self._actor_index(toks, infos, starts, ents)
            ev = self._code(
                article,
                toks,
                infos,
                starts,
                i,
                last,
                row,
                prefix,
                future,
                verbal,
                clause,
                actors,
                actor_at,
                s,
                e,
            )
            if row.category == "REJECT" and row.mode == "deny":
                denial_from = i
            elif row.category in _GOVERNING or (row.category == "ACCUSE" and row.mode == "allege"):
                end = i + 1
                while end < n and (clause[end] == clause[i] or end - i <= 3) and end - i <= 12:
                    end += 1
                governed_until = end - 1
            if row.category in _GOVERNING_NOUNS:
                nominal_until = max(nominal_until, last + 2)
                if verbal and row.category != "PROTEST":
                    # أدانت منظمة التعاون الإسلامي اقتحام ...: the object noun comes after the VSO
                    # subject; the first noun trigger of the clause is what was condemned or praised.
                    for k in range(last + 1, min(n, last + 9)):
                        if clause[k] != clause[i]:
                            break
                        if any(c[0].kind == "masdar" for c in infos[k].cands):
                            nominal_until = max(nominal_until, k)
                            break
            if ev is not None:
                out.append(ev)
        return out

    def _describes_noun(self, toks: list[Token], infos: list[_WordInfo], i: int, row: TriggerRow) -> bool:
        """A verb right after a relative pronoun whose antecedent is a noun trigger of the same
        category (الهجمات التي استهدفت ...): a description of that noun, coded (or not) through it."""
        if i == 0 or toks[i - 1].norm not in _RELATIVES:
            return False
        for k in range(max(0, i - 6), i - 1):
            if any(c[0].kind == "masdar" and c[0].category == row.category for c in infos[k].cands):
                return True
        return False

    def _crowd_near(self, toks: list[Token], i: int, last: int) -> bool:
        """A count of people next to the trigger (تظاهر عشرات الآلاف، نظم مئات ... مسيرة)."""
        for k in range(max(0, i - 6), min(len(toks), last + 4)):
            if k != i and self._cue("crowd", toks[k]) is not None:
                return True
        return False

    def _match_phrase(
        self, toks: list[Token], i: int, clause: list[int], cands: list[tuple[TriggerRow, str, bool]]
    ) -> tuple[TriggerRow, str, bool, int] | None:
        for row, prefix, future in cands:  # longest rows first
            last = i
            ok = True
            for words in row.words[1:]:
                hit = None
                for j in range(last + 1, min(len(toks), last + 1 + _PHRASE_WINDOW)):
                    if clause[j] != clause[i]:
                        break
                    if any(f in words for f in toks[j].stems()):
                        hit = j
                        break
                if hit is None:
                    ok = False
                    break
                last = hit
            if ok:
                return row, prefix, future, last
        return None

    def _looks_nominal(self, toks: list[Token], i: int, prefix: str, row: TriggerRow) -> bool:
        """A bare form listed both as a verb and as a noun (قصف، رفض): read it as a noun unless it
        opens its clause or follows a particle or an SVO subject."""
        if row.kind == "masdar" or prefix:
            return False
        if not any(r.kind == "masdar" and len(r.words) == 1 for r in self.index.get(toks[i].norm, [])):
            return False
        if i == 0 or toks[i - 1].text in _CLAUSE_PUNCT or toks[i - 1].norm in _COMPLEMENTISERS:
            return False
        return toks[i - 1].norm not in ("قد", "لقد", "ثم", "كما", "حين", "عندما", "لما")

    # ---------------------------------------------------------------- actors
    def _actor_index(
        self, toks: list[Token], infos: list[_WordInfo], starts: list[int], ents: list[EntityMention]
    ) -> tuple[list[Actor], dict[int, Actor]]:
        """The sentence's actors and, for each token index an actor covers, that actor."""
        actors = self._actors(toks, infos, starts, ents)
        actor_at: dict[int, Actor] = {}
        for act in actors:
            for k in range(act.first, act.last + 1):
                actor_at[k] = act
        return actors, actor_at

    def _actors(
        self, toks: list[Token], infos: list[_WordInfo], starts: list[int], ents: list[EntityMention]
    ) -> list[Actor]:
        ent_at: dict[int, EntityMention] = {}
        for m in ents:
            # The token holding the mention's start: a mention after a clitic (وموريتانيا) starts
            # inside its token, which bisect_left would skip.
            j = max(0, bisect.bisect_right(starts, m.start) - 1)
            while j < len(toks) and toks[j].start < m.end:
                ent_at[j] = m
                j += 1
        actors: list[Actor] = []
        n = len(toks)
        # Only a mention or a role noun can start an actor; every other token was a plain `i += 1`
        # step, so the walk visits just those positions, in order, past what an actor consumed.
        roles = [info.role for info in infos]
        i = 0
        for at in sorted(ent_at.keys() | compress(range(n), roles)):
            if at < i:
                continue
            i = at
            m = ent_at.get(i)
            if m is not None and m.type == "PER" and ent_at.get(i + 1) is not m and roles[i]:
                # A lone role word tagged as a person (نظيره "his counterpart") is read as the role
                # noun it is, so the nationality after it decides its country.
                m = None
            role = None if m is not None else roles[i]
            if role is not None:
                act = self._role_actor(toks, infos, i, role, ent_at)
                actors.append(act)
                i = act.last + 1
                continue
            if m is not None:
                j = i
                while j + 1 < n and ent_at.get(j + 1) is m:
                    j += 1
                if m.type in _ACTOR_TYPES or m.type in _PLACE_TYPES:
                    code = m.code or _join_code(m.country, m.role)
                    how = f"{m.type} mention" + (" code" if m.code else "")
                    head_role = roles[i]
                    if code and " " not in code and head_role and m.type == "ORG":
                        # الشرطة التركية tagged as one ORG coded TUR: its head noun gives the role.
                        code = f"{code} {head_role}"
                        how += f" + head noun role {head_role}"
                    actors.append(
                        Actor(
                            i, j, m.start, toks[j].end, code, m.entity, how, m.country, m.type in _PLACE_TYPES
                        )
                    )
                i = j + 1
        return actors

    def _role_actor(
        self, toks: list[Token], infos: list[_WordInfo], i: int, role: str, ent_at: dict[int, EntityMention]
    ) -> Actor:
        """A role noun and what qualifies it: a nationality or country (and a name) after it."""
        n = len(toks)
        last = i
        country = None
        entity = None
        code_from_ent = None
        how = f"role noun '{toks[i].text}' ({role})"
        j = i + 1
        while j < n and j <= i + 4:
            t = toks[j]
            if not t.is_word or t.norm in _PREPOSITIONS or t.norm in _COMPLEMENTISERS:
                break
            m = ent_at.get(j)
            if m is not None and m.type == "PER" and ent_at.get(j + 1) is not m and infos[j].role:
                break  # نظيره after a full title starts the next actor
            if m is not None:
                k = j
                while k + 1 < n and ent_at.get(k + 1) is m:
                    k += 1
                if m.type == "PER":
                    # وزير الخارجية الأمريكي أنتوني بلينكن: the name is the actor, the title its role.
                    entity = m.entity
                    code_from_ent = m.code
                    country = country or m.country
                    last = k
                    break
                if m.country and m.type in ("NORP", "GPE", "ORG"):  # noqa: SIM102 - else-break below
                    if country is None:
                        country = m.country
                        entity = entity or (m.entity if m.type == "ORG" else None)
                        how += f" + nationality/country '{m.text}'"
                        last = k
                        j = k + 1
                        continue
                break
            if infos[j].cands and not infos[j].role:
                break
            if t.norm.startswith("ال") and country is None:
                j += 1  # الخارجية، الدفاع، الكبار: part of the title
                continue
            break  # نظيره، قوات: a new noun phrase
        if code_from_ent and len(code_from_ent.split()) > 1:
            code = code_from_ent
            how += " + name code"
        else:
            code = _join_code(country, role)
        return Actor(i, last, self._role_start(toks[i]), toks[last].end, code, entity, how, country)

    # ---------------------------------------------------------------- one event
    def _code(
        self,
        article: Article,
        toks: list[Token],
        infos: list[_WordInfo],
        starts: list[int],
        i: int,
        last: int,
        row: TriggerRow,
        prefix: str,
        future: bool,
        verbal: bool,
        clause: list[int],
        actors: list[Actor],
        actor_at: dict[int, Actor],
        s: int,
        e: int,
    ) -> EventMention | None:
        n = len(toks)
        ci = clause[i]
        notes: list[str] = []
        # --- negation and modality (cues before the trigger in its clause)
        negated = False
        modality = "future" if future else "asserted"
        for k in range(i - 1, max(-1, i - 7), -1):
            if clause[k] != ci and toks[k].text not in _CLAUSE_PUNCT:
                break
            if toks[k].text in _CLAUSE_PUNCT:
                continue
            if i - k <= 2 and self._cue("negation", toks[k]) is not None:
                negated = True
                if toks[k].norm == "لن":
                    modality = "future"
            value = self._cue("modal", toks[k])
            hit = self._multi_cue("modal", toks, k)
            if hit:
                value = hit[0]
            # قد before a perfect means "has"/"indeed", not "may" (also with و/ف and as لقد).
            perfect_qad = toks[k].norm in _QAD_FORMS and row.kind == "past"
            if value and (modality == "asserted" or value == "hypothetical") and not perfect_qad:
                modality = value
        # A conditional earlier in the sentence (إذا هاجمت ...، فإن ...), in this or the previous clause.
        for k in self._conditionals(toks, infos):
            if k < i and clause[k] in (ci, ci - 1):
                modality = "hypothetical"
        if negated:
            if not self.emit_negated:
                return None
            notes.append("negated")
        # --- noun triggers: metaphor, generic and background filters
        background = False
        # Only a noun becomes a metaphor through its object: "احتجوا على الأسعار" is a real protest,
        # "الحرب على الأسعار" is not.
        if not verbal or len(row.words) > 1:  # شن هجوما إعلاميا: the phrase ends in a noun
            nxt = toks[last + 1] if last + 1 < n else None
            nxt2 = toks[last + 2] if last + 2 < n else None
            if nxt is not None and self._cue("abstract", nxt) is not None:
                return None
            if (
                nxt is not None
                and nxt.norm in _PREPOSITIONS
                and nxt2 is not None
                and self._cue("abstract", nxt2) is not None
            ):
                return None
        if not verbal:
            for k in range(max(0, i - 2), i):
                if self._cue("generic", toks[k]) is not None:
                    return None
                if self._cue("background", toks[k]) is not None:
                    background = True
        # Sport, markets and media talk (شن المنتخب هجوما على مرمى الخصم): an abstract word next to
        # a violence or protest trigger makes it a metaphor.
        if row.category in _METAPHOR_PRONE:
            for k in range(max(0, i - 1), min(n, last + 5)):
                if clause[k] == ci and k != i and self._cue("abstract", toks[k]) == "any":
                    return None
        # --- actors
        order = ""
        source: Actor | None = None
        target: Actor | None = None
        if verbal:
            # VSO: the first actor after the verb (or after a phrase's first word) in the clause.
            for j in range(i + 1, min(n, i + 1 + _WINDOW)):
                if clause[j] != ci:
                    break
                act = actor_at.get(j)
                if toks[j].norm in _PREPOSITIONS and not self._partitive(toks, j):
                    break  # a prepositional phrase: the subject cannot come after it
                if act is not None and act.first == j and self._prep_on_actor(toks, act):
                    break
                if act is not None and act.first == j:
                    source, order = act, "VSO"
                    break
            if source is None:
                # SVO: the nearest actor before the verb in its clause (after إن/أن, or a topic).
                for j in range(i - 1, max(-1, i - 8), -1):
                    if toks[j].text in _CLAUSE_PUNCT:
                        break
                    act = actor_at.get(j)
                    if act is not None and not self._governed_by_prep(toks, act):
                        source, order = act, "SVO"
                        break
                    if toks[j].norm in _COMPLEMENTISERS:
                        break
        else:
            source, order = self._noun_agent(toks, i, last, actor_at, clause)
        target, target_how = self._target(toks, i, last, row, clause, actors, actor_at, source)
        if not verbal and target is None:
            k = self._light_at(toks, i, clause)
            if k is not None and k < i and self._cue("undergo", toks[k]) is not None:
                for j in range(k + 1, i):
                    act = actor_at.get(j)
                    if act is not None and not self._governed_by_prep(toks, act):
                        target, target_how = act, f"subject of '{toks[k].text}'"
                        break
        if target is None and row.category in _JOINT and source is not None:
            # وقعت الإمارات وإسرائيل اتفاقية: the second conjunct of the subject is the other party.
            nxt = actor_at.get(source.last + 1)
            if nxt is not None and nxt.first == source.last + 1 and toks[nxt.first].norm[:1] == "و":
                target, target_how = nxt, "second party of a joint subject"
        location = self._location(toks, i, clause, actors, source, target)
        if target is None and row.category in _PLACE_AS_TARGET and location is not None and location.code:
            target, target_how = location, "place of the act"
        # --- concreteness: who did it, or to whom/where, must be named
        if (
            row.category == "PROTEST"
            and source is not None
            and source.code in self._role_codes
            and location is not None
            and location.country
            and source.country is None
        ):
            # عمال الموانئ في تونس أضربوا: protesters and strikers are locals, so a bare role takes the
            # country of the place (not for attackers or NGOs, who often come from elsewhere).
            source = replace(
                source,
                code=f"{location.country} {source.code}",
                how=f"{source.how} + country of the place '{toks[location.first].text}'",
            )
        light = verbal or self._has_light(toks, i, clause)
        casualties = self._magnitude(article, toks, starts, s, e, i)
        # A crowd or a place grounds a protest (تظاهر عشرات الآلاف في ميدان التحرير); a death toll
        # grounds an attack whose agent is unknown (انفجرت سيارة مفخخة ... ما أدى إلى مقتل عشرين).
        crowd = row.category == "PROTEST" and (self._crowd_near(toks, i, last) or location is not None)
        if verbal:
            toll = row.category == "ASSAULT" and bool(casualties.get("killed"))
            if source is None and target is None and not crowd and not toll:
                return None
            if row.kind == "imperf" and source is None and modality == "asserted":
                return None  # present tense with no subject: a generic statement
        else:
            # A noun needs a support verb, or an agent plus a target, place or count: "الهجوم
            # الإسرائيلي" alone is usually a reference back, not a report.
            grounded = target is not None or location is not None or bool(casualties) or crowd
            concrete = (source is not None and light) or (grounded and (source is not None or light))
            if not concrete:
                return None
            # Context (بعد هجوم ...) is coded only with a named actor and a date of its own.
            if background and (source is None or not self._times_in(article, toks, i, clause, near=8)):
                return None
        if source is not None and source is target:
            source = None
        if (
            row.category == "ASSAULT"
            and source is not None
            and source.code
            and source.code.split()[-1] in _VERBAL_ROLES
        ):
            return None  # journalists or MPs "attack" with words: criticism, not force
        # --- date, reporter, confidence
        date = self._date(article, toks, i, clause, background)
        reporter = self._reporter(toks, infos, actor_at, article.text)
        conf = 0.55 if verbal else 0.4
        if source is not None and source.code and len(source.code) >= 3 and source.country:
            conf += 0.15
        elif source is not None and source.code:
            conf += 0.07
        if target is not None and target.code:
            conf += 0.1
        if date.source == "sentence":
            conf += 0.1
        if modality != "asserted":
            conf -= 0.15
        if background:
            conf -= 0.1
        conf = round(max(0.05, min(0.95, conf)), 2)
        kind = "verb" if verbal else ("noun+support verb" if light else "noun")
        reason = (
            f"trigger '{toks[i].text}' ({row.category}{'/' + row.mode if row.mode else ''}) {kind} "
            f"[{row.line}]"
            + (f" {order}" if order else "")
            + (f"; source from {source.how}" if source else "; no source")
            + (f"; target {target_how}" if target else "")
            + (f"; modality {modality}" if modality != "asserted" else "")
            + ("; background context" if background else "")
            + ("; " + ", ".join(notes) if notes else "")
        )
        text = article.text
        return EventMention(
            start=s,
            end=e,
            text=text[s:e],
            component=COMPONENT,
            reason=reason,
            type=row.category,
            mode=self._mode(row, toks, i, last),
            source=self._ref(source, text),
            target=self._ref(target, text),
            date=date,
            location=self._ref(location, text),
            negated=negated,
            modality=modality if not negated else "denied",
            confidence=conf,
            magnitude=casualties,
            reporter=reporter,
        )

    def _conditionals(self, toks: list[Token], infos: list[_WordInfo]) -> list[int]:
        key = id(toks)
        if self._sent_key != key:
            self._sent_key = key
            # Only words that can be or open a hypothetical cue are checked in full.
            self._sent_cond = [
                k
                for k in range(len(toks))
                if infos[k].maybe_hypothetical
                and (
                    self._cue("modal", toks[k]) == "hypothetical"
                    or (self._multi_cue("modal", toks, k) or ("",))[0] == "hypothetical"
                )
            ]
        return self._sent_cond

    def _mode(self, row: TriggerRow, toks: list[Token], i: int, last: int) -> str | None:
        # An adjective after the object states the mode outright ("مساعدات عسكرية" is military
        # aid whatever the row says); it may follow a genitive or two ("كميات من المساعدات العسكرية").
        for k in range(last + 1, min(len(toks), last + 5)):
            stated = self._cue("mode", toks[k])
            if stated is not None:
                category, _, mode = stated.partition(":")
                if category == row.category:
                    return mode
        if row.mode or row.category != "ASSAULT":
            return row.mode
        # ASSAULT without a mode in the row: the weapon words around the trigger decide it.
        for k in range(i, min(len(toks), last + 4)):
            w = toks[k].norm
            if w.startswith(("غار", "جوي", "طائر", "مسير", "مسير")) or "جوي" in w:
                return "aerial"
            if w.startswith(("صاروخ", "مدفع", "قذائف", "قذيف")) or "صاروخ" in w:
                return "shelling"
            if "انتحار" in w or "مفخخ" in w or "عبو" in w:
                return "explosives"
        return None

    @staticmethod
    def _ref(act: Actor | None, text: str) -> ActorRef | None:
        if act is None:
            return None
        return ActorRef(
            text=text[act.start : act.end], entity=act.entity, code=act.code, start=act.start, end=act.end
        )

    @staticmethod
    def _attached_prep(tok: Token) -> str | None:
        for pre, prep in _ATTACHED_PREPS.items():
            if tok.norm.startswith(pre) and len(tok.norm) - len(pre) >= 3:
                return prep
        return None

    @staticmethod
    def _prep_on_actor(toks: list[Token], act: Actor) -> str | None:
        """The preposition written onto an actor's first word (لموسكو، بالكرملين), read from the
        offsets: the mention starts after the token does only when a clitic was split off."""
        tok = toks[act.first]
        if act.start > tok.start:
            head = normalize_form(tok.text[: act.start - tok.start])
            return _ATTACHED_PREPS.get(head) or _ATTACHED_PREPS.get(head + "ال")
        return None

    def _governed_by_prep(self, toks: list[Token], act: Actor) -> bool:
        if act.first > 0 and toks[act.first - 1].norm in _PREPOSITIONS:
            return True
        return self._prep_on_actor(toks, act) is not None

    def _noun_agent(
        self, toks: list[Token], i: int, last: int, actor_at: dict[int, Actor], clause: list[int]
    ) -> tuple[Actor | None, str]:
        """The agent of a noun trigger: an adjective or genitive right after it (غارة إسرائيلية،
        هجوم حماس), or the subject of the support verb before it (شن الجيش هجوما)."""
        n = len(toks)
        if toks[last].norm in _PREPOSITIONS:
            return self._light_subject(toks, i, actor_at, clause)
        for j in range(last + 1, min(n, last + 3)):
            act = actor_at.get(j)
            if act is not None and act.first == j:
                if self._prep_on_actor(toks, act):
                    break  # بطائرات مسيرة: an instrument, not the agent
                if (act.place and not act.code) or (act.place and toks[j].norm[:1] not in "ا"):
                    break  # قصف غزة: a place right after the noun is what was hit
                if (
                    act.place
                    and act.code
                    and " " not in (act.code or "")
                    and j == last + 1
                    and toks[j].norm.startswith("ال") is False
                ):
                    break
                return act, "agent after noun"
            if toks[j].norm in _PREPOSITIONS:
                break
        return self._light_subject(toks, i, actor_at, clause)

    def _light_subject(
        self, toks: list[Token], i: int, actor_at: dict[int, Actor], clause: list[int]
    ) -> tuple[Actor | None, str]:
        k = self._light_at(toks, i, clause)
        if k is None or k > i:
            return None, ""
        if self._cue("undergo", toks[k]) is not None:
            return None, ""  # تعرض X لهجوم: X is what was hit, not who did it
        for j in range(k + 1, i):  # VSO: the subject right after the support verb
            act = actor_at.get(j)
            if toks[j].norm in _PREPOSITIONS and not self._partitive(toks, j):
                break
            if act is not None and act.first == j and not self._governed_by_prep(toks, act):
                return act, "subject of support verb"
        for j in range(k - 1, max(-1, k - 6), -1):  # SVO: the actor before it
            if toks[j].text in _CLAUSE_PUNCT or toks[j].norm in _COMPLEMENTISERS:
                break
            act = actor_at.get(j)
            if act is not None and not self._governed_by_prep(toks, act):
                return act, "subject of support verb"
        return None, ""

    def _partitive(self, toks: list[Token], j: int) -> bool:
        """من after a crowd word (مئات من أنصار المعارضة): the subject continues past it."""
        return toks[j].norm == "من" and j > 0 and self._cue("crowd", toks[j - 1]) is not None

    def _has_light(self, toks: list[Token], i: int, clause: list[int]) -> bool:
        return self._light_at(toks, i, clause) is not None

    def _light_at(self, toks: list[Token], i: int, clause: list[int]) -> int | None:
        """The nearest support verb before a noun trigger in its clause (else one just after it)."""
        for k in range(i - 1, max(-1, i - 9), -1):
            if clause[k] != clause[i]:
                break
            if self._cue("light", toks[k]) is not None or self._cue("undergo", toks[k]) is not None:
                return k
        for k in range(i + 1, min(len(toks), i + 4)):
            if clause[k] != clause[i]:
                break
            if self._cue("light", toks[k]) is not None:
                return k
        return None

    def _target(
        self,
        toks: list[Token],
        i: int,
        last: int,
        row: TriggerRow,
        clause: list[int],
        actors: list[Actor],
        actor_at: dict[int, Actor],
        source: Actor | None,
    ) -> tuple[Actor | None, str]:
        ci = clause[i]
        n = len(toks)
        preps = row.preps
        for j in range(last + 1, min(n, last + 16)):  # VSO subjects with titles are long
            if clause[j] != ci:
                break
            tok = toks[j]
            # بين X و Y: the first party after بين is a target (the other joins it).
            prep = tok.norm if tok.norm in _PREPOSITIONS else None
            if prep and prep in preps and j + 1 < n:
                act = actor_at.get(j + 1)
                if act is not None and act is not source:
                    return act, f"after '{tok.text}'"
                # على مواقع لحزب الله، ضد مقار للمعارضة: a common noun owned by the actor after ل.
                for k in (j + 2, j + 3):
                    own = actor_at.get(k)
                    if (
                        k < n
                        and clause[k] == ci
                        and own is not None
                        and own.first == k
                        and own is not source
                        and not own.place
                        and self._prep_on_actor(toks, own) == "ل"
                    ):
                        return own, f"owner of the object after '{tok.text}'"
            act = actor_at.get(j)
            att = self._prep_on_actor(toks, act) if act is not None and act.first == j else None
            if att and att in preps and act is not None and act.first == j and act is not source:
                return act, f"after attached '{att}'"
            if att == "ل" and "obj" in preps and act is not None and act is not source:
                # أدان الانخراط العسكري لكوريا الشمالية: the object's owner is the target.
                return act, "owner of the object (ل)"
            if (
                "obj" in preps
                and act is not None
                and act.first == j
                and act is not source
                and not self._governed_by_prep(toks, act)
            ):
                return act, "direct object"
        return None, ""

    def _location(
        self,
        toks: list[Token],
        i: int,
        clause: list[int],
        actors: list[Actor],
        source: Actor | None,
        target: Actor | None,
    ) -> Actor | None:
        best = None
        for act in actors:
            if not act.place or act is source or act is target:
                continue
            j = act.first
            # في مدينة X، بمحافظة X، في شمال X: a place noun between في and the name is skipped.
            k = j
            while k > 0 and j - k < 2 and self._cue("placenoun", toks[k - 1]) is not None:
                k -= 1
            before = toks[k - 1].norm if k > 0 else ""
            if k < j:
                after_in = before == "في" or self._attached_prep(toks[k]) == "ب"
            else:
                after_in = before == "في" or self._prep_on_actor(toks, act) == "ب"
            if after_in and (best is None or abs(j - i) < abs(best.first - i)):
                best = act
        return best

    def _times_in(self, article: Article, toks: list[Token], i: int, clause: list[int], near: int) -> bool:
        lo = toks[max(0, i - 2)].start
        hi = toks[min(len(toks) - 1, i + near)].end
        return any(lo <= t.start < hi and t.value for t in article.times)

    def _date(
        self, article: Article, toks: list[Token], i: int, clause: list[int], background: bool
    ) -> EventDate:
        s, e = toks[0].start, toks[-1].end
        trig = toks[i].start
        best = None
        for t in article.times:
            in_sentence = s <= t.start < e and t.value
            if in_sentence and (best is None or abs(t.start - trig) < abs(best.start - trig)):
                best = t
        if best is not None:
            return EventDate(
                value=best.value, text=best.text, source="background" if background else "sentence"
            )
        pub = (article.published or "")[:10] or None
        return EventDate(value=pub, text=None, source="publication")

    def _magnitude(
        self, article: Article, toks: list[Token], starts: list[int], s: int, e: int, i: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in article.quantities:
            if not (s <= q.start < e):
                continue
            j = bisect.bisect_left(starts, q.start)
            k = bisect.bisect_left(starts, q.end)
            label = None
            for idx in list(range(k, min(len(toks), k + 2))) + list(range(max(0, j - 3), j)):
                label = self._cue("casualty", toks[idx])
                if label:
                    break
            if label is None and q.unit:
                label = self.single.get("casualty", {}).get(normalize_form(q.unit))
            if label and label not in out:
                out[label] = int(q.value) if float(q.value).is_integer() else q.value
        return out

    def _reporter(
        self, toks: list[Token], infos: list[_WordInfo], actor_at: dict[int, Actor], text: str
    ) -> str | None:
        if self._rep_key != id(toks):  # once per sentence: the same attribution covers its events
            self._rep_key = id(toks)
            self._rep_value = self._find_reporter(toks, infos, actor_at, text)
        return self._rep_value

    def _find_reporter(
        self, toks: list[Token], infos: list[_WordInfo], actor_at: dict[int, Actor], text: str
    ) -> str | None:
        # Only words that can be or open an attribution cue are checked in full.
        for k in compress(range(len(toks)), [info.maybe_attribution for info in infos]):
            tok = toks[k]
            hit = self._multi_cue("attribution", toks, k)
            if hit is None and self._cue("attribution", tok) is None:
                continue
            width = hit[1] if hit else 1
            for j in range(k, min(len(toks), k + width + 5)):
                act = actor_at.get(j)
                if act is not None:
                    return text[act.start : act.end]
            end = min(len(toks) - 1, k + width + 3)
            return text[toks[min(k + width, end)].start : toks[end].end]
        return None

"""Load the entity lexicons into the lookup structures the recogniser uses.

Columns are found by name from each file's "# Columns: a, b (note), c" header line, so a lexicon
can gain a column without breaking this loader; names are matched through small synonym lists
(`_COLS`). A file whose header names none of the needed columns is a ConfigError, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import ConfigError
from marsad.extract.gazetteer import (
    LEXICON_DIR,
    Entry,
    TokenIndex,
    article_variants,
    multi,
    read_tsv,
)
from marsad.normalize import normalize_form

# Column synonyms, first match wins.
_COLS = {
    "id": ("id", "iso3", "iso", "alpha3", "code3", "key"),
    "name": ("name", "canonical", "ar", "arabic", "form", "title", "word", "particle", "head"),
    "variants": ("variants", "aliases", "alias", "forms", "spellings", "other"),
    "adjectives": ("adjectives", "nationality", "nationalities", "demonyms", "nisba", "adjective"),
    "country": ("country", "iso3", "iso", "alpha3"),
    "code": ("code", "cameo", "actor", "actor_code", "sector"),
    "type": ("type", "kind", "class", "entity_type"),
    "role": ("role", "english", "gloss", "en"),
    "sector": ("sector", "agent", "cameo_sector", "role_code", "code_role", "code"),
    "ambiguous": ("ambiguous", "common_word", "needs_context", "ambiguity", "is_word"),
    "capital": ("capital", "capitals"),
}


def _header_columns(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            m = re.match(r"#\s*columns?\s*:\s*(.*)", line, re.IGNORECASE)
            if m:
                spec = m.group(1)
                # Drop parenthesised notes, then split on commas, tabs or a written "\t".
                while "(" in spec and ")" in spec:
                    spec = re.sub(r"\([^()]*\)", "", spec)
                return [
                    re.split(r"[\s=:]", part.strip(), maxsplit=1)[0].lower()
                    for part in re.split(r"[,\t]|\\t", spec)
                    if part.strip()
                ]
    return []


def _rows(path: Path, *wanted: str) -> list[dict[str, str]]:
    cols = _header_columns(path)
    pos: dict[str, int] = {}
    for want in wanted:
        for syn in _COLS.get(want, (want,)):
            if syn in cols and cols.index(syn) not in pos.values():
                pos[want] = cols.index(syn)
                break
    if not cols:
        # No header: the documented default order of the wanted columns.
        pos = {w: k for k, w in enumerate(wanted)}
    if "name" in wanted and "name" not in pos and "id" not in pos:
        raise ConfigError(
            f"lexicon {path.name} has no recognisable name column in its '# Columns:' header "
            f"(found {cols}); expected one of {_COLS['name']}"
        )
    out = []
    for _, row in read_tsv(path):
        out.append({w: (row[k] if k < len(row) else "") for w, k in pos.items()})
    return out


@dataclass(slots=True)
class Lexicons:
    gazetteer: TokenIndex = field(default_factory=TokenIndex)
    nationalities: TokenIndex = field(default_factory=TokenIndex)
    titles: TokenIndex = field(default_factory=TokenIndex)
    title_words: set[str] = field(default_factory=set)
    gazetteer_words: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    ambiguous_names: set[str] = field(default_factory=set)
    particles: set[str] = field(default_factory=set)
    prefix_particles: set[str] = field(default_factory=set)
    compound_tails: set[str] = field(default_factory=lambda: {"الله", "الدين", "الرحمن"})
    compound_heads: set[str] = field(default_factory=set)
    stopwords: set[str] = field(default_factory=set)
    noun_stop: set[str] = field(default_factory=set)  # common nouns: end a person, not an org chain
    org_stop: set[str] = field(default_factory=set)
    cue_verbs: set[str] = field(default_factory=set)
    cue_nouns: set[str] = field(default_factory=set)
    closers: set[str] = field(default_factory=set)
    org_heads: set[str] = field(default_factory=set)
    gov_heads: set[str] = field(default_factory=set)
    org_adjectives: set[str] = field(default_factory=set)
    place_heads: dict[str, str] = field(default_factory=dict)
    place_prefixes: set[str] = field(default_factory=set)
    directions: set[str] = field(default_factory=set)
    known_words: set[str] = field(default_factory=set)
    surface_stop: set[str] = field(default_factory=set)
    triggers: dict[str, frozenset[str]] = field(default_factory=dict)
    # Matching-form words that are both a function word and a lexicon word (على/علي, أمام/إمام,
    # أن/آن): the written form (diacritics removed) decides; these are the lexicon's written forms.
    surface_forms: dict[str, frozenset[str]] = field(default_factory=dict)
    # Single-word gazetteer/given-name keys whose every written form lacks a hamza: a text word
    # that has one there (ترأس vs تراس) is another word.
    hamzaless: set[str] = field(default_factory=set)
    trim_heads: set[str] = field(default_factory=set)
    club_heads: dict[str, bool] = field(default_factory=dict)  # head -> head is part of the span
    directions_nouns: set[str] = field(default_factory=set)
    # Sports clubs live apart from the gazetteer: many of their names are common words or places
    # (الأهلي "national", الهلال "crescent", النصر "victory"), so the ones listed as `club_ctx`
    # are recognised only near a sports word, and a place's own reading is never shadowed.
    clubs: TokenIndex = field(default_factory=TokenIndex)
    club_ctx: set[str] = field(default_factory=set)  # entry ids that need a sports context
    sports_words: set[str] = field(default_factory=set)
    # Outlet heads (صحيفة، قناة): the outlet's name after them is the mention, the head is not.
    outlet_heads: set[str] = field(default_factory=set)
    # Titles that are also common family names (جميل السيد، حسونة الشيخ): they may close a name.
    surname_titles: set[str] = field(default_factory=set)
    # Number words never continue a name ("إيقاف اللاعب X لثلاث مباريات").
    number_words: set[str] = field(default_factory=set)
    # Org heads that are also verbal nouns (تنظيم "organising"): after a preposition they are the
    # verbal noun ("لتنظيم التجارة"), not an organisation.
    masdar_heads: set[str] = field(default_factory=set)
    compound_given: set[tuple[str, ...]] = field(default_factory=set)
    # First words of month and weekday names (رمضان، شعبان، تموز، الأحد): words that are times,
    # even where they are also given names, for the recogniser's features and the resolver's
    # "a month is not a person" check.
    time_words: set[str] = field(default_factory=set)
    # Words beside a month name that make it the month (occasion_words.tsv).
    occasion_after: set[str] = field(default_factory=set)
    occasion_before: set[str] = field(default_factory=set)


_HAMZA = frozenset("أإؤئآء")
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")


def strip_marks(word: str) -> str:
    """The written form without diacritics and tatweel, but with hamza and alef as written."""
    return _MARKS.sub("", word)


def _iso(value: str) -> str | None:
    value = value.strip().upper()
    return value if re.fullmatch(r"[A-Z]{3}", value) else None


def load_lexicons(directory: str | Path | None = None) -> Lexicons:
    d = Path(directory) if directory else LEXICON_DIR
    lex = Lexicons()
    nf = normalize_form
    gaz = lex.gazetteer
    capitals: list[tuple[str, str | None]] = []
    surfaces: dict[str, set[str]] = {}

    def note_surface(form: str) -> None:
        if " " not in form:
            surfaces.setdefault(nf(form), set()).add(strip_marks(form))

    def add_gaz(forms: list[str], entry: Entry, with_article: bool = False) -> None:
        for form in forms:
            for v in article_variants(form) if with_article else [form]:
                gaz.add(v, entry)
                note_surface(v)
                lex.gazetteer_words.add(nf(v).split()[0])

    # Known people first: their variants are the most specific.
    for r in _rows(d / "people.tsv", "name", "variants", "country", "code", "role"):
        e = Entry(
            f"people:{r['name']}",
            r["name"],
            "PER",
            "people",
            _iso(r.get("country", "")),
            r.get("code") or None,
            r.get("role") or None,
        )
        add_gaz([r["name"], *multi(r.get("variants", ""))], e)
    for r in _rows(d / "metonyms.tsv", "name", "variants", "country", "code", "type"):
        # Without a type column: a sector in the code ("RUS GOV") means an institution, a bare
        # country code a capital standing for its country (واشنطن -> USA).
        code = r.get("code") or ""
        typ = (r.get("type") or ("ORG" if " " in code.strip() else "GPE")).upper()
        e = Entry(
            f"metonyms:{r['name']}",
            r["name"],
            typ if typ in {"ORG", "GPE", "LOC"} else "ORG",
            "metonyms",
            _iso(r.get("country", "")),
            r.get("code") or None,
        )
        add_gaz([r["name"], *multi(r.get("variants", ""))], e)
    for r in _rows(d / "countries.tsv", "id", "name", "variants", "adjectives", "capital"):
        iso = _iso(r.get("id", ""))
        e = Entry(f"countries:{iso or r['name']}", r["name"], "GPE", "countries", iso, iso)
        add_gaz([r["name"], *multi(r.get("variants", ""))], e)
        norp = Entry(f"norp:{iso}", r["name"], "NORP", "countries", iso, iso)
        for adj in multi(r.get("adjectives", "")):
            lex.nationalities.add(adj, norp)
            if not adj.startswith("ال"):
                lex.nationalities.add(" ".join("ال" + w for w in adj.split()), norp)
        if r.get("capital"):
            capitals.append((r["capital"], iso))
    for r in _rows(d / "organizations.tsv", "id", "name", "variants", "type", "country", "code"):
        kind = (r.get("type") or "").lower()
        if kind in {"club", "club_ctx"}:
            e = Entry(f"clubs:{r['name']}", r["name"], "ORG", "clubs", _iso(r.get("country", "")), None)
            for form in [r["name"], *multi(r.get("variants", ""))]:
                lex.clubs.add(form, e)
            if kind == "club_ctx":
                lex.club_ctx.add(e.id)
            continue
        typ = (r.get("type") or "ORG").upper()
        e = Entry(
            f"organizations:{r.get('id') or r['name']}",
            r["name"],
            typ if typ in {"ORG", "GPE", "LOC"} else "ORG",
            "organizations",
            _iso(r.get("country", "")),
            r.get("code") or None,
        )
        add_gaz([r["name"], *multi(r.get("variants", ""))], e)
    for r in _rows(d / "places.tsv", "name", "variants", "type", "country"):
        typ = (r.get("type") or "LOC").upper()
        typ = "GPE" if typ in {"GPE", "CITY", "CAPITAL"} else "LOC"
        iso = _iso(r.get("country", ""))
        e = Entry(f"places:{r['name']}", r["name"], typ, "places", iso, iso if typ == "GPE" else None)
        add_gaz([r["name"], *multi(r.get("variants", ""))], e)
    # Capitals after places, so a city's own row (with its kind) wins; a capital missing from
    # places.tsv still becomes a place of its country.
    for capital, iso in capitals:
        add_gaz([capital], Entry(f"capitals:{capital}", capital, "GPE", "countries", iso, iso))
    gaz.finish()
    lex.nationalities.finish()
    lex.clubs.finish()

    for r in _rows(d / "titles.tsv", "name", "variants", "role", "sector", "type"):
        sector = (r.get("sector") or "").upper() or None
        # person_title: the name follows (after a nationality); role_head: a complement first
        # (رئيس بلدية طرابلس X). Entry.type carries the kind for the recogniser.
        kind = "ROLE_HEAD" if (r.get("type") or "").lower() == "role_head" else "TITLE"
        if (r.get("type") or "").lower() == "surname_title":
            lex.surname_titles.add(nf(r["name"]))
        e = Entry(f"titles:{r['name']}", r["name"], kind, "titles", None, sector, r.get("role") or r["name"])
        for form in [r["name"], *multi(r.get("variants", ""))]:
            lex.titles.add(form, e)
            lex.title_words.add(nf(form).split()[0])
            note_surface(form.split()[0])
    lex.titles.finish()
    for r in _rows(d / "given_names.tsv", "name"):
        lex.given_names.add(nf(r["name"]))
        note_surface(r["name"])
        if " " in r["name"]:
            # "عبد الله", "عبد العزيز": a compound given name is matched from its first word.
            lex.compound_given.add(tuple(nf(r["name"]).split()))
    # Given names that are also common words need evidence to start a name (name_ambiguous.tsv).
    for r in _rows(d / "name_ambiguous.tsv", "name"):
        lex.ambiguous_names.add(nf(r["name"]))
    for r in _rows(d / "name_particles.tsv", "name", "type"):
        lex.particles.add(nf(r["name"]))
        if r.get("type") == "prefix":
            lex.prefix_particles.add(nf(r["name"]))
    for r in _rows(d / "org_heads.tsv", "name", "type", "sector"):
        head = nf(r["name"])
        lex.org_heads.add(head)
        if (r.get("sector") or "").upper().startswith("GOV"):
            lex.gov_heads.add(head)
        if (r.get("type") or "").endswith("+masdar"):
            lex.masdar_heads.add(head)
    # marsad's own rule lists (this component's files).
    for r in _rows(d / "name_stopwords.tsv", "name", "type"):
        lex.stopwords.add(nf(r["name"]))
        if r.get("type") == "noun":
            lex.noun_stop.add(nf(r["name"]))
        lex.surface_stop.add(strip_marks(r["name"]))
    for r in _rows(d / "span_trim_heads.tsv", "name", "kind"):
        w = nf(r["name"])
        if r.get("kind") == "club":
            lex.club_heads[w] = False
        elif r.get("kind") == "club_named":
            lex.club_heads[w] = True
        elif r.get("kind") == "outlet":
            lex.outlet_heads.add(w)
            lex.trim_heads.add(w)
        elif r.get("kind") == "sport":
            lex.sports_words.add(w)
        else:
            lex.trim_heads.add(w)
            if r.get("kind") == "direction":
                lex.directions_nouns.add(w)
    for _, row in read_tsv(d / "number_words.tsv"):
        if row and row[0]:
            lex.number_words.add(nf(row[0]))
    for r in _rows(d / "person_cues.tsv", "name", "kind"):
        (lex.cue_verbs if r.get("kind") == "verb" else lex.cue_nouns).add(nf(r["name"]))
    for name in ("months.tsv", "hijri_months.tsv", "weekdays.tsv"):
        for _, row in read_tsv(d / name):
            if row and row[0]:
                lex.time_words.add(nf(row[0]).split()[0])
    for r in _rows(d / "occasion_words.tsv", "name", "position"):
        (lex.occasion_before if r.get("position") == "before" else lex.occasion_after).add(nf(r["name"]))
    for r in _rows(d / "org_adjectives.tsv", "name"):
        lex.org_adjectives.add(nf(r["name"]))
    for r in _rows(d / "place_heads.tsv", "name", "kind", "etype"):
        w = nf(r["name"])
        if r.get("kind") == "prefix":
            lex.place_prefixes.add(w)
        elif " " not in w:
            lex.place_heads[w] = r.get("etype") or "LOC"
    lex.compound_heads = set(lex.place_prefixes) | lex.particles
    # Words that close a name after a reporting verb: "قال X إن", "أشار X إلى", "صرح X بأن".
    lex.closers = {
        nf(w) for w in ("إن", "أن", "ان", "انه", "إنه", "أنه", "في", "خلال", "لـ", "إلى", "بأن", "على")
    }
    lex.directions = {
        nf(w)
        for w in (
            "الشمالي",
            "الشمالية",
            "الجنوبي",
            "الجنوبية",
            "الشرقي",
            "الشرقية",
            "الغربي",
            "الغربية",
            "الوسطى",
            "الأوسط",
        )
    }
    # A lexicon word whose matching form equals a function word's (علي / على, إمام / أمام,
    # آن / أن) is decided by the written form: keep the lexicon's written forms for those.
    lex.surface_forms = {
        w: frozenset(surfaces[w]) for w in lex.stopwords if w in surfaces and surfaces[w] - lex.surface_stop
    }
    lex.hamzaless = {w for w, forms in surfaces.items() if not any(ch in _HAMZA for f in forms for ch in f)}
    trig: dict[str, set[str]] = {}
    for fam, keys in (
        ("gaz", gaz.index),
        ("title", lex.titles.index),
        ("org", lex.org_heads),
        ("place", lex.place_heads),
        ("given", lex.given_names),
        ("cue", lex.cue_verbs | lex.cue_nouns),
        ("norp", lex.nationalities.index),
        ("clubs", lex.clubs.index),
        ("sport", lex.sports_words),
        ("given", {words[0] for words in lex.compound_given}),
    ):
        for k in keys:
            trig.setdefault(k, set()).add(fam)
    lex.triggers = {k: frozenset(v) for k, v in trig.items()}
    lex.known_words = (
        lex.stopwords
        | lex.cue_verbs
        | lex.cue_nouns
        | lex.title_words
        | lex.org_heads
        | set(lex.place_heads)
        | lex.given_names
        | lex.particles
    )
    return lex

"""Entity lexicons loaded once into token-indexed dictionaries.

Every lexicon file in `lexicons/` is a TSV with '#' header comments; multi-values are separated by
'|'. Entries are put in the matching form (`normalize_form`) at load and indexed by their first
token, each index value sorted longest name first, so that the recogniser matches a whole text in
one pass over its tokens (a dict lookup per token, then a short list of token-tuple comparisons).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import ConfigError
from marsad.normalize import normalize_form

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry: every surface variant of it shares `id` and so one linking key."""

    id: str  # stable, file-qualified: "countries:RUS", "people:فلاديمير بوتين"
    name: str  # canonical display name
    type: str  # PER | ORG | LOC | GPE | NORP
    source: str  # the lexicon file stem, for the mention's reason
    country: str | None = None
    code: str | None = None
    role: str | None = None


@dataclass(slots=True)
class TokenIndex:
    """Normalised first token -> [(rest-of-name token tuple, entry)], longest first."""

    index: dict[str, list[tuple[tuple[str, ...], Entry]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, form: str, entry: Entry) -> None:
        words = tuple(normalize_form(form).split())
        if not words:
            return
        bucket = self.index[words[0]]
        if any(rest == words[1:] for rest, _ in bucket):
            return  # first listing wins: files are loaded most-specific first
        bucket.append((words[1:], entry))

    def finish(self) -> None:
        for bucket in self.index.values():
            bucket.sort(key=lambda item: len(item[0]), reverse=True)
        self.index = dict(self.index)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def get(self, word: str) -> list[tuple[tuple[str, ...], Entry]] | None:
        return self.index.get(word)


def read_tsv(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of a lexicon file as stripped columns, with their line numbers; comments skipped."""
    if not path.exists():
        raise ConfigError(
            f"entity lexicon {path.name} is missing from {path.parent}; reinstall marsad or restore the file"
        )
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield lineno, [c.strip() for c in line.split("\t")]


def col(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""


def multi(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip() and v.strip() != "-"]


def words(path: Path) -> dict[str, list[str]]:
    """First column (normalised) -> the remaining columns, for simple word lists."""
    return {normalize_form(row[0]): row[1:] for _, row in read_tsv(path) if row and row[0]}


def article_variants(form: str) -> list[str]:
    """A single-word name with and without the article, as newswire writes both (العراق/عراق is
    not such a case, so only callers that know the name varies use this)."""
    if " " in form:
        return [form]
    if form.startswith("ال") and len(form) > 4:
        return [form, form[2:]]
    return [form, "ال" + form]

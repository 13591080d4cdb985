"""The event lexicon's per-word lookup: its multi-pattern pre-check never hides what a word holds."""

from __future__ import annotations

import pytest

from marsad.events.lexicon import EventLexicon


@pytest.fixture(scope="module")
def lex() -> EventLexicon:
    return EventLexicon.load()


def _forms(word: str) -> list[str]:
    """A listed word as text writes it: with proclitics, the article, pronoun and case endings."""
    bare = word[2:] if word.startswith("ال") else word
    out = [word, bare]
    out += [p + bare for p in ("و", "ف", "ب", "ل", "س", "وس", "وبال", "لل", "بال", "وال")]
    out += [bare + s for s in ("ه", "ها", "هم", "هما", "نا", "كم", "ان", "ين", "ا")]
    out += [p + bare + s for p in ("و", "ل", "فس") for s in ("ها", "هم", "ين")]
    return out


def test_lexicon_word_info_precheck_keeps_every_listed_word_form(lex: EventLexicon) -> None:
    listed = sorted(
        {*lex.index, *lex.roles, *lex.single.get("modal", {}), *lex.single.get("attribution", {})}
    )
    listed += sorted({*lex.multi_first.get("modal", {}), *lex.multi_first.get("attribution", {})})
    words = {form for word in listed for form in _forms(word)}
    found = 0
    for word in sorted(words):
        full = lex._looked_up_info(word)
        assert lex._word_info(word) == full, word
        found += bool(full.cands or full.role or full.maybe_hypothetical or full.maybe_attribution)
    assert found > len(listed) // 2  # the forms do reach the lexicons, so the check is not vacuous


@pytest.mark.parametrize("word", ["الطقس", "مهرجان", "كتاب", "123"])
def test_lexicon_word_info_of_a_word_holding_no_listed_word_is_empty(lex: EventLexicon, word: str) -> None:
    assert lex._looked_up_info(word) == lex._word_info(word)

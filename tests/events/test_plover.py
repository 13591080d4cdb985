from __future__ import annotations

import pytest

from marsad.errors import ConfigError
from marsad.events.coder import LEXICONS, EventCoder, load_triggers
from marsad.events.plover import CATEGORIES, MODES, check_label


def test_plover_has_the_sixteen_categories():
    assert len(CATEGORIES) == 16
    assert set(MODES) <= set(CATEGORIES)


@pytest.mark.parametrize(
    ("category", "mode", "ok"),
    [
        ("ASSAULT", "aerial", True),
        ("AID", "humanitarian", True),
        ("ASSAULT", "arrest", False),
        ("ATTACK", None, False),
        ("AGREE", None, True),
    ],
)
def test_plover_check_label(category, mode, ok):
    assert (check_label(category, mode) is None) is ok


def test_triggers_lexicon_is_large_and_covers_every_category():
    rows = load_triggers(LEXICONS / "triggers.tsv")
    assert len(rows) >= 250
    assert {r.category for r in rows} == set(CATEGORIES)


def test_triggers_bad_row_fails_with_file_and_line(tmp_path):
    bad = tmp_path / "extra.tsv"
    bad.write_text("# header\nضرب\tATTACK\t-\tpast\tobj\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"extra\.tsv:2"):
        load_triggers(bad)


def test_coder_reads_extra_trigger_file(tmp_path):
    extra = tmp_path / "extra.tsv"
    extra.write_text("# user triggers\nجلد|جلدت\tASSAULT\tprimitive\tpast\tobj\n", encoding="utf-8")
    coder = EventCoder()
    coder.initialize({"triggers": str(extra)})
    assert any(r.category == "ASSAULT" for r in coder.lexicon.index["جلدت"])


def test_user_trigger_file_extends_the_shipped_lexicon(tmp_path):
    # A user adds a verb the shipped lexicon lacks, through configuration only.
    from marsad.config import load_config
    from marsad.model import Article, Provenance
    from marsad.pipeline import Pipeline

    sentence = "استنكفت الحكومة المغربية عن دعم الاتفاق الأوروبي الجديد."
    extra = tmp_path / "my_triggers.tsv"
    extra.write_text("# my own triggers\nاستنكف|استنكفت\tREJECT\t-\tpast\tعن\n", encoding="utf-8")
    stages = ["normalize", "segment", "tokenize", "entities", "times", "quantities", "events"]

    def events(triggers: str) -> list[str]:
        config = load_config(overrides={"events.triggers": triggers}, environ={})
        art = Article(id="t", text=sentence, provenance=Provenance(source="t", format="txt"))
        return [ev.type for ev in Pipeline(stages, config)(art).events]

    assert "REJECT" not in events("")
    assert "REJECT" in events(str(extra))

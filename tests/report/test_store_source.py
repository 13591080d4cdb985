"""The site written from the store's tables is the site written from the report dict."""

from __future__ import annotations

from pathlib import Path

import pytest

import marsad
from marsad.config import load_config
from marsad.report import site
from marsad.report.knowledge import collect_report, store_report
from marsad.report.site import write_site
from marsad.report.source import DictSource
from marsad.report.store_source import StoreSource
from marsad.store import Selection, SQLiteStore
from marsad.store.knowledge import PartReader

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("selection", [Selection(), Selection(since="2024-11-14")], ids=["all", "since"])
def test_store_source_writes_the_same_site_as_the_report(examples_dir, tmp_path, selection, monkeypatch):
    # Streams fetch 2 rows at a time, so every stream is still open while the site looks up the
    # records of the page it writes (on real stores they hold thousands of rows).
    monkeypatch.setattr(PartReader, "page", 2)
    monkeypatch.setattr(site, "STORIES_PER_PAGE", 3)
    db = tmp_path / "kb.db"
    marsad.analyze(examples_dir / "articles", db=db, config=load_config(environ={}))
    with SQLiteStore(db) as store:
        report = collect_report(store_report(store, selection, generated_at="T"))
        write_site(DictSource(report), tmp_path / "from-dict")
        with store.selected(selection) as kb:
            write_site(StoreSource(kb, generated_at="T"), tmp_path / "from-store")
    from_dict, from_store = _files(tmp_path / "from-dict"), _files(tmp_path / "from-store")
    assert len(from_dict) > 20
    assert from_store.keys() == from_dict.keys()
    assert [name for name in from_dict if from_dict[name] != from_store[name]] == []

"""build_article: bad inputs are quarantined or filtered with an actionable reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import FilteredError, QuarantineError
from marsad.ingest import RawInput, build_article, iter_inputs
from marsad.model import document_id

# Project-written Arabic, long enough to pass min_letters.
ARABIC = (
    "أعلنت وزارة الزراعة اليوم عن خطة جديدة لدعم صغار المزارعين في المحافظات الجنوبية خلال الموسم المقبل."
)


def _one(path: Path, config: dict) -> RawInput:
    inputs = list(iter_inputs([str(path)], config))
    assert len(inputs) == 1
    return inputs[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file (0 bytes)"),
        (b"  \n\t \r\n ", "no text: the input holds only whitespace"),
        (b"abc\x00\x01\x02def", "binary file, not text (NUL bytes at offset 3)"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20, "binary file, not text"),
        (
            b"hello world " * 2 + b"\xff\xfe\xfd" + b"\x81\x8d" * 3,
            "not valid UTF-8 (invalid byte 0xff at offset 24)",
        ),
    ],
)
def test_build_quarantines_bad_bytes(tmp_path: Path, config: dict, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(QuarantineError) as err:
        build_article(_one(path, config), config)
    assert message in str(err.value)


def test_build_windows_1256_arabic_decodes(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    article = build_article(_one(path, config), config)
    assert article.text == ARABIC
    assert article.meta["encoding"] == "windows-1256"


def test_build_utf16_with_bom_decodes(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(ARABIC.encode("utf-16"))
    assert build_article(_one(path, config), config).text == ARABIC


def test_build_utf8_bom_is_stripped(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARABIC.encode())
    assert build_article(_one(path, config), config).text == ARABIC


def test_build_quarantines_50_mb_file(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: seek past the end, write one byte
        fh.seek(50_000_000 - 1)
        fh.write(b"x")
    with pytest.raises(QuarantineError) as err:
        build_article(_one(path, config), config)
    assert str(err.value) == (
        "file is 50.0 MB, over the 5.0 MB limit for one article; raise ingest.max_document_bytes to accept it"
    )


def test_build_quarantines_html_without_text(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><head><title>x</title></head><body><div><script>var a=1;</script></div", "utf-8")
    with pytest.raises(QuarantineError, match="HTML page has no extractable article text"):
        build_article(_one(path, config), config)


def test_build_malformed_html_with_text_is_kept(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "sloppy.html"
    body = "".join(f"<p>{ARABIC} {i}" for i in range(4))  # unclosed <p>, no </body>
    path.write_text(f"<html><body><article>{body}</article>", "utf-8")
    article = build_article(_one(path, config), config)
    assert "صغار المزارعين" in article.text


def test_build_filters_english(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "en.txt"
    path.write_text("The ministry announced a new plan to support small farmers next season. " * 3, "utf-8")
    with pytest.raises(FilteredError) as err:
        build_article(_one(path, config), config)
    assert err.value.language == "en"
    assert str(err.value) == "language is 'en', not one of ['ar']"


def test_build_filters_too_few_letters(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "short.txt"
    path.write_text("عاجل 2024", "utf-8")
    with pytest.raises(FilteredError, match="too short"):
        build_article(_one(path, config), config)


def test_build_persian_is_not_arabic(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "fa.txt"
    path.write_text(
        "وزارت کشاورزی امروز برنامه‌ای تازه برای پشتیبانی از کشاورزان کوچک در استان‌های جنوبی اعلام کرد.",
        "utf-8",
    )
    with pytest.raises(FilteredError) as err:
        build_article(_one(path, config), config)
    assert err.value.language != "ar"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.xyz", b"x", "unsupported file type '.xyz'; supported:"),
        ("missing.txt", None, "path does not exist"),
    ],
)
def test_build_raises_container_error(
    tmp_path: Path, config: dict, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    raw = _one(path, config)
    assert raw.error is not None
    with pytest.raises(QuarantineError, match=message):
        build_article(raw, config)


def test_build_sets_ids_and_provenance(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARABIC, "utf-8")
    raw = _one(path, config)
    article = build_article(raw, config)
    assert article.id == document_id(article.text)
    assert article.provenance.source == str(path)
    assert article.provenance.format == "txt"
    assert article.language == "ar"
    assert len(raw.key) == 32
    assert raw.key == RawInput(str(path), "txt", None, ARABIC.encode()).key


def test_build_same_story_in_txt_and_jsonl_has_one_id(tmp_path: Path, config: dict) -> None:
    # A .txt file carries its headline as its first line, a JSONL record in a field of its own:
    # the document id must not depend on the container.
    title = "الحكومة الأردنية تقر موازنة العام المقبل"
    body = "أقر مجلس الوزراء الأردني مشروع قانون الموازنة العامة للعام المقبل بعد نقاش استمر ساعات.\n\nوقال وزير المالية إن العجز سينخفض."
    (tmp_path / "a.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    import json

    (tmp_path / "b.jsonl").write_text(
        json.dumps({"title": title, "text": body}, ensure_ascii=False), encoding="utf-8"
    )
    txt, rec = (build_article(raw, config) for raw in iter_inputs([str(tmp_path)], config))
    assert txt.title == title and txt.text.startswith(title)  # the headline stays readable in the text
    assert txt.id == rec.id


@pytest.mark.parametrize(
    ("furniture", "outlet"),
    [
        ("الموقع الرسمي | شبكة الأفق الإخبارية", "شبكة الأفق الإخبارية"),
        ("صحيفة المساء | Facebook", "صحيفة المساء"),
    ],
)
def test_build_outlet_falls_back_to_site_furniture(
    tmp_path: Path, config: dict, furniture: str, outlet: str
) -> None:
    body = "أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد في مدينة الزرقاء بطاقة مئتي سرير لخدمة سكان المنطقة."
    path = tmp_path / "page.txt"
    path.write_text(f"{furniture}\n\n{body}\n", encoding="utf-8")
    article = build_article(_one(path, config), config)
    assert article.outlet == outlet
    assert furniture not in article.text

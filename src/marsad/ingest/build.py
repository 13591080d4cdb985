"""RawInput -> Article: check the bytes, decode, extract HTML, clean, read the byline, check language.

Raises `QuarantineError` for broken input and `FilteredError` for input that is fine but out of
scope (not Arabic, too short). Metadata precedence: what the container states (JSONL fields, feed
items) wins, then the page's own metadata, then what the text itself says (byline, top headline);
the WARC-Date is the crawl time, so a date in the page's metadata wins over it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from marsad.errors import FilteredError, InputError, QuarantineError
from marsad.ingest import clean
from marsad.ingest.byline import find_byline
from marsad.ingest.decode import check_size, decode, human_size
from marsad.ingest.html import extract_html
from marsad.ingest.inputs import RawInput
from marsad.ingest.language import arabic_letter_count, identify
from marsad.ingest.sanitize import clean_metadata, printable
from marsad.model import Article, Provenance, Removal, document_id


def _first(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# Parts of a banner or footer line that name the platform or the page, not the outlet.
_GENERIC_FURNITURE = {
    "الموقع الرسمي",
    "الصفحة الرئيسية",
    "الرئيسية",
    "فيسبوك",
    "تويتر",
    "يوتيوب",
    "انستغرام",
    "facebook",
    "twitter",
    "x",
    "youtube",
    "instagram",
    "telegram",
    "tiktok",
    "home",
}


def _outlet_from_furniture(removed: list[Removal]) -> str | None:
    """The site name a removed banner or social footer carries ("X | Facebook" -> X).

    Scraped pages often state their outlet only in furniture; it is the last resort for `outlet`.
    """
    for removal in removed:
        if not removal.reason.startswith(("site_banner", "social_footer")) or "|" not in removal.text:
            continue
        parts = [p.strip(" •-–") for p in removal.text.split("|")]
        names = [p for p in parts if p and p.lower() not in _GENERIC_FURNITURE and len(p.split()) <= 6]
        if len(names) == 1:
            return names[0]
    return None


def _body(text: str, title: str | None) -> str:
    """The text without a leading headline equal to the title, for the document id.

    A .txt file carries its headline as its first line while a feed or JSONL record carries it in
    a separate field; the id must not depend on the container, or exact copies would pass as new
    documents. The headline stays in `text`, where extractors read it.
    """
    if title:
        first, _, rest = text.partition("\n")
        if " ".join(first.split()) == " ".join(title.split()) and rest.strip():
            return rest
    return text


def build_article(raw: RawInput, config: dict[str, Any]) -> Article:
    if raw.error is not None:
        raise raw.error
    try:
        return _build(raw, config)
    except QuarantineError as err:
        raise QuarantineError(printable(str(err))) from None
    except InputError:
        raise
    except Exception as err:  # hostile bytes can break a parser anywhere: the input is quarantined
        raise QuarantineError(
            printable(f"could not be read as an article: {type(err).__name__}: {err}")
        ) from err


def _build(raw: RawInput, config: dict[str, Any]) -> Article:
    ingest = config.get("ingest", {})
    fields = raw.fields
    what = "record" if raw.record is not None else "file"
    limit = int(ingest.get("max_document_bytes", 5_000_000))
    size = int(fields.get("size", len(raw.data)))
    if size > limit:
        raise QuarantineError(
            f"{what} is {human_size(size)}, over the {human_size(limit)} limit for one article; "
            "raise ingest.max_document_bytes to accept it"
        )
    check_size(raw.data, limit, what)
    text, encoding = decode(raw.data)
    if not text.strip():
        raise QuarantineError("no text: the input holds only whitespace")

    is_html = raw.format == "html" or bool(fields.get("is_html"))
    removed: list[Removal] = []
    page: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    if encoding != "utf-8":
        meta["encoding"] = encoding
    if is_html:
        extracted = extract_html(text)
        text = extracted.text
        removed.extend(extracted.removed)
        page = {
            "title": extracted.title,
            "author": extracted.author,
            "outlet": extracted.outlet,
            "published": extracted.published,
            "url": extracted.url,
        }
        meta.update(extracted.meta)

    given_title = _first(fields.get("title"), page.get("title"))
    lines = clean.split_lines(text, given_title)
    byline = find_byline(lines)
    title, title_index = clean.find_title(lines, given_title, byline.line_index)
    clean.drop_caption(lines, title_index, byline.line_index)
    text, punct_removed = clean.repair_punctuation(lines.text())
    removed.extend(lines.removed)
    removed.extend(byline.removed)
    removed.extend(punct_removed)

    if not text.strip():
        raise FilteredError("no article text left after removing page furniture (boilerplate only)")
    language, score, method = identify(text)
    allowed = list(ingest.get("languages", ["ar"]))
    if language not in allowed:
        raise FilteredError(f"language is {language!r}, not one of {allowed}", language=language)
    min_letters = int(ingest.get("min_letters", 20))
    letters = arabic_letter_count(text, enough=min_letters)
    if letters < min_letters:
        raise FilteredError(
            f"too short to analyse: {letters} Arabic letters after cleaning, fewer than "
            f"ingest.min_letters = {min_letters}",
            language=language,
        )
    meta["language_method"] = method
    if byline.place:
        meta["dateline_place"] = byline.place
    if byline.outlet:
        meta["byline_outlet"] = byline.outlet

    published = _first(fields.get("published"), page.get("published"))
    if raw.format == "warc":
        published = _first(page.get("published"), fields.get("published"))
    url = clean_metadata(_first(fields.get("url"), page.get("url")), balance=False)
    # Metadata is shown beside other text and stored as columns: no control characters, and
    # bidirectional controls balanced so one field cannot reorder the line it is shown in.
    meta = {k: clean_metadata(v) if isinstance(v, str) else v for k, v in meta.items()}
    meta = {k: v for k, v in meta.items() if v is not None}
    return Article(
        id=document_id(_body(text, title)),
        text=text,
        provenance=Provenance(
            source=raw.source,
            format=raw.format,
            record=raw.record,
            url=url,
            input_sha256=hashlib.sha256(raw.data).hexdigest(),
        ),
        external_id=clean_metadata(_first(fields.get("id")), balance=False),
        title=clean_metadata(title),
        outlet=clean_metadata(
            _first(fields.get("outlet"), page.get("outlet"), byline.outlet, _outlet_from_furniture(removed))
        ),
        author=clean_metadata(_first(fields.get("author"), page.get("author"), byline.author)),
        published=clean_metadata(published),
        language=language,
        language_score=score,
        removed=removed,
        meta=meta,
    )

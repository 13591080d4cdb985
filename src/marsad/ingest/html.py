"""HTML pages: main text and metadata with trafilatura, plus a record of the furniture it dropped.

The page is parsed once with lxml. Before trafilatura cleans the tree (it edits it in place), the
blocks that are page furniture by their tag or class (nav, header, footer, aside, figcaption,
forms, share bars, related-links lists ...) are listed; after extraction, each listed block whose
text is not in the main text becomes a `Removal` with the reason it was recognised by, so a user
can see what was cut.

The publication date is read only from the page's own metadata (meta tags, <time datetime>,
JSON-LD datePublished), never guessed from URLs or body text: htmldate's fallbacks can return a
date that appears anywhere on the page, and a wrong date is worse than none for a timeline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from marsad.errors import QuarantineError
from marsad.model import Removal

COMPONENT = "ingest.html"

# Tags that are furniture wherever they occur, and the reason shown.
_TAG_REASONS = {
    "nav": "html navigation (<nav>)",
    "header": "html page header (<header>)",
    "footer": "html footer (<footer>)",
    "aside": "html sidebar (<aside>)",
    "figcaption": "image caption (<figcaption>)",
    "form": "html form (<form>, e.g. a newsletter box)",
}
# class/id words that mark furniture, checked in order; the first match names the reason.
_CLASS_REASONS = (
    ("share", "share widget (class={})"),
    ("social", "share widget (class={})"),
    ("related", "related links (class={})"),
    ("read-also", "related links (class={})"),
    ("most-read", "related links (class={})"),
    ("newsletter", "newsletter box (class={})"),
    ("breadcrumb", "breadcrumbs (class={})"),
    ("menu", "html navigation (class={})"),
    ("tags", "tag list (class={})"),
    ("banner", "site banner (class={})"),
    ("breaking", "breaking-news ticker (class={})"),
    ("copyright", "copyright line (class={})"),
    ("comments", "comments (class={})"),
    ("ad-slot", "advertisement (class={})"),
    ("advert", "advertisement (class={})"),
)
_CLASS_RE = re.compile("|".join(re.escape(word) for word, _ in _CLASS_REASONS), re.IGNORECASE)
_FURNITURE_XPATH = etree.XPath(
    "//nav | //header | //footer | //aside | //figcaption | //form | //*[@class or @id]"
)
_SPACE_RE = re.compile(r"\s+")
_MAX_REMOVAL_CHARS = 500

# Date metadata, most specific first. Values are kept as the page states them (ISO 8601).
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
_ISO_DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(slots=True)
class HtmlResult:
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)


def _furniture(tree: Any) -> list[tuple[str, str]]:
    """(text, reason) for each outermost furniture block, in document order."""
    found: list[tuple[str, str]] = []
    taken: set[Any] = set()
    for el in _FURNITURE_XPATH(tree):
        if not isinstance(el.tag, str):
            continue
        reason = _TAG_REASONS.get(el.tag)
        if reason is None:
            attrs = f"{el.get('class', '')} {el.get('id', '')}"
            match = _CLASS_RE.search(attrs)
            if not match:
                continue
            word = match.group(0).lower()
            template = next(t for w, t in _CLASS_REASONS if w == word)
            reason = template.format(el.get("class") or el.get("id"))
        if any(anc in taken for anc in el.iterancestors()):
            continue  # its text is already covered by the enclosing block
        taken.add(el)
        text = _SPACE_RE.sub(" ", el.text_content()).strip()
        if text:
            found.append((text, reason))
    return found


def _metas(tree: Any) -> dict[str, str]:
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = el.get("content")
        if key and content and content.strip() and key not in metas:
            metas[key] = content.strip()
    return metas


def _meta_date(tree: Any, metas: dict[str, str]) -> str | None:
    for key in _DATE_META:
        value = metas.get(key)
        if value and _ISO_DATE_RE.match(value):
            return value
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json" and script.text and "datePublished" in script.text:
            try:
                data = json.loads(script.text)
            except json.JSONDecodeError:
                continue  # a broken JSON-LD block is common; other date sources remain
            for item in data if isinstance(data, list) else [data]:
                value = item.get("datePublished") if isinstance(item, dict) else None
                if isinstance(value, str) and _ISO_DATE_RE.match(value):
                    return value
    for el in tree.iter("time"):
        value = el.get("datetime")
        if value and _ISO_DATE_RE.match(value.strip()):
            return value.strip()
    return None


def _title(tree: Any, metas: dict[str, str], sitename: str | None) -> str | None:
    title = metas.get("og:title") or metas.get("twitter:title")
    if not title:
        h1 = next(tree.iter("h1"), None)
        title = _SPACE_RE.sub(" ", h1.text_content()).strip() if h1 is not None else ""
    if not title:
        el = next(tree.iter("title"), None)
        title = _SPACE_RE.sub(" ", el.text_content()).strip() if el is not None else ""
        # "<headline> | <site>": drop the site part.
        for sep in (" | ", " - ", " – "):
            if sitename and title.endswith(sep + sitename):
                title = title[: -len(sep + sitename)]
    return title or None


def _canonical_url(tree: Any) -> str | None:
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            return str(el.get("href")).strip()
    for el in tree.iter("meta"):
        if (el.get("property") or "").lower() == "og:url" and el.get("content"):
            return str(el.get("content")).strip()
    return None


def extract_html(html: str) -> HtmlResult:
    """Main text and metadata of one page; QuarantineError if no article text can be found."""
    from trafilatura import bare_extraction  # imported here: it takes ~0.3 s, and only HTML needs it

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as err:
        raise QuarantineError(f"HTML page cannot be parsed: {err}") from None
    furniture = _furniture(tree)
    metas = _metas(tree)
    published = _meta_date(tree, metas)
    url = _canonical_url(tree)
    outlet = metas.get("og:site_name") or metas.get("application-name")
    title = _title(tree, metas, outlet)
    author = metas.get("author") or metas.get("article:author") or metas.get("dc.creator")
    if author and author.startswith("http"):
        author = None  # article:author is often a profile URL, not a name
    # Metadata is read from the meta tags above (cheaper than trafilatura's and never guessed);
    # fast=True skips trafilatura's second-chance extractors (readability, justext): on news
    # templates the main extractor already finds the body, and each costs milliseconds per page.
    doc = bare_extraction(
        tree,
        fast=True,
        favor_precision=True,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise QuarantineError("HTML page has no extractable article text")
    folded_text = _SPACE_RE.sub(" ", text)
    # A "furniture" block that holds article paragraphs is a wrapper (class="post share-enabled"),
    # not furniture: it is not reported, or the whole article would appear as removed.
    heads = [line[:40] for line in text.splitlines() if len(line) >= 60]
    result = HtmlResult(
        text=text,
        title=title,
        author=author,
        outlet=outlet,
        published=published,
        url=url,
    )
    for key, meta_key in (
        ("description", "og:description"),
        ("description", "description"),
        ("section", "article:section"),
        ("keywords", "keywords"),
    ):
        if meta_key in metas and key not in result.meta:
            result.meta[key] = metas[meta_key]
    for block, reason in furniture:
        if block not in folded_text and not any(head in block for head in heads):
            shown = block if len(block) <= _MAX_REMOVAL_CHARS else block[:_MAX_REMOVAL_CHARS] + "…"
            result.removed.append(Removal(shown, reason, COMPONENT))
    return result

"""The HTML report as a site of bounded pages, written beside report.json.

`write_site(source, out_dir)` reads records from a `ReportSource` (report/source.py) and writes,
one page at a time:

    index.html, stories-2.html, ...     stories ranked by size and recency, STORIES_PER_PAGE a page,
                                        with the run's counts and a filter over the page's rows
    search.html                         every story's outline as a JSON data block, filtered by script
    story/<id>.html, story/<id>-2.html  a story: summary, timeline, contradictions, events, copies,
                                        entities, then its documents highlighted; a large story's
                                        documents continue on further pages (PAGE_BUDGET)
    entity/<id>.html, ...               an entity's names and its mentions by story and document
    entities.html, lineage.html, duplicates.html, inputs.html (each paged)

Every page is built by the pieces of report/html.py (escaping, highlighting, labels, one CSS and
script allowed by hash, nothing fetched), links are relative so the site opens from disk, and every
list a page shows is bounded, so no page grows with the corpus (about 2 MB at most).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from marsad.report.html import (
    PageIndex,
    articles_section,
    bdi,
    contradictions_section,
    entities_section,
    esc,
    events_section,
    label,
    lineage_section,
    ltr,
    not_stored_section,
    outlet_table,
    page_shell,
    same_text_section,
    stories_section,
)
from marsad.report.source import ReportSource, outlets_of

STORIES_PER_PAGE = 100
ENTITIES_PER_PAGE = 500
MENTION_DOCS_PER_PAGE = 400  # documents listed on one page of an entity
PAGE_ALIASES = 400  # surface forms listed at the top of an entity's page
COPIES_PER_PAGE = 150  # lineage records, with their shared passages
ROWS_PER_PAGE = 1000  # plain rows (duplicates, inputs not stored)
OUTLET_PAIRS = 300  # rows of the outlet-to-outlet copy table
# A story page's own lists are cut to their most significant entries; the counts say how many.
STORY_EVENTS = 150
STORY_COPIES = 60
STORY_LINKS = 1000  # documents linked from the story card; every one is on the story's pages
STORY_CONTRADICTIONS = 60
STORY_ENTITIES = 150
STORY_TIMELINE = 400
# Estimated bytes of highlighted documents on one story page (see `_estimate`), so a page of
# documents stays well under 2 MB.
PAGE_BUDGET = 1_000_000
SINGLE_PAGE = 1_500_000  # bytes of a story page with its head and all its documents, at most
SEARCH_BUDGET = 1_800_000  # bytes of the all-stories outline in search.html
PAGED_LISTS = ("stories", "entities", "lineage", "duplicates", "inputs")  # top-level lists, paged
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def file_id(value: Any) -> str:
    """A file name for a report id: the id itself when it is plain, else a hash of it (ids are
    untrusted strings and must not reach the file system or a URL as given)."""
    text = str(value)
    if _SAFE_ID.fullmatch(text) and not text.endswith("."):
        return text
    return "h-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def paged(name: str, page: int) -> str:
    """File name of page `page` (from 1) of a paged list called `name`; the story list's first
    page is the site's index.html."""
    if page == 1:
        return "index.html" if name == "stories" else f"{name}.html"
    return f"{name}-{page}.html"


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


@dataclass
class SiteSummary:
    """What `write_site` wrote: page count, total bytes, and the largest page."""

    out_dir: Path
    pages: int = 0
    total_bytes: int = 0
    largest: tuple[int, str] = (0, "")
    sizes: dict[str, int] = field(default_factory=dict)  # by kind of page: the largest of each
    search: dict[str, int] = field(default_factory=dict)  # stories in search.html, left out, bytes

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"

    def add(self, kind: str, relative: str, size: int) -> None:
        self.pages += 1
        self.total_bytes += size
        self.largest = max(self.largest, (size, relative))
        self.sizes[kind] = max(self.sizes.get(kind, 0), size)


class _Writer:
    """Writes pages atomically (temp file + rename) and keeps the summary."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir
        self.summary = SiteSummary(out_dir)
        self.written: set[str] = set()  # relative names, so pages of an earlier site can be pruned
        self.folders: set[Path] = set()

    def write(self, kind: str, relative: str, title: str, body: str) -> None:
        data = page_shell(title, body).encode("utf-8")
        target = self.out / relative
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        # A page is written beside its name and renamed over it, so a killed run leaves whole
        # pages only (a plain open: tens of thousands of pages, and mkstemp costs a third more).
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except BaseException:
            # Remove the partial temp file, then let the original error propagate unchanged.
            tmp.unlink(missing_ok=True)
            raise
        self.summary.add(kind, relative, len(data))
        self.written.add(relative)

    def prune(self) -> None:
        """Remove the site's pages that this run did not write (a story merged away, a list that
        got shorter), so no link of an earlier site survives beside this one. Only the site's own
        folders and paged-list names are touched."""
        stale = [
            *(self.out / "story").glob("*.html"),
            *(self.out / "entity").glob("*.html"),
            *(p for name in PAGED_LISTS for p in self.out.glob(f"{name}-*.html")),
        ]
        for path in stale:
            if path.relative_to(self.out).as_posix() not in self.written:
                path.unlink()


def _nav(root: str) -> str:
    links = (
        ("index.html", "القصص"),
        ("search.html", "بحث في كل القصص"),
        ("entities.html", "الكيانات"),
        ("lineage.html", "النسخ والنقل"),
        ("duplicates.html", "المدخلات المكررة"),
        ("inputs.html", "مدخلات لم تُخزَّن"),
    )
    return (
        '<nav class="toc">' + "".join(f'<a href="{root}{href}">{name}</a>' for href, name in links) + "</nav>"
    )


def _top(heading: str, root: str, meta_line: str = "") -> str:
    meta = f'<div class="meta">{meta_line}</div>' if meta_line else ""
    return f'<header class="top"><h1>{heading}</h1>{meta}</header>{_nav(root)}'


def _pager(name: str, page: int, total: int) -> str:
    """Links to the neighbouring pages, the first and the last (file names relative to this page)."""
    if total <= 1:
        return ""
    shown = sorted({1, total, *range(max(1, page - 3), min(total, page + 3) + 1)})
    links, last = [], 0
    for n in shown:
        if n > last + 1:
            links.append("<span>…</span>")
        links.append(
            f'<b aria-current="page">{n}</b>' if n == page else f'<a href="{paged(name, n)}">{n}</a>'
        )
        last = n
    return f'<nav class="pager" aria-label="الصفحات">{"".join(links)}</nav>'


def _counts(meta: Mapping[str, Any]) -> str:
    counts = meta.get("counts") or {}
    items = (
        ("المدخلات", "inputs", ""),
        ("المخزنة", "stored", ""),
        ("المكررة", "duplicates", "duplicates.html"),
        ("المستبعدة", "filtered", "inputs.html"),
        ("المعزولة", "quarantined", "inputs.html"),
    )
    lis = []
    for name, key, href in items:
        inner = f"{name}<b>{esc(counts.get(key, 0))}</b>"
        lis.append(
            f'<li data-count="{key}">' + (f'<a href="{href}">{inner}</a>' if href else inner) + "</li>"
        )
    return f'<ul class="counts">{"".join(lis)}</ul>'


def _run_line(meta: Mapping[str, Any]) -> str:
    return f"أُنشئ في {ltr(meta.get('generated_at'))} · المخطط {ltr(meta.get('schema'))}"


# --- the story index -------------------------------------------------------------------------


def _filter_form(target: str, outlets: Sequence[str], *, index: bool = False) -> str:
    """The filter over a table's rows (report/html/script.js): words, outlet, dates."""
    options = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in outlets)
    data = ' data-index="story-index"' if index else ""
    return (
        f'<form class="filter" data-target="{target}"{data} role="search">'
        '<label>كلمات <input type="search" name="q"></label>'
        f'<label>المنفذ <select name="outlet"><option value="">الكل</option>{options}</select></label>'
        '<label>من <input type="date" name="from"></label><label>إلى <input type="date" name="to"></label>'
        '<output name="shown"></output></form>'
    )


def _story_row(rank: int, story: Mapping[str, Any], outlets: Sequence[str], href: str) -> str:
    first, last = story.get("first_seen") or "", story.get("last_seen") or ""
    title = story.get("title") or "قصة بلا عنوان"
    return (
        f'<tr data-text="{esc(title)} {esc(" ".join(outlets))}" data-outlets="{esc(chr(10).join(outlets))}" '
        f'data-first="{esc(first)}" data-last="{esc(last)}"><td>{rank}</td>'
        f'<td><a href="{esc(href)}">{bdi(title)}</a></td>'
        f'<td data-sort="{len(story.get("documents") or [])}">{len(story.get("documents") or [])}</td>'
        f'<td data-sort="{esc(first)}">{ltr(first)}</td><td data-sort="{esc(last)}">{ltr(last)}</td>'
        f"<td>{'، '.join(bdi(o) for o in outlets[:4])}{'، …' if len(outlets) > 4 else ''}</td></tr>"
    )


_STORY_HEAD = (
    '<table class="sortable stories" id="stories"><thead><tr><th>#</th><th>القصة</th><th>المقالات</th>'
    "<th>أول ظهور</th><th>آخر ظهور</th><th>المنافذ</th></tr></thead><tbody>"
)


class _SearchIndex:
    """Every story's outline for search.html, kept under SEARCH_BUDGET bytes (the lowest-ranked
    stories are left out past it, and the page says so)."""

    def __init__(self) -> None:
        self.outlets: dict[str, int] = {}
        self.rows: list[list[Any]] = []
        self.size = 0
        self.left_out = 0

    def add(self, story: Mapping[str, Any], outlets: Sequence[str], href: str) -> None:
        row = [
            href,
            story.get("title") or "",
            len(story.get("documents") or []),
            story.get("first_seen") or "",
            story.get("last_seen") or "",
            [self.outlets.setdefault(o, len(self.outlets)) for o in outlets],
        ]
        cost = len(json.dumps(row, ensure_ascii=False).encode("utf-8")) + 1
        if self.size + cost > SEARCH_BUDGET:
            self.left_out += 1
            return
        self.size += cost
        self.rows.append(row)

    def block(self) -> str:
        """The outline as a JSON data block: not executed, so the page's policy need not allow it;
        `<` is escaped so no text inside can close the element."""
        data = {"outlets": list(self.outlets), "stories": self.rows}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
        return f'<script type="application/json" id="story-index">{text}</script>'


def _write_index(w: _Writer, source: ReportSource, meta: Mapping[str, Any]) -> dict[str, str]:
    """The ranked story pages and search.html; returns each document's page (story/ relative)."""
    total = _pages(int((meta.get("sizes") or {}).get("stories", 0)), STORIES_PER_PAGE)
    search = _SearchIndex()
    homes: dict[str, str] = {}
    rank = 0
    pages_written = 0
    for page, stories in enumerate(_chunks(source.ranked_stories(), STORIES_PER_PAGE), start=1):
        rows, page_outlets = [], set()
        for story in stories:
            rank += 1
            href = _write_story(w, source, story, homes)
            briefs = list(source.documents_brief(story.get("documents") or []))
            outlets = outlets_of(briefs)
            page_outlets.update(outlets)
            rows.append(_story_row(rank, story, outlets, f"story/{href}"))
            search.add(story, outlets, f"story/{href}")
        _write_index_page(w, meta, page, max(total, page), rows, sorted(page_outlets))
        pages_written = page
    if pages_written == 0:
        _write_index_page(w, meta, 1, 1, [], [])
    _write_search(w, meta, search)
    return homes


def _write_index_page(
    w: _Writer, meta: Mapping[str, Any], page: int, total: int, rows: list[str], outlets: list[str]
) -> None:
    sizes = meta.get("sizes") or {}
    body = [
        _top("مرصد — تقرير التحليل", "", _run_line(meta)),
        "<main>",
        _counts(meta),
        f"<h2>القصص ({esc(sizes.get('stories', 0))}) — الصفحة {page} من {total}</h2>",
        _filter_form("stories", outlets),
        _pager("stories", page, total),
    ]
    if rows:
        body += [_STORY_HEAD, *rows, "</tbody></table>"]
    else:
        body.append('<p class="empty">لا توجد قصص في هذا التقرير.</p>')
    body += [_pager("stories", page, total), "</main>"]
    w.write("index", paged("stories", page), f"مرصد — القصص، الصفحة {page}", "".join(body))


def _write_search(w: _Writer, meta: Mapping[str, Any], search: _SearchIndex) -> None:
    note = (
        f'<p class="note">يشمل البحث أكبر {len(search.rows)} قصة؛ {search.left_out} قصة أصغر في صفحات القائمة.</p>'
        if search.left_out
        else ""
    )
    body = (
        _top("مرصد — بحث في كل القصص", "", _run_line(meta))
        + "<main>"
        + _filter_form("stories", sorted(search.outlets), index=True)
        + note
        + _STORY_HEAD
        + "</tbody></table>"
        + search.block()
        + "</main>"
    )
    w.write("search", "search.html", "مرصد — بحث في كل القصص", body)
    w.summary.search = {"stories": len(search.rows), "left_out": search.left_out, "bytes": search.size}


# --- story pages -------------------------------------------------------------------------------


def _estimate(doc: Mapping[str, Any], spans: int, badges: int) -> int:
    """Bytes a highlighted document is likely to take: Arabic is two bytes a character in UTF-8,
    each mark about 120 bytes of tag and tooltip, `badges` the bytes of its copy badges."""
    removed = sum(len(str(r.get("text") or "")) for r in doc.get("removed") or [])
    return 2 * (len(str(doc.get("text") or "")) + removed) + 120 * spans + badges + 1500


def _badge_bytes(ix: PageIndex) -> dict[Any, int]:
    """Bytes of each document's copy badges: a near copy shows its shared passages side by side,
    which can be both whole articles again (the largest part of a page of copied news)."""
    cost: dict[Any, int] = {}
    for rel in ix.relations:
        texts = sum(
            len(str((p.get(side) or {}).get("text") or ""))
            for p in rel.get("passages") or []
            if isinstance(p, Mapping)
            for side in ("a", "b")
        )
        for doc in (rel.get("a"), rel.get("b")):
            cost[doc] = cost.get(doc, 0) + 2 * texts + 600
    return cost


def _split_documents(ix: PageIndex) -> list[list[Mapping[str, Any]]]:
    """The story's documents cut into pages of about PAGE_BUDGET bytes, in story order."""
    badges = _badge_bytes(ix)
    chunks: list[list[Mapping[str, Any]]] = [[]]
    used = 0
    for d in ix.documents:
        cost = _estimate(d, len(ix.spans.get(d.get("id"), ())), badges.get(d.get("id"), 0))
        if chunks[-1] and used + cost > PAGE_BUDGET:
            chunks.append([])
            used = 0
        chunks[-1].append(d)
        used += cost
    return chunks


def _shown_note(shown: int, total: int, what: str) -> str:
    if shown >= total:
        return ""
    return f'<p class="note">يعرض هذا القسم {shown} من {total} {what}.</p>'


def _write_story(w: _Writer, source: ReportSource, story: Mapping[str, Any], homes: dict[str, str]) -> str:
    """Write a story's pages; returns its first page's name (relative to story/)."""
    name = file_id(story.get("id"))
    parts = source.story_parts(str(story.get("id")))
    timeline = list(story.get("timeline") or [])
    sub: dict[str, Any] = {**parts, "stories": [{**story, "timeline": timeline[:STORY_TIMELINE]}]}
    mine = {d.get("id") for d in parts.get("documents") or []}
    # Documents of other stories that this story's records point at: linked to their story.
    referenced = {r.get(k) for r in parts.get("relations") or [] for k in ("a", "b")}
    referenced |= {r.get(k) for r in parts.get("lineage") or [] for k in ("doc", "source", "origin")}
    referenced |= {m.get("doc") for e in parts.get("events") or [] for m in e.get("mentions") or []}
    referenced |= {c.get("doc") for x in parts.get("contradictions") or [] for c in x.get("claims") or []}
    others = {
        b["id"]: {**b, "href": f"{file_id(b['story'])}.html" if b.get("story") else None}
        for b in source.documents_brief(sorted(str(d) for d in referenced - mine if d))
    }
    ix = PageIndex(sub, others=others)
    chunks = _split_documents(ix)
    title = str(story.get("title") or "قصة بلا عنوان")
    if len(chunks) == 1:
        # One page when the documents fit beside the story's head (measured, not estimated) ...
        ix.page = {d.get("id"): paged(name, 1) for d in chunks[0]}
        body = _story_head(sub, ix, story, 1) + articles_section(ix) + "</main>"
        if len(body.encode("utf-8")) <= SINGLE_PAGE:
            w.write("story", f"story/{paged(name, 1)}", title, body)
            homes.update((doc, f"{page}#{ix.anchor[doc]}") for doc, page in ix.page.items())
            return paged(name, 1)
    # ... else the head on page 1 and the documents on pages 2, 3, ...
    total = 1 + len(chunks)
    ix.page = {d.get("id"): paged(name, n) for n, chunk in enumerate(chunks, start=2) for d in chunk}
    homes.update((doc, f"{page}#{ix.anchor[doc]}") for doc, page in ix.page.items())
    head = _story_head(sub, ix, story, total)
    w.write("story", f"story/{paged(name, 1)}", title, head + _pager(name, 1, total) + "</main>")
    for n, chunk in enumerate(chunks, start=2):
        body = (
            _top(esc(title), "../")
            + "<main>"
            + f'<p><a href="{paged(name, 1)}">القصة: {bdi(title)}</a></p>'
            + _pager(name, n, total)
            + articles_section(ix, chunk, heading=f" — الصفحة {n} من {total}")
            + _pager(name, n, total)
            + "</main>"
        )
        w.write("story-documents", f"story/{paged(name, n)}", f"{title} — {n}", body)
    return paged(name, 1)


def _story_head(sub: Mapping[str, Any], ix: PageIndex, story: Mapping[str, Any], total: int) -> str:
    """A story's own parts, above its documents; each list cut to its most significant entries."""
    events = ix.events
    contradictions = list(sub.get("contradictions") or [])
    copies = list(sub.get("lineage") or [])
    entities = sorted(sub.get("entities") or [], key=lambda e: -len(e.get("mentions") or []))
    timeline = len(story.get("timeline") or [])
    return "".join(
        (
            _top(esc(story.get("title") or "قصة بلا عنوان"), "../"),
            "<main>",
            stories_section(sub, ix, heading=False, links=STORY_LINKS),
            _shown_note(min(timeline, STORY_TIMELINE), timeline, "أحداث الخط الزمني"),
            # A story page shows only the sections this story has (the index says what the run has).
            contradictions_section({"contradictions": contradictions[:STORY_CONTRADICTIONS]}, ix)
            if contradictions
            else "",
            _shown_note(min(len(contradictions), STORY_CONTRADICTIONS), len(contradictions), "تناقضات"),
            events_section(ix, STORY_EVENTS),
            lineage_section({"lineage": copies[:STORY_COPIES]}, ix) if copies else "",
            _shown_note(min(len(copies), STORY_COPIES), len(copies), "نسخ"),
            entities_section(
                {"entities": entities[:STORY_ENTITIES]}, lambda e: f"../entity/{paged(file_id(e), 1)}"
            ),
            _shown_note(min(len(entities), STORY_ENTITIES), len(entities), "كيانات، أكثرها ذكرًا"),
            f'<p class="note">{len(events)} حدثًا في {total} صفحة.</p>' if total > 1 else "",
        )
    )


# --- entity pages ------------------------------------------------------------------------------


def _write_entities(
    w: _Writer, source: ReportSource, meta: Mapping[str, Any], homes: Mapping[str, str]
) -> None:
    total = _pages(int((meta.get("sizes") or {}).get("entities", 0)), ENTITIES_PER_PAGE)
    wrote = False
    for page, entities in enumerate(_chunks(source.entities(), ENTITIES_PER_PAGE), start=1):
        rows = []
        for e in entities:
            href = _write_entity(w, source, e, homes)
            aliases = list(e.get("aliases") or [])
            shown = "، ".join(esc(a) for a in aliases[:5]) + ("، …" if len(aliases) > 5 else "")
            rows.append(
                f'<tr data-text="{esc(e.get("name"))} {esc(" ".join(map(str, aliases[:20])))}">'
                f'<td><a href="entity/{esc(href)}">{bdi(e.get("name"))}</a></td>'
                f"<td>{esc(label('entity', e.get('type')))}</td><td>{ltr(e.get('country'))}</td>"
                f'<td>{shown}</td><td data-sort="{esc(e.get("mention_count"))}">{esc(e.get("mention_count"))}</td>'
                f'<td data-sort="{esc(e.get("document_count"))}">{esc(e.get("document_count"))}</td></tr>'
            )
        _write_entities_page(w, meta, page, max(page, total), rows)
        wrote = True
    if not wrote:
        _write_entities_page(w, meta, 1, 1, [])


def _write_entities_page(w: _Writer, meta: Mapping[str, Any], page: int, total: int, rows: list[str]) -> None:
    count = (meta.get("sizes") or {}).get("entities", 0)
    body = (
        _top("مرصد — الكيانات", "", _run_line(meta))
        + f"<main><h2>الكيانات ({esc(count)}) — الصفحة {page} من {total}</h2>"
        + '<form class="filter" data-target="entities" role="search"><label>كلمات <input type="search" name="q">'
        + '</label><output name="shown"></output></form>'
        + _pager("entities", page, total)
        + '<table class="sortable entities" id="entities"><thead><tr><th>الاسم</th><th>النوع</th><th>البلد</th>'
        + "<th>الصيغ الواردة</th><th>الإشارات</th><th>المقالات</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + ("" if rows else '<p class="empty">لا توجد كيانات.</p>')
        + _pager("entities", page, total)
        + "</main>"
    )
    w.write("entities", paged("entities", page), f"مرصد — الكيانات، الصفحة {page}", body)


def _write_entity(
    w: _Writer, source: ReportSource, entity: Mapping[str, Any], homes: Mapping[str, str]
) -> str:
    """An entity's pages: who it is, then the documents that mention it, grouped by story."""
    name = file_id(entity.get("id"))
    by_doc: dict[str, list[Mapping[str, Any]]] = {}
    for m in source.entity_mentions(str(entity.get("id"))):
        by_doc.setdefault(str(m.get("doc")), []).append(m)
    total = _pages(len(by_doc), MENTION_DOCS_PER_PAGE)
    aliases = list(entity.get("aliases") or [])
    facts = [
        ("النوع", esc(label("entity", entity.get("type")))),
        ("البلد", ltr(entity.get("country"))),
        ("الرمز", ltr(entity.get("code"))),
        (
            "الصيغ الواردة",
            "، ".join(bdi(a) for a in aliases[:PAGE_ALIASES])
            + ("، …" if len(aliases) > PAGE_ALIASES else ""),
        ),
        ("الإشارات", esc(entity.get("mention_count", sum(len(v) for v in by_doc.values())))),
        ("المقالات", esc(len(by_doc))),
    ]
    head = '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts if v) + "</dl>"
    title = str(entity.get("name") or entity.get("id"))
    for page, docs in enumerate(_chunks(by_doc, MENTION_DOCS_PER_PAGE), start=1):
        briefs = {b["id"]: b for b in source.documents_brief(docs)}
        # Grouped by story (in the order each story first appears), documents in mention order.
        story_of = {d: (briefs.get(d) or {}).get("story") for d in docs}
        first: dict[Any, int] = {}
        for n, d in enumerate(docs):
            first.setdefault(story_of[d], n)
        position = {d: n for n, d in enumerate(docs)}
        docs.sort(key=lambda d: (first[story_of[d]], position[d]))
        rows = []
        for doc in docs:
            brief = briefs.get(doc) or {}
            story = brief.get("story")
            home = homes.get(doc) or (f"{paged(file_id(story), 1)}" if story else None)
            shown = brief.get("title") or brief.get("outlet") or doc
            link = f'<a href="../story/{esc(home)}">{bdi(shown)}</a>' if home else bdi(shown)
            forms = sorted({str(m.get("text") or "") for m in by_doc[doc]})
            rows.append(
                f"<tr><td>{link}</td><td>{bdi(brief.get('outlet'))}</td><td>{ltr(brief.get('published'))}</td>"
                f"<td>{len(by_doc[doc])}</td><td>{'، '.join(bdi(f) for f in forms[:5])}</td></tr>"
            )
        body = (
            _top(esc(title), "../")
            + f"<main>{head}<h2>المقالات التي تذكره ({len(by_doc)}) — الصفحة {page} من {total}</h2>"
            + _pager(name, page, total)
            + '<table class="sortable mentions"><thead><tr><th>المقالة</th><th>المنفذ</th><th>التاريخ</th>'
            + "<th>الإشارات</th><th>الصيغ</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
            + _pager(name, page, total)
            + "</main>"
        )
        w.write("entity", f"entity/{paged(name, page)}", title, body)
    if not by_doc:
        w.write("entity", f"entity/{paged(name, 1)}", title, _top(esc(title), "../") + f"<main>{head}</main>")
    return paged(name, 1)


# --- the non-story pages -----------------------------------------------------------------------


def _write_lineage(
    w: _Writer, source: ReportSource, meta: Mapping[str, Any], homes: Mapping[str, str]
) -> None:
    count = int((meta.get("sizes") or {}).get("lineage", 0))
    total = _pages(count, COPIES_PER_PAGE)
    outlets = list(islice(source.outlet_copies(), OUTLET_PAIRS))
    chunks = _chunks(source.lineage(), COPIES_PER_PAGE)
    for page in range(1, total + 1):
        copies = next(chunks, [])
        ids = sorted({str(c.get(k)) for c in copies for k in ("doc", "source", "origin") if c.get(k)})
        others = {b["id"]: {**b, "href": _home(b, homes)} for b in source.documents_brief(ids)}
        ix = PageIndex({}, others=others)
        body = (
            _top("مرصد — النسخ والنقل بين المصادر", "", _run_line(meta))
            + "<main>"
            + (outlet_table(outlets) if page == 1 else "")
            + _pager("lineage", page, total)
            + lineage_section({"lineage": copies}, ix).replace(
                f"({len(copies)})", f"({count}) — الصفحة {page} من {total}", 1
            )
            + _pager("lineage", page, total)
            + "</main>"
        )
        w.write("lineage", paged("lineage", page), f"مرصد — النسخ، الصفحة {page}", body)


def _home(brief: Mapping[str, Any], homes: Mapping[str, str]) -> str | None:
    """A document's place in the site, from a top-level page."""
    doc, story = brief.get("id"), brief.get("story")
    if doc in homes:
        return f"story/{homes[str(doc)]}"
    return f"story/{paged(file_id(story), 1)}" if story else None


def _write_rows(
    w: _Writer,
    name: str,
    heading: str,
    meta: Mapping[str, Any],
    items: Iterator[Mapping[str, Any]],
    count: int,
    render: Callable[[list[Mapping[str, Any]]], str],
) -> None:
    total = _pages(count, ROWS_PER_PAGE)
    chunks = _chunks(items, ROWS_PER_PAGE)
    for page in range(1, total + 1):
        body = (
            _top(f"مرصد — {heading}", "", _run_line(meta))
            + f"<main><h2>{heading} ({count}) — الصفحة {page} من {total}</h2>"
            + _pager(name, page, total)
            + render(next(chunks, []))
            + _pager(name, page, total)
            + "</main>"
        )
        w.write(name, paged(name, page), f"مرصد — {heading}، الصفحة {page}", body)


def _duplicates_table(
    source: ReportSource, homes: Mapping[str, str]
) -> Callable[[list[Mapping[str, Any]]], str]:
    def render(items: list[Mapping[str, Any]]) -> str:
        ids = sorted({str(d.get("doc")) for d in items if d.get("doc")})
        others = {b["id"]: {**b, "href": _home(b, homes)} for b in source.documents_brief(ids)}
        html = same_text_section({"duplicates": items}, PageIndex({}, others=others))
        return html.replace("<details>", "<details open>", 1) if html else '<p class="empty">لا توجد.</p>'

    return render


def _not_stored_table(rows: list[Mapping[str, Any]]) -> str:
    return not_stored_section(
        {
            "quarantine": [r["item"] for r in rows if r["status"] == "quarantined"],
            "filtered": [r["item"] for r in rows if r["status"] == "filtered"],
        }
    )


def write_site(source: ReportSource, out_dir: str | Path) -> SiteSummary:
    """Write the site into `out_dir` (see module docstring); pages are written one at a time."""
    w = _Writer(Path(out_dir))
    meta = source.meta()
    homes = _write_index(w, source, meta)
    _write_entities(w, source, meta, homes)
    _write_lineage(w, source, meta, homes)
    sizes = meta.get("sizes") or {}
    _write_rows(
        w, "duplicates", "مدخلات بنص مخزن من قبل", meta, source.duplicates(), int(sizes.get("duplicates", 0)),
        _duplicates_table(source, homes),
    )  # fmt: skip
    not_stored = [
        {"status": status, "item": item}
        for status, key in (("quarantined", "quarantine"), ("filtered", "filtered"))
        for item in meta.get(key) or []
    ]
    _write_rows(
        w, "inputs", "مدخلات لم تُخزَّن", meta, iter(not_stored), len(not_stored), _not_stored_table,
    )  # fmt: skip
    w.prune()
    return w.summary

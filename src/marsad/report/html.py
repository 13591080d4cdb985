"""The pieces of the HTML report: escaping, labels, highlighting, sections, and the page shell.

The report is a site of bounded pages (`report/site.py`, written by `write_html` beside
report.json); every page is built from the sections here. A section renders a report-shaped dict
(REPORT.md) through a `PageIndex`, which knows on which page of the site each document is shown,
so the same sections make a story's page and `render_html(report)`, one page for a small report.
`page_shell` wraps a body with the CSS and the few lines of JavaScript (sorting and filtering
tables) inlined from `report/html/` and allowed by hash: nothing is fetched, so the pages open
offline by double-clicking. Every string taken from the report is untrusted article text and is
escaped on the way out; ids from the report never become HTML ids directly (documents and events
are numbered instead), so a hostile id cannot break an attribute.

Article texts are highlighted from the report's stand-off offsets: the text is cut at span
boundaries and each piece is escaped, so highlighting never re-searches or alters the text. Spans
that cross each other are clipped to the span they start in, so the marks always nest.

Each section is one pass over its lists, so its cost is linear in what it shows; above
`COLLAPSE_ABOVE` documents on one page the article texts are folded into `<details>`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.corpus.unionfind import UnionFind
from marsad.errors import SchemaError

COLLAPSE_ABOVE = 500  # documents; above this, article texts are collapsed (see module docstring)
TITLE_WORDS = 8  # an untitled document is named by this many of its first words
REPORT_LINKS = 20  # reports linked from one event's row; the count shows them all
ALIASES = 12  # surface forms shown in an entity's row (its page lists them all)
HISTORY_ITEMS = 30  # entries of an event's figure history shown in its row

# Relation kinds that make two documents copies of one report (so they show a duplicate badge and
# count as one source); `same_story` only says they report the same thing.
COPY_KINDS = ("exact", "near_duplicate", "rewrite")

# Mark kinds in order of nesting priority when two spans start at the same offset and have the same
# length: the earlier kind becomes the outer mark. Quotes and cited summary sentences are long,
# so they usually enclose the others anyway; the order only settles exact ties.
_MARK_ORDER = {"cited": 0, "quote": 1, "ent": 2, "time": 3, "qty": 4}


def esc(value: Any) -> str:
    """Escape anything for HTML text or a double-quoted attribute; None becomes the empty string."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return resources.files("marsad.report").joinpath("html", name).read_text(encoding="utf-8")


@cache
def labels() -> dict[str, dict[str, str]]:
    """Arabic labels by group and code, from `report/html/labels.tsv` (loaded once)."""
    table: dict[str, dict[str, str]] = defaultdict(dict)
    for number, line in enumerate(_asset("labels.tsv").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SchemaError(
                f"report/html/labels.tsv line {number}: expected 3 tab-separated columns "
                f"(group, code, label), found {len(parts)}; fix the line or remove it"
            )
        group, code, label = parts
        table[group][code] = label
    return dict(table)


def label(group: str, code: Any) -> str:
    """The Arabic label for a code, or the code itself when the data file has none."""
    if code is None:
        return ""
    return labels().get(group, {}).get(str(code), str(code))


def bdi(value: Any) -> str:
    """Untrusted metadata (titles, outlets, authors) isolated, so its direction cannot spill over."""
    return f"<bdi>{esc(value)}</bdi>" if value not in (None, "") else ""


@cache
def _csp_hash(text: str) -> str:
    """A CSP source allowing exactly this inline block, so the policy needs no 'unsafe-inline'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def ltr(value: Any) -> str:
    """Latin codes and ISO dates inside Arabic text: isolated so the bidi algorithm cannot flip them."""
    return f'<bdi class="ltr" dir="ltr">{esc(value)}</bdi>' if value not in (None, "") else ""


def _granularity(value: str | None) -> str | None:
    """Granularity of an ISO date value as REPORT.md writes them ("2024", "2024-06", "2024-W23", ...)."""
    if not value:
        return None
    if "/" in value:
        return "interval"
    if "W" in value:
        return "week"
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "day" if len(value) > 10 else None)


def _event_date(event: Mapping[str, Any]) -> str | None:
    date = event.get("date") or {}
    value = date.get("value") if isinstance(date, Mapping) else None
    return str(value) if value else None


def _fmt_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _fmt_value(value: Any) -> str:
    """A claim's value for display: numbers without a spurious `.0`; a quantity record as the reader
    would say it ("أكثر من 10,000 جندي"); other structures as compact JSON."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _fmt_number(value)
    if isinstance(value, str) or value is None:
        return value or ""
    if isinstance(value, Mapping) and "value" in value and set(value) <= {"value", "qualifier", "unit", "of"}:
        number = value["value"]
        words = [label("qualifier", value.get("qualifier")), "؟" if number is None else _fmt_number(number)]
        if value.get("of") is not None:
            words.append(f"من {_fmt_number(value['of'])}")
        words.append(str(value.get("unit") or ""))
        return " ".join(w for w in words if w)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class PageIndex:
    """Lookups built once over a (part of a) report, so each section renders in one linear pass."""

    def __init__(
        self,
        report: Mapping[str, Any],
        *,
        pages: Mapping[Any, str] | None = None,
        others: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """`pages` names the file each document is shown on (a site's story split over pages; absent:
        this page); `others` are documents shown elsewhere, as `{title, outlet, published, href}`."""
        self.documents: list[Mapping[str, Any]] = list(report.get("documents") or [])
        self.doc_by_id = {d.get("id"): d for d in self.documents}
        self.others = others or {}
        # HTML ids are our own numbers, never the report's strings (see module docstring).
        self.anchor = {d.get("id"): f"d{i}" for i, d in enumerate(self.documents)}
        self.page = pages or {}
        self.number = {d.get("id"): i + 1 for i, d in enumerate(self.documents)}
        self.events: list[Mapping[str, Any]] = list(report.get("events") or [])
        self.event_by_id = {e.get("id"): e for e in self.events}
        self.relations: list[Mapping[str, Any]] = list(report.get("relations") or [])
        self.copy_group = self._copy_groups()
        self.spans: dict[Any, list[tuple[int, int, str, str, str]]] = defaultdict(list)
        self.cited: dict[tuple[str, int, int], str] = {}
        self._collect_spans(report)

    def _copy_groups(self) -> dict[str, str]:
        """Union-find over copy relations: documents that copy each other count as one source."""
        sets: UnionFind[str] = UnionFind()
        for rel in self.relations:
            if rel.get("kind") in COPY_KINDS and rel.get("a") and rel.get("b"):
                sets.union(str(rel["a"]), str(rel["b"]))
        return sets.groups()

    def _collect_spans(self, report: Mapping[str, Any]) -> None:
        for entity in report.get("entities") or []:
            type_ = str(entity.get("type") or "")
            tip = f"{entity.get('name') or ''} · {label('entity', type_)}"
            for m in entity.get("mentions") or []:
                self._add(m, "ent", f"ent ent-{type_}", tip)
        for t in report.get("times") or []:
            tip = f"{t.get('value') or '؟'} · {label('granularity', t.get('granularity'))}"
            self._add(t, "time", "time", tip)
        for q in report.get("quantities") or []:
            tip = _fmt_value({k: q.get(k) for k in ("value", "qualifier", "unit", "of")})
            self._add(q, "qty", "qty", tip)
        for quote in report.get("quotes") or []:
            speaker = (
                (quote.get("speaker") or {}).get("text")
                if isinstance(quote.get("speaker"), Mapping)
                else None
            )
            self._add(quote, "quote", "quote", f"{speaker or '؟'} ({quote.get('cue') or ''})")
        for s, story in enumerate(report.get("stories") or []):
            for n, ref in enumerate(story.get("summary") or []):
                anchor = f"c{s}-{n}"
                key = (ref.get("doc"), ref.get("start"), ref.get("end"))
                if key not in self.cited:
                    self.cited[key] = anchor
                    self._add(ref, "cited", "cited", "", anchor=anchor)

    def _add(self, rec: Mapping[str, Any], kind: str, css: str, tip: str, anchor: str = "") -> None:
        doc, start, end = rec.get("doc"), rec.get("start"), rec.get("end")
        if isinstance(start, int) and isinstance(end, int) and start < end:
            self.spans[doc].append((start, end, kind, css, anchor or tip))

    def title(self, doc: Any) -> str:
        """A document's title, else its outlet, else the opening words of its text, numbered as in
        the articles section so citations and badges can be followed by eye as well as by link."""
        d = self.doc_by_id.get(doc) or self.others.get(doc) or {}
        shown = d.get("title") or d.get("outlet")
        if not shown:
            text = " ".join(str(d.get("text") or "").split()[:TITLE_WORDS])
            shown = text + "…" if text else str(doc)
        number = self.number.get(doc)
        return f"{number}. {shown}" if number else str(shown)

    def href(self, doc: Any) -> str | None:
        """Where a document is shown: its anchor on this page or a page of the site, else None."""
        anchor = self.anchor.get(doc)
        if anchor is not None:
            return f"{self.page.get(doc, '')}#{anchor}"
        other = self.others.get(doc)
        return str(other["href"]) if other and other.get("href") else None

    def doc(self, doc: Any) -> Mapping[str, Any]:
        """A document's record (full when on this page, its outline when shown elsewhere), or {}."""
        return self.doc_by_id.get(doc) or self.others.get(doc) or {}

    def doc_link(self, doc: Any, text: str | None = None) -> str:
        target = self.href(doc)
        shown = text if text is not None else self.title(doc)
        if target is None:
            return f'<span class="missing">{bdi(shown)}</span>'
        return f'<a href="{esc(target)}">{bdi(shown)}</a>'

    def sources(self, event: Mapping[str, Any]) -> int:
        """Independent sources of an event: the merge stage's count, else distinct non-copy groups."""
        given = event.get("sources")
        if isinstance(given, list):
            return len(given)
        docs = {m.get("doc") for m in event.get("mentions") or []}
        return len({self.copy_group.get(str(d), str(d)) for d in docs})


@lru_cache(maxsize=8192)
def _open_tag(kind: str, css: str, extra: str) -> str:
    """The `<mark>` tag for a span; cached because one entity's tag repeats for all its mentions."""
    attr = f' id="{esc(extra)}"' if kind == "cited" else (f' title="{esc(extra)}"' if extra else "")
    return f'<mark class="{esc(css)}"{attr}>'


def highlight(text: str, spans: Iterable[tuple[int, int, str, str, str]]) -> str:
    """Escaped `text` with a `<mark>` for each (start, end, kind, css class, title-or-anchor) span.

    Spans are clipped to the text; a span crossing the one it starts in is cut at that span's end,
    so the marks nest. One sort plus one sweep: O(n log n) in the number of spans.
    """
    n = len(text)
    ordered = sorted(
        (
            (max(0, s), min(n, e), kind, css, extra)
            for s, e, kind, css, extra in spans
            if s < n and e > 0 and s < e
        ),
        key=lambda sp: (sp[0], -sp[1], _MARK_ORDER.get(sp[2], 9)),
    )
    # Text between tags is element content, where quotes are harmless: escape only &, < and >.
    escape = html.escape
    out: list[str] = []
    pos = 0
    stack: list[int] = []  # ends of the open marks, innermost last
    for start, end, kind, css, extra in ordered:
        while stack and stack[-1] <= start:
            close = stack.pop()
            out.append(escape(text[pos:close], False))
            out.append("</mark>")
            pos = close
        if stack and end > stack[-1]:
            end = stack[-1]
        if end <= start:
            continue
        out.append(escape(text[pos:start], False))
        pos = start
        out.append(_open_tag(kind, css, extra))
        stack.append(end)
    while stack:
        close = stack.pop()
        out.append(escape(text[pos:close], False))
        out.append("</mark>")
        pos = close
    out.append(escape(text[pos:], False))
    return "".join(out)


def _header(report: Mapping[str, Any]) -> str:
    counts = report.get("counts") or {}
    items = (
        ("المدخلات", "inputs"),
        ("المخزنة", "stored"),
        ("المكررة", "duplicates"),
        ("المستبعدة", "filtered"),
        ("المعزولة", "quarantined"),
    )
    lis = "".join(f'<li data-count="{k}">{name}<b>{esc(counts.get(k, 0))}</b></li>' for name, k in items)
    return (
        '<header class="top"><h1>مرصد — تقرير التحليل</h1>'
        f'<div class="meta">أُنشئ في {ltr(report.get("generated_at"))} · المخطط {ltr(report.get("schema"))}</div>'
        f'<ul class="counts">{lis}</ul></header>'
        '<nav class="toc"><a href="#stories">القصص</a><a href="#events">الأحداث</a>'
        '<a href="#contradictions">التناقضات</a><a href="#lineage">النسخ والنقل</a><a href="#entities">الكيانات</a>'
        '<a href="#articles">المقالات</a><a href="#inputs">المدخلات غير المخزنة</a></nav>'
    )


def _actors(event: Mapping[str, Any], field: str = "text") -> str:
    src = event.get("source") if isinstance(event.get("source"), Mapping) else None
    tgt = event.get("target") if isinstance(event.get("target"), Mapping) else None
    left = esc(src.get(field)) if src and src.get(field) else "؟"
    if field == "code":
        left = ltr(src.get("code")) if src and src.get("code") else "؟"
        right = ltr(tgt.get("code")) if tgt and tgt.get("code") else ""
    else:
        right = esc(tgt.get(field)) if tgt and tgt.get(field) else ""
    return f"{left} ← {right}" if right else left


def _badges(event: Mapping[str, Any]) -> str:
    modality = event.get("modality")
    out = f'<span class="badge {esc(modality)}">{esc(label("modality", modality))}</span>' if modality else ""
    if event.get("negated"):
        # A negated event is one the text says did not happen; a denied one is a claim someone denied.
        out += '<span class="badge negated">لم يقع</span>'
    return out


def _date_cell(event: Mapping[str, Any]) -> str:
    value = _event_date(event)
    if not value:
        return '<td data-sort=""><span class="empty">غير معروف</span></td>'
    gran = event.get("granularity") or _granularity(value)
    return (
        f'<td data-sort="{esc(value)}">{ltr(value)} <small>({esc(label("granularity", gran))})</small></td>'
    )


def stories_section(
    report: Mapping[str, Any], ix: PageIndex, *, heading: bool = True, links: int | None = None
) -> str:
    """Story cards: title, dates, cited summary, timeline, and links to the first `links` (default
    all) of its documents; `heading` False for a page that shows one story under its own title."""
    stories = report.get("stories") or []
    parts = [
        f'<section id="stories"><h2>القصص ({len(stories)})</h2>' if heading else '<section id="stories">'
    ]
    if not stories:
        parts.append('<p class="empty">لا توجد قصص في هذا التقرير.</p>')
    for s, story in enumerate(stories):
        docs = story.get("documents") or []
        parts.append(
            f'<article class="card story" id="s{s}"><h3>{esc(story.get("title") or "قصة بلا عنوان")}</h3>'
        )
        parts.append(
            f'<div class="dates">أول ظهور {ltr(story.get("first_seen")) or "؟"} · '
            f"آخر ظهور {ltr(story.get('last_seen')) or '؟'} · {len(docs)} مقالة</div>"
        )
        summary = story.get("summary") or []
        if summary:
            parts.append('<h4>الملخص</h4><ol class="summary">')
            for n, ref in enumerate(summary):
                doc = ix.doc_by_id.get(ref.get("doc")) or {}
                text = doc.get("text") or ""
                start, end = ref.get("start"), ref.get("end")
                sentence = (
                    text[start:end] if isinstance(start, int) and isinstance(end, int) else ref.get("text")
                )
                target = ix.cited.get((ref.get("doc"), start, end), f"c{s}-{n}")
                where = ix.anchor.get(ref.get("doc"))
                number = ix.number.get(ref.get("doc"))
                page = ix.page.get(ref.get("doc"), "")
                cite = (
                    f'<a class="cite" href="{esc(page)}#{target}" title="{esc(ix.title(ref.get("doc")))}">'
                    f"[{number}]</a>"
                )
                parts.append(f"<li>{esc(sentence)}{cite if where else ''}</li>")
            parts.append("</ol>")
        timeline = story.get("timeline") or []
        if timeline:
            parts.append(
                '<h4>الخط الزمني</h4><table class="timeline"><thead><tr><th>التاريخ</th><th>النوع</th>'
                "<th>الأطراف</th><th>المصادر</th></tr></thead><tbody>"
            )
            for eid in timeline:
                event = ix.event_by_id.get(eid)
                if event is None:
                    parts.append(f'<tr><td colspan="4" class="empty">حدث غير موجود: {ltr(eid)}</td></tr>')
                    continue
                parts.append(
                    f"<tr>{_date_cell(event)}<td>{esc(label('plover', event.get('type')))}</td>"
                    f"<td>{_actors(event)}</td><td>{ix.sources(event)}</td></tr>"
                )
            parts.append("</tbody></table>")
        listed = "، ".join(ix.doc_link(d) for d in docs[:links]) + (
            "، …" if links is not None and len(docs) > links else ""
        )
        parts.append(f"<details><summary>المقالات ({len(docs)})</summary><p>{listed}</p></details></article>")
    parts.append("</section>")
    return "".join(parts)


def _history(event: Mapping[str, Any], ix: PageIndex) -> str:
    """An event's figures as they changed from report to report ("the toll rose to 47"); the first
    HISTORY_ITEMS of them, so a widely reported event's row stays small."""
    entries = [h for h in event.get("history") or [] if isinstance(h, Mapping)]
    if not entries:
        return ""
    items = []
    for h in entries[:HISTORY_ITEMS]:
        figures = "، ".join(
            f"{esc(k)}: {esc(_fmt_value(v))}"
            for k, v in h.items()
            if k not in ("doc", "published", "start", "end")
        )
        when = ltr(h.get("published")) or "؟"
        doc = h.get("doc")
        cite = ix.doc_link(doc, f"[{ix.number.get(doc, '؟')}]")
        items.append(f"<li>{when} — {figures} {cite}</li>")
    return f'<details class="history"><summary>تطور الأرقام ({len(entries)})</summary><ol>{"".join(items)}</ol></details>'


def events_section(ix: PageIndex, limit: int | None = None) -> str:
    """The events table, ordered by event date (unknown dates last; the page's script re-sorts by
    any column); with `limit`, the most reported `limit` events of them."""
    events = ix.events
    if limit is not None and len(events) > limit:
        events = sorted(events, key=lambda e: -len(e.get("mentions") or []))[:limit]
    ordered = sorted(events, key=lambda e: (_event_date(e) is None, _event_date(e) or ""))
    shown = f"، أكثرها تقارير {len(ordered)}" if len(ordered) < len(ix.events) else ""
    parts = [
        f'<section id="events"><h2>الأحداث ({len(ix.events)}{shown})</h2>',
        '<table class="sortable events"><thead><tr><th>التاريخ</th><th>النوع</th><th>المصدر ← الهدف</th>'
        "<th>المكان</th><th>الصيغة</th><th>التقارير</th><th>مصادر مستقلة</th></tr></thead><tbody>",
    ]
    for event in ordered:
        where = event.get("location") if isinstance(event.get("location"), Mapping) else None
        mentions = event.get("mentions") or []
        # Each report links to its article by the article's number in the articles section; a
        # widely reported event lists its first REPORT_LINKS reports, so one row stays small.
        reports = "، ".join(
            f'<a href="{esc(ix.href(m.get("doc")))}" title="{esc(m.get("text"))}">{ix.number[m.get("doc")]}</a>'
            for m in mentions[:REPORT_LINKS]
            if m.get("doc") in ix.anchor
        ) + ("، …" if len(mentions) > REPORT_LINKS else "")
        outlets: list[Any] = event["sources"] if isinstance(event.get("sources"), list) else []
        type_ = event.get("type")
        parts.append(
            f"<tr>{_date_cell(event)}"
            f'<td data-sort="{esc(type_)}" title="{esc(event.get("reason"))}">{esc(label("plover", type_))} '
            f"{ltr(type_)}</td>"
            f"<td>{_actors(event, 'code')}<br><small>{_actors(event)}</small></td>"
            f"<td>{esc(where.get('text')) if where else ''}</td>"
            f"<td>{_badges(event)}</td>"
            f'<td data-sort="{len(mentions)}">{len(mentions)} <small>({reports})</small>{_history(event, ix)}</td>'
            f'<td title="{esc("، ".join(map(str, outlets)))}">{ix.sources(event)}</td></tr>'
        )
    if not ordered:
        parts.append('<tr><td colspan="7" class="empty">لا توجد أحداث.</td></tr>')
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _claim_value(kind: Any, value: Any) -> str:
    # An assertion against a denial carries the modality as its value; show it in Arabic.
    if kind == "denial" and isinstance(value, str):
        return label("modality", value)
    return _fmt_value(value)


def contradictions_section(report: Mapping[str, Any], ix: PageIndex) -> str:
    items = report.get("contradictions") or []
    parts = [f'<section id="contradictions"><h2>التناقضات بين المصادر ({len(items)})</h2>']
    if not items:
        parts.append('<p class="empty">لم يُرصد تناقض بين المصادر.</p>')
    for c in items:
        parts.append(
            f'<article class="card contradiction"><h3>{esc(c.get("about"))}</h3>'
            f'<span class="badge">{esc(label("contradiction", c.get("kind")))}</span>'
            + (
                f'<span class="badge">{esc(label("contradiction_label", c["label"]))}</span>'
                if c.get("label")
                else ""
            )
            + (f'<p class="reason">{esc(c.get("reason"))}</p>' if c.get("reason") else "")
            + '<div class="claims">'
        )
        for claim in c.get("claims") or []:
            doc = ix.doc(claim.get("doc"))
            outlet = doc.get("outlet") or ix.title(claim.get("doc"))
            published = doc.get("published")
            parts.append(
                f'<div class="claim"><div class="value">{esc(_claim_value(c.get("kind"), claim.get("value")))}</div>'
                f"<blockquote>«{esc(claim.get('text'))}»</blockquote>"
                f'<div class="src">{ix.doc_link(claim.get("doc"), outlet)}'
                f"{' · ' + ltr(published) if published else ''}</div></div>"
            )
        parts.append("</div></article>")
    parts.append("</section>")
    return "".join(parts)


def _passage_text(ix: PageIndex, ref: Mapping[str, Any]) -> str:
    """A passage's words: cut from its document's text, or (a document shown elsewhere) as given."""
    text = str((ix.doc_by_id.get(ref.get("doc")) or {}).get("text") or "")
    start, end = ref.get("start"), ref.get("end")
    if text and isinstance(start, int) and isinstance(end, int):
        return text[start:end]
    return str(ref.get("text") or "")


def _byline(ix: PageIndex, doc: Any) -> str:
    d = ix.doc(doc)
    when = f" · {ltr(d.get('published'))}" if d.get("published") else ""
    return f"{ix.doc_link(doc)}<br><small>{esc(d.get('outlet') or '؟')}{when}</small>"


def same_text_section(report: Mapping[str, Any], ix: PageIndex) -> str:
    """Inputs whose text a stored document already had: stored once, each listed here."""
    dups = [d for d in report.get("duplicates") or [] if isinstance(d, Mapping)]
    if not dups:
        return ""
    rows = "".join(
        f"<tr><td>{ltr(d.get('source'))}</td><td>{_byline(ix, d.get('doc'))}</td></tr>" for d in dups
    )
    return (
        f"<details><summary>مدخلات بنص مخزن من قبل ({len(dups)})</summary><table><thead><tr>"
        f"<th>المدخل</th><th>المقالة المخزنة</th></tr></thead><tbody>{rows}</tbody></table></details>"
    )


def outlet_table(outlets: Sequence[Mapping[str, Any]]) -> str:
    """Who republishes whom, by outlet pair (empty when there is no such table to show)."""
    if not outlets:
        return ""
    kinds = ("exact", "near_duplicate", "rewrite")
    head = "".join(f"<th>{esc(label('relation', k))}</th>" for k in kinds)
    rows = "".join(
        f"<tr><td>{esc(o.get('source_outlet') or '؟')}</td><td>{esc(o.get('copy_outlet') or '؟')}</td>"
        + "".join(f"<td>{esc(o.get(k, 0))}</td>" for k in kinds)
        + f"<td>{esc(o.get('copies'))}</td></tr>"
        for o in outlets
    )
    return (
        '<h3>من ينقل عمّن</h3><table class="sortable"><thead><tr><th>المصدر الأسبق</th><th>الناقل</th>'
        f"{head}<th>المجموع</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def lineage_section(report: Mapping[str, Any], ix: PageIndex) -> str:
    """Who copied whom: the outlet table, then every copy with its source, origin and passages."""
    copies = [c for c in report.get("lineage") or [] if isinstance(c, Mapping)]
    outlets = [o for o in report.get("outlet_copies") or [] if isinstance(o, Mapping)]
    parts = [
        f'<section id="lineage"><h2>النسخ والنقل بين المصادر ({len(copies)})</h2>',
        same_text_section(report, ix),
    ]
    if not copies:
        parts.append('<p class="empty">لم تُرصد نسخ أو إعادة صياغة بين المقالات.</p></section>')
        return "".join(parts)
    parts.append(outlet_table(outlets))
    parts.append(
        "<h3>النسخ وأصولها</h3><table><thead><tr><th>النسخة</th><th>العلاقة</th>"
        "<th>منقولة عن</th><th>أول نشر</th><th>مقاطع مشتركة</th></tr></thead><tbody>"
    )
    for c in copies:
        passages = [p for p in c.get("passages") or [] if isinstance(p, Mapping)]
        pairs = "".join(
            f'<div class="pair"><blockquote>{esc(_passage_text(ix, p.get("source") or {}))}</blockquote>'
            f"<blockquote>{esc(_passage_text(ix, p.get('copy') or {}))}</blockquote></div>"
            for p in passages
            if c.get("kind") != "exact"  # an exact copy's passage is the whole text, shown in the article
        )
        shared = (
            f'<details class="copy-passages"><summary>{len(passages)}</summary>{pairs}</details>'
            if pairs
            else ""
        )
        origin = c.get("origin")
        parts.append(
            f"<tr><td>{_byline(ix, c.get('doc'))}</td>"
            f'<td title="{esc(c.get("reason"))}">{esc(label("relation", c.get("kind")))} '
            f"({round(float(c.get('score') or 0) * 100)}٪)</td>"
            f"<td>{_byline(ix, c.get('source'))}</td>"
            f"<td>{_byline(ix, origin) if origin != c.get('source') else '='}</td><td>{shared}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def entities_section(report: Mapping[str, Any], href: Callable[[str], str] | None = None) -> str:
    """The entities table; with `href`, each name links to its entity page."""
    entities = report.get("entities") or []
    rows = []
    for e in entities:
        names = list(e.get("aliases") or [])
        aliases = "، ".join(esc(a) for a in names[:ALIASES]) + ("، …" if len(names) > ALIASES else "")
        mentions = e.get("mentions") or []
        docs = len({m.get("doc") for m in mentions})
        name = esc(e.get("name"))
        if href is not None:
            name = f'<a href="{esc(href(str(e.get("id"))))}">{name}</a>'
        rows.append(
            f"<tr><td>{name}</td><td>{esc(label('entity', e.get('type')))}</td>"
            f"<td>{ltr(e.get('country'))}</td><td>{aliases}</td>"
            f'<td data-sort="{len(mentions)}">{len(mentions)}</td><td data-sort="{docs}">{docs}</td></tr>'
        )
    return (
        f'<section id="entities"><h2>الكيانات ({len(entities)})</h2><details><summary>عرض الجدول</summary>'
        '<table class="sortable entities"><thead><tr><th>الاسم</th><th>النوع</th><th>البلد</th>'
        "<th>الصيغ الواردة</th><th>الإشارات</th><th>المقالات</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></details></section>"
    )


def _legend() -> str:
    samples = (
        ("ent ent-PER", "شخص"),
        ("ent ent-ORG", "منظمة"),
        ("ent ent-GPE", "دولة أو مكان"),
        ("ent ent-NORP", "جنسية أو جماعة"),
        ("time", "تاريخ أو وقت"),
        ("qty", "كمية أو رقم"),
        ("quote", "اقتباس"),
        ("cited", "جملة في ملخص قصة"),
    )
    marks = "".join(f'<mark class="{css}">{name}</mark>' for css, name in samples)
    return f'<p class="legend">مفتاح الألوان: {marks}</p>'


def _relation_badges(ix: PageIndex, shown: set[Any] | None = None) -> dict[Any, list[str]]:
    """Copy badges by document (for the documents in `shown`, default all): the copy relation, the
    other document, and their shared passages side by side."""
    badges: dict[Any, list[str]] = defaultdict(list)
    for rel in ix.relations:
        kind, a, b = rel.get("kind"), rel.get("a"), rel.get("b")
        if kind not in COPY_KINDS:
            continue
        score = rel.get("score")
        pct = f" ({round(float(score) * 100)}٪)" if isinstance(score, int | float) else ""
        passages = [p for p in rel.get("passages") or [] if isinstance(p, Mapping)]
        for this, other, mine, theirs in ((a, b, "a", "b"), (b, a, "b", "a")):
            if shown is not None and this not in shown:
                continue
            shared = ""
            if passages:
                # The shared passages side by side, this document's wording first.
                pairs = "".join(
                    f'<div class="pair"><blockquote>{esc((p.get(mine) or {}).get("text"))}</blockquote>'
                    f"<blockquote>{esc((p.get(theirs) or {}).get('text'))}</blockquote></div>"
                    for p in passages
                )
                shared = f'<details class="passages"><summary>مقاطع مشتركة ({len(passages)})</summary>{pairs}</details>'
            badges[this].append(
                f'<div class="rel"><span class="badge dup" data-kind="{esc(kind)}" title="{esc(rel.get("reason"))}">'
                f"{esc(label('relation', kind))} {ix.doc_link(other)}{esc(pct)}</span>{shared}</div>"
            )
    return badges


def _article(ix: PageIndex, d: Mapping[str, Any], badges: Sequence[str], collapse: bool) -> str:
    """One document: title, byline, copy badges, the highlighted text, removed boilerplate."""
    doc = d.get("id")
    byline = [
        ("المنفذ", bdi(d.get("outlet"))),
        ("الكاتب", bdi(d.get("author"))),
        ("التاريخ", ltr(d.get("published"))),
        ("المصدر", ltr(d.get("url") or d.get("source"))),
    ]
    line = " · ".join(f"{k}: {v}" for k, v in byline if v)
    text = str(d.get("text") or "")
    body = f'<div class="text" lang="{esc(d.get("language") or "ar")}">{highlight(text, ix.spans.get(doc, []))}</div>'
    if collapse:
        body = f"<details><summary>النص ({len(text)} حرفًا)</summary>{body}</details>"
    removed = d.get("removed") or []
    removed_html = ""
    if removed:
        lis = "".join(
            f"<li>{esc(r.get('text'))} <small>— {esc(r.get('reason'))}</small></li>" for r in removed
        )
        removed_html = (
            f'<details class="removed"><summary>نصوص أزيلت ({len(removed)})</summary><ul>{lis}</ul></details>'
        )
    return (
        f'<article class="card article" id="{ix.anchor[doc]}"><h3>{bdi(ix.title(doc))}</h3>'
        f'<div class="byline">{line}</div><div class="rels">{"".join(badges)}</div>'
        f"{body}{removed_html}</article>"
    )


def articles_section(
    ix: PageIndex, shown: Sequence[Mapping[str, Any]] | None = None, heading: str = ""
) -> str:
    """The articles section: every document of the index, or the `shown` part of them."""
    documents = ix.documents if shown is None else shown
    collapse = len(documents) > COLLAPSE_ABOVE
    badges = _relation_badges(ix, None if shown is None else {d.get("id") for d in documents})
    parts = [
        f'<section id="articles"><h2>المقالات ({len(ix.documents)}){esc(heading)}</h2>',
        _legend(),
        *(_article(ix, d, badges.get(d.get("id"), []), collapse) for d in documents),
        "</section>",
    ]
    return "".join(parts)


def not_stored_section(report: Mapping[str, Any]) -> str:
    rows = []
    for status, items in (("quarantined", report.get("quarantine")), ("filtered", report.get("filtered"))):
        for item in items or []:
            rows.append(
                f"<tr><td>{esc(label('status', status))}</td><td>{ltr(item.get('source'))}</td>"
                f"<td>{esc(item.get('reason'))}</td></tr>"
            )
    table = (
        "<table><thead><tr><th>الحالة</th><th>المصدر</th><th>السبب</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        if rows
        else '<p class="empty">خُزّنت كل المدخلات أو كانت مكررة.</p>'
    )
    return f'<section id="inputs"><h2>مدخلات لم تُخزَّن ({len(rows)})</h2>{table}</section>'


def page_shell(title: str, body: str) -> str:
    """A complete page around `body` (already escaped HTML): Arabic, right to left, with the inlined
    CSS and script allowed by hash, and a policy that forbids every fetch."""
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No network at all: the policy forbids every fetch, so the page is provably offline; and
        # only the page's own style and script blocks run (by hash), never one injected by input.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"style-src {_csp_hash(_asset('style.css'))}; script-src {_csp_hash(_asset('script.js'))}; "
        'img-src data:">'
        f"<title>{esc(title)}</title>"
        f"<style>{_asset('style.css')}</style></head><body>"
        + body
        + f"<script>{_asset('script.js')}</script></body></html>\n"
    )


def render_html(report: Mapping[str, Any]) -> str:
    """A small report (a few stories) as one page; the site (`report/site.py`) pages a large one."""
    ix = PageIndex(report)
    sections: Sequence[str] = (
        _header(report),
        "<main>",
        stories_section(report, ix),
        events_section(ix),
        contradictions_section(report, ix),
        lineage_section(report, ix),
        entities_section(report),
        articles_section(ix),
        not_stored_section(report),
        "</main>",
    )
    title = f"مرصد — تقرير ({(report.get('counts') or {}).get('stored', 0)} مقالة)"
    return page_shell(title, "".join(sections))


def write_html(report: Mapping[str, Any], path: str | Path) -> Path:
    """Write the report as a site of pages beside `path` (its index.html); see report/site.py."""
    from marsad.report.site import write_site
    from marsad.report.source import DictSource

    target = Path(path)
    write_site(DictSource(report), target.parent)
    return target.parent / "index.html"

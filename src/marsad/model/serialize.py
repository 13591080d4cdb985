"""Versioned JSON form of an `Article`.

`article_to_dict` / `article_from_dict` are the only way articles cross a process or storage
boundary. The form carries `"schema": ARTICLE_SCHEMA`; a reader refuses a schema it does not
know instead of guessing. Loading checks every span against the text (`text[start:end] == text`),
so corrupted or hand-edited records fail loudly at the boundary, not deep in a later stage.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from marsad.errors import SchemaError
from marsad.model.article import Article, Provenance, Removal
from marsad.model.spans import (
    ActorRef,
    EntityMention,
    EventDate,
    EventMention,
    QuantityMention,
    Quote,
    Span,
    Speaker,
    TimeMention,
)

ARTICLE_SCHEMA = "marsad.article/1"

# Annotation lists of an Article and the type of their items.
ANNOTATION_LISTS: dict[str, type[Span]] = {
    "entities": EntityMention,
    "times": TimeMention,
    "quantities": QuantityMention,
    "quotes": Quote,
    "events": EventMention,
}
# Nested record types inside annotations, by field name.
_NESTED: dict[str, type] = {
    "speaker": Speaker,
    "source": ActorRef,
    "target": ActorRef,
    "location": ActorRef,
    "date": EventDate,
}
_TRANSIENT = {"norm", "tokens"}


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _TRANSIENT)


_PRIMITIVES = (str, int, float, bool, type(None))


def to_plain(obj: Any) -> Any:
    """Dataclasses to dicts, recursively, without `dataclasses.asdict`'s deep copies.

    On the storage hot path: primitives return first, and field names are cached per type.
    """
    if isinstance(obj, _PRIMITIVES):
        return obj
    if isinstance(obj, (list, tuple)):
        return [to_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for name in _field_names(type(obj)):
            value = getattr(obj, name)
            out[name] = value if isinstance(value, _PRIMITIVES) else to_plain(value)
        return out
    return obj


def _from_plain(cls: type, data: dict[str, Any]) -> Any:
    kwargs = {}
    for name in _field_names(cls):
        if name not in data:
            continue
        value = data[name]
        nested = _NESTED.get(name)
        if nested is not None and isinstance(value, dict):
            value = _from_plain(nested, value)
        kwargs[name] = value
    return cls(**kwargs)


def article_to_dict(article: Article) -> dict[str, Any]:
    data = to_plain(article)
    data["sentences"] = [list(pair) for pair in article.sentences]
    return {"schema": ARTICLE_SCHEMA, **data}


def article_from_dict(data: dict[str, Any]) -> Article:
    schema = data.get("schema")
    if schema != ARTICLE_SCHEMA:
        raise SchemaError(f"article record has schema {schema!r}; this marsad reads {ARTICLE_SCHEMA!r}")
    body = {k: v for k, v in data.items() if k != "schema"}
    body["provenance"] = _from_plain(Provenance, body["provenance"])
    body["removed"] = [_from_plain(Removal, r) for r in body.get("removed", [])]
    body["sentences"] = [(int(s), int(e)) for s, e in body.get("sentences", [])]
    for name, cls in ANNOTATION_LISTS.items():
        body[name] = [_from_plain(cls, item) for item in body.get(name, [])]
    article = _from_plain(Article, body)
    check_offsets(article)
    return article


def check_offsets(article: Article) -> None:
    """Raise SchemaError if any span does not cover exactly its `text` in `article.text`."""
    text = article.text
    for s, e in article.sentences:
        if not 0 <= s <= e <= len(text):
            raise SchemaError(f"{article.id}: sentence [{s}, {e}) is out of bounds")
    for name in ANNOTATION_LISTS:
        for span in getattr(article, name):
            if text[span.start : span.end] != span.text:
                raise SchemaError(
                    f"{article.id}: {name} span [{span.start}, {span.end}) covers "
                    f"{text[span.start : span.end]!r}, not {span.text!r}"
                )


def article_to_json(article: Article) -> str:
    return json.dumps(article_to_dict(article), ensure_ascii=False, separators=(",", ":"))


def article_from_json(line: str) -> Article:
    return article_from_dict(json.loads(line))

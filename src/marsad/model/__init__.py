"""The typed model: `Article` and the stand-off annotations that components add to it."""

from marsad.model.article import Article, Provenance, Removal, document_id
from marsad.model.corpus import Claim, Contradiction, Entity, Event, MentionRef, Relation, Story
from marsad.model.serialize import (
    ARTICLE_SCHEMA,
    article_from_dict,
    article_from_json,
    article_to_dict,
    article_to_json,
    check_offsets,
    to_plain,
)
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

__all__ = [
    "ARTICLE_SCHEMA",
    "ActorRef",
    "Article",
    "Claim",
    "Contradiction",
    "Entity",
    "EntityMention",
    "Event",
    "EventDate",
    "EventMention",
    "MentionRef",
    "Provenance",
    "QuantityMention",
    "Quote",
    "Relation",
    "Removal",
    "Span",
    "Speaker",
    "Story",
    "TimeMention",
    "article_from_dict",
    "article_from_json",
    "article_to_dict",
    "article_to_json",
    "check_offsets",
    "document_id",
    "to_plain",
]

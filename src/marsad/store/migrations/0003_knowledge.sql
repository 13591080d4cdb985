-- marsad store, migration 0003: the knowledge base, in normalised tables.
--
-- Until 0002 the store held articles as JSON blobs and the report was built from them in memory,
-- for one run at a time. From 0003 the cross-document stage writes what it knows about the whole
-- store (linked entities, merged events, relations, lineage, stories, contradictions) and every
-- annotation with its offsets into these tables, and readers (report.json, the HTML site, the API,
-- search) query them. Each table keeps the indexed columns readers filter on and `record`, the
-- report record (REPORT.md) as JSON, so a reader streams rows without rebuilding anything.
--
-- Written by marsad.store.knowledge.KnowledgeTables.replace_knowledge in ONE transaction: a
-- killed corpus stage leaves the previous knowledge whole, and the next run rewrites it.
-- Never edit a shipped migration: add 0004_<what>.sql instead.

-- Every annotation of every analysed document: entity mentions, times, quantities, quotes.
-- `seq` orders a document's annotations of one kind by offset. `label` is what readers filter
-- on: the entity type, the time value, the quantity unit, the quote cue. `entity` is the
-- linked corpus entity of an entity mention or of a quote's speaker.
CREATE TABLE mentions (
    doc    TEXT    NOT NULL REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    kind   TEXT    NOT NULL CHECK (kind IN ('entity', 'time', 'quantity', 'quote')),
    seq    INTEGER NOT NULL,
    start  INTEGER NOT NULL,
    "end"  INTEGER NOT NULL,
    label  TEXT,
    entity TEXT,
    record TEXT    NOT NULL,
    PRIMARY KEY (doc, kind, seq)
);
CREATE INDEX mentions_kind_label ON mentions (kind, label);
CREATE INDEX mentions_entity ON mentions (entity, doc) WHERE entity IS NOT NULL;

-- Corpus entities (linked across documents). `record` holds everything but the mentions, which
-- are the `mentions` rows of kind 'entity' pointing here. `seq` is the order of first mention.
CREATE TABLE entities (
    id        TEXT    PRIMARY KEY NOT NULL,
    seq       INTEGER NOT NULL UNIQUE,
    type      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    country   TEXT,
    code      TEXT,
    documents INTEGER NOT NULL,
    record    TEXT    NOT NULL
);
CREATE INDEX entities_type ON entities (type, documents);
CREATE INDEX entities_name ON entities (name);

-- One row per real-world event (merged across its reports); its reports are event_reports.
CREATE TABLE events (
    id       TEXT    PRIMARY KEY NOT NULL,
    seq      INTEGER NOT NULL UNIQUE,
    type     TEXT    NOT NULL,
    day      TEXT,                               -- the event date's first day (YYYY-MM-DD) or NULL
    source   TEXT,                               -- actor codes, for filtering
    target   TEXT,
    location TEXT,                               -- the place's text
    story    TEXT,
    record   TEXT    NOT NULL
);
CREATE INDEX events_type ON events (type, day);
CREATE INDEX events_day ON events (day);
CREATE INDEX events_story ON events (story);

CREATE TABLE event_reports (
    event TEXT    NOT NULL REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    seq   INTEGER NOT NULL,
    doc   TEXT    NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (event, seq)
);
CREATE INDEX event_reports_doc ON event_reports (doc);

-- Relations between documents (copies, rewrites, same story), each stored once.
CREATE TABLE relations (
    seq    INTEGER NOT NULL UNIQUE,
    a      TEXT    NOT NULL,
    b      TEXT    NOT NULL,
    kind   TEXT    NOT NULL,
    score  REAL    NOT NULL,
    record TEXT    NOT NULL,
    PRIMARY KEY (a, b, kind)
);
CREATE INDEX relations_b ON relations (b);

-- Lineage: where each copy came from.
CREATE TABLE copies (
    doc    TEXT    PRIMARY KEY NOT NULL,
    seq    INTEGER NOT NULL UNIQUE,
    source TEXT    NOT NULL,
    origin TEXT    NOT NULL,
    kind   TEXT    NOT NULL,
    record TEXT    NOT NULL
);
CREATE INDEX copies_source ON copies (source);

CREATE TABLE contradictions (
    id     TEXT    PRIMARY KEY NOT NULL,
    seq    INTEGER NOT NULL UNIQUE,
    kind   TEXT    NOT NULL,
    label  TEXT    NOT NULL,
    story  TEXT,
    record TEXT    NOT NULL
);
CREATE INDEX contradictions_story ON contradictions (story);

CREATE TABLE contradiction_claims (
    contradiction TEXT    NOT NULL REFERENCES contradictions (id) DEFERRABLE INITIALLY DEFERRED,
    seq           INTEGER NOT NULL,
    doc           TEXT    NOT NULL,
    PRIMARY KEY (contradiction, seq)
);
CREATE INDEX contradiction_claims_doc ON contradiction_claims (doc);

-- A story's report record (summary, timeline, background, documents): rewritten with the rest of
-- the knowledge; the clustering state stays in `state`.
ALTER TABLE stories ADD COLUMN record TEXT;
-- Rank in the report: largest first, then most recently seen, then id (report.build._ranked_stories).
ALTER TABLE stories ADD COLUMN rank INTEGER;
CREATE INDEX stories_rank ON stories (rank);

-- Compact per-document features the corpus stage compares (corpus.similarity signatures),
-- computed once by the per-document map so the corpus stage does not re-read articles for them.
-- `version` names the encoding; a row of another version is recomputed, never misread.
CREATE TABLE doc_features (
    doc     TEXT    PRIMARY KEY NOT NULL REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    data    BLOB    NOT NULL
);

-- marsad store, migration 0001: articles, per-input outcomes, the quarantine view.
--
-- Applied by marsad.store.sqlite.SQLiteStore inside one transaction, statement by statement;
-- the version row in schema_migrations is written in the same transaction. Never edit a
-- shipped migration: add 0002_<what>.sql instead, so databases already at 0001 upgrade too.

-- One row per document (distinct clean text). The indexed columns repeat fields of the payload
-- so that listing and filtering do not have to parse JSON; `payload` (model.article_to_json) is
-- the source of truth and is what readers load. `created_at` is the insertion ordinal (readers
-- stream in this order); it is an explicit column because VACUUM may renumber implicit rowids.
CREATE TABLE articles (
    id          TEXT    PRIMARY KEY NOT NULL,
    created_at  INTEGER NOT NULL UNIQUE,
    external_id TEXT,
    source      TEXT    NOT NULL,
    outlet      TEXT,
    published   TEXT,
    language    TEXT,
    title       TEXT,
    stored_at   TEXT    NOT NULL,            -- UTC ISO 8601 time of the writing transaction
    fingerprint TEXT    NOT NULL,            -- the pipeline configuration that made the annotations
    payload     TEXT    NOT NULL             -- model.article_to_json(article)
);
CREATE INDEX articles_external_id ON articles (external_id);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_published ON articles (published);

-- One row per input (file, or record inside a container), whatever became of it, so that
-- inputs == stored + duplicates + filtered + quarantined holds and a rerun can skip known keys.
-- `doc` must name a stored article: deferred so a batch can insert its articles and outcomes in
-- either order within its transaction.
CREATE TABLE outcomes (
    key      TEXT    PRIMARY KEY NOT NULL,
    seq      INTEGER NOT NULL UNIQUE,        -- insertion ordinal
    source   TEXT    NOT NULL,
    status   TEXT    NOT NULL CHECK (status IN ('stored', 'duplicate', 'filtered', 'quarantined')),
    doc      TEXT    REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    reason   TEXT,
    language TEXT,
    CHECK (status NOT IN ('stored', 'duplicate') OR doc IS NOT NULL)
);
CREATE INDEX outcomes_status ON outcomes (status, seq);
CREATE INDEX outcomes_doc ON outcomes (doc);

-- Inputs that failed, with the reason a person can act on.
CREATE VIEW quarantine AS
    SELECT key, source, reason, language, seq
    FROM outcomes
    WHERE status = 'quarantined';

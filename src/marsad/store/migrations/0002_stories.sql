-- marsad store, migration 0002: story state, so that stories grow across runs with stable ids.
--
-- Written by marsad.corpus.stories through SQLiteStore.save_stories; read back by a later run so
-- that a new batch joins the stories already known and never renames them. Never edit a shipped
-- migration: add 0003_<what>.sql instead.

-- One row per story. `id` is "sty-" + a hash of `first_doc`, the document that opened it, so the
-- same documents give the same id on every run. `last_day` is `last_seen` cut to YYYY-MM-DD (NULL
-- when no member has a publication date) so that a run loads only the stories its time window can
-- reach. `state` is the clustering state as JSON (representatives, key profile, index keys): it is
-- what the next run needs and nothing else, and it is rewritten whole when the story changes.
CREATE TABLE stories (
    id         TEXT    PRIMARY KEY NOT NULL,
    seq        INTEGER NOT NULL UNIQUE,          -- creation ordinal: ties between stories break on it
    first_doc  TEXT    NOT NULL REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    title      TEXT    NOT NULL,
    first_seen TEXT,
    last_seen  TEXT,
    last_day   TEXT,
    size       INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    updated_at TEXT    NOT NULL                  -- UTC ISO 8601 time of the writing transaction
);
CREATE INDEX stories_last_day ON stories (last_day);

-- Membership: a document belongs to at most one story, for good (a rerun never moves it).
-- `score` and `reason` say why it joined (or that it opened the story).
CREATE TABLE story_members (
    doc    TEXT    PRIMARY KEY NOT NULL REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    story  TEXT    NOT NULL REFERENCES stories (id) DEFERRABLE INITIALLY DEFERRED,
    seq    INTEGER NOT NULL UNIQUE,              -- join ordinal: members list in this order
    score  REAL    NOT NULL,
    reason TEXT    NOT NULL
);
CREATE INDEX story_members_story ON story_members (story, seq);

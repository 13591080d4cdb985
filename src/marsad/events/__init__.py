"""PLOVER event coding from Arabic: `coder` (the `events` component), `plover` (the categories
and modes), `evaluate` (sentence-level scores against gold data); trigger, cue and role lexicons
live in `lexicons/` as data. Importing this package loads nothing; lexicons load in `initialize`.
"""

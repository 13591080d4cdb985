"""PLOVER event coding from Arabic, one sentence at a time.

`coder` is the `events` component; it runs `triggers` (trigger rows matched in a sentence, and
which of them are reports of their own), `modality` (negation, modality, metaphor, background),
`arguments` (source, target and location from the clause) over the `actors` of the sentence,
`dating` (the event date) and `record` (the EventMention with its reason). `sentence` holds the
typed records they pass (`Sentence`, `TriggerMatch`); `lexicon` loads the word knowledge kept as
data in `lexicons/`; `plover` lists the categories and modes. Scoring lives outside this package
(marsad.evaluation.events). Importing this package loads nothing; lexicons load in `initialize`.
"""

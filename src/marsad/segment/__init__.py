"""Sentences and clitic-aware tokens."""

from marsad.segment.sentences import split_sentences
from marsad.segment.tokens import Token, stems, tokenize

__all__ = ["Token", "split_sentences", "stems", "tokenize"]

"""Pure functions: clean text -> matching form with an offset map back."""

from marsad.normalize.text import (
    DEFAULT_OPTIONS,
    NormalizedText,
    NormalizeOptions,
    normalize,
    normalize_form,
)

__all__ = ["DEFAULT_OPTIONS", "NormalizeOptions", "NormalizedText", "normalize", "normalize_form"]

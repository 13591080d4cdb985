from __future__ import annotations

from typing import ClassVar

import pytest

from marsad.errors import PipelineError
from marsad.model import Article, Provenance
from marsad.pipeline import BaseComponent, Pipeline, available, register


def make(text: str) -> Article:
    return Article(id="t", text=text, provenance=Provenance(source="t", format="txt"))


@register("test-needs-tokens")
class NeedsTokens(BaseComponent):
    name = "test-needs-tokens"
    requires: ClassVar[tuple[str, ...]] = ("tokens",)

    def __call__(self, article: Article) -> Article:
        return article


@register("test-crashes")
class Crashes(BaseComponent):
    name = "test-crashes"

    def __call__(self, article: Article) -> Article:
        raise ValueError("boom")


def test_registry_lists_builtin_and_user_components():
    names = available()
    assert "normalize" in names and "test-crashes" in names


def test_pipeline_rejects_unknown_component_listing_valid_ones():
    with pytest.raises(PipelineError, match=r"unknown component 'nope'; available: .*normalize"):
        Pipeline(["nope"])


def test_pipeline_rejects_component_before_its_requirements():
    with pytest.raises(PipelineError, match="needs tokens"):
        Pipeline(["test-needs-tokens"])


def test_pipeline_names_the_failing_component_and_document():
    with pytest.raises(PipelineError, match=r"'test-crashes' failed on document t .*ValueError: boom"):
        Pipeline(["test-crashes"])(make("نص"))


def test_pipeline_normalize_sets_matching_form():
    art = Pipeline(["normalize"], {"normalize": {"diacritics": True}})(make("قالَ"))
    assert art.norm is not None and art.norm.text == "قال"


def test_default_pipeline_refuses_an_unknown_stage_instead_of_dropping_it():
    import pytest

    from marsad.errors import PipelineError
    from marsad.pipeline.runner import default_pipeline

    with pytest.raises(PipelineError, match="unknown component 'bogus'"):
        default_pipeline({"pipeline": {"stages": ["normalize", "bogus"]}})

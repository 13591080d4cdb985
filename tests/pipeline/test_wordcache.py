from marsad.pipeline.wordcache import lookup_words


def test_lookup_words_computes_each_new_form_once_and_stays_bounded():
    calls: list[str] = []

    def compute(word: str) -> int:
        calls.append(word)
        return len(word)

    cache: dict[str, int] = {}
    assert lookup_words(cache, ["قال", "إن", "قال"], compute, limit=10) == [3, 2, 3]
    assert sorted(calls) == ["إن", "قال"]
    assert lookup_words(cache, ["قال"], compute, limit=10) == [3] and len(calls) == 2
    lookup_words(cache, ["أ", "ب", "ت"], compute, limit=4)  # would pass the limit: cleared first
    assert set(cache) == {"أ", "ب", "ت"}

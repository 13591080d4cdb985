from __future__ import annotations

import pytest

from marsad.config import load_config
from marsad.errors import ConfigError


def test_config_defaults_document_every_stage():
    config = load_config(environ={})
    assert config["pipeline"]["stages"][:2] == ["normalize", "segment"]
    assert config["store"]["batch_size"] > 0


def test_config_layers_file_env_and_overrides(tmp_path):
    user = tmp_path / "marsad.toml"
    user.write_text("[store]\nbatch_size = 7\npath = 'user.db'\n", encoding="utf-8")
    config = load_config(user, overrides={"store.path": "cli.db"}, environ={"MARSAD__STORE__BATCH_SIZE": "9"})
    assert config["store"]["batch_size"] == 9  # environment beats the file
    assert config["store"]["path"] == "cli.db"  # command line beats everything


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"store.nope": "1"}, "unknown configuration key store.'nope'"),
        ({"nosection.key": "1"}, "unknown configuration key 'nosection'"),
        ({"store": "1"}, "is a section"),
    ],
)
def test_config_rejects_unknown_keys_with_the_valid_ones(overrides, message):
    with pytest.raises(ConfigError, match=message.replace("'", ".").replace("(", r"\(")):
        load_config(overrides=overrides, environ={})


def test_config_missing_user_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.toml", environ={})


def test_config_allowed_annotations_name_real_keys() -> None:
    from marsad.config import _allowed, defaults

    for dotted in _allowed():
        node = defaults()
        for part in dotted.split("."):
            node = node[part]  # KeyError: an "Allowed:" comment above no key of that name
    assert len(_allowed()) >= 20


def test_config_validation_names_key_and_allowed_values() -> None:
    with pytest.raises(ConfigError, match=r"corpus.story_threshold = 1.5 is out of range; allowed: 0..1"):
        load_config(overrides={"corpus.story_threshold": "1.5"}, environ={})
    with pytest.raises(ConfigError, match=r"normalize.alef must be true or false, got 'yes'"):
        load_config(overrides={"normalize.alef": "yes"}, environ={})

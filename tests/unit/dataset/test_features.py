"""The features declared without ``datasets`` are what ``datasets`` makes of them."""

from __future__ import annotations

import json

import pytest

from newscorpus.dataset.configs import CONFIGS, config_features, config_schema, config_spec, config_yaml
from newscorpus.dataset.features import feature_dict
from newscorpus.core.scheme import Label, Layer, default_scheme


def _other_scheme():
    base = default_scheme()
    multi_role = base.layer("discourse_role").model_copy(update={"cardinality": "multi"})
    single_frames = base.layer("frames").model_copy(update={"cardinality": "single"})
    tone = Layer(name="tone", level="sentence", source="tests", labels=(Label(name="calm", definition="c"),))
    swap = {"discourse_role": multi_role, "frames": single_frames}
    return base.model_copy(update={"layers": tuple(swap.get(layer.name, layer) for layer in base.layers) + (tone,)})


@pytest.mark.parametrize("scheme", [default_scheme(), _other_scheme()], ids=["default", "other"])
@pytest.mark.parametrize("config", CONFIGS)
def test_light_features_equal_datasets(config, scheme):
    features = config_features(config, scheme)
    schema = config_schema(config, scheme)
    assert schema == features.arrow_schema
    assert schema.metadata == features.arrow_schema.metadata  # the Parquet files carry it
    assert config_yaml(config, scheme) == features._to_yaml_list()  # the card's dataset_info
    assert json.dumps(feature_dict(config_spec(config, scheme))) == json.dumps(features.to_dict())
    assert list(config_spec(config, scheme)) == list(features)

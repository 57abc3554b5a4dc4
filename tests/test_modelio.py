"""The shipped models' fast-loading twins: the same model as the JSON, or not used at all."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from conftest import SEEDS
from presslab.modelio import load_tagger, save_twin, twin_path
from presslab.tagger import MODELS, Tagger


def _same(a: Tagger, b: Tagger) -> None:
    assert list(a.features.items()) == list(b.features.items())
    for name in ("weights", "trans", "start", "weights2", "trans2", "start2"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert x.dtype == y.dtype and np.array_equal(x, y), name
    for name in ("labels", "scheme", "meta", "lower_words"):
        assert getattr(a, name) == getattr(b, name), name
    assert a.gazetteer.phrases == b.gazetteer.phrases and a.gazetteer.words == b.gazetteer.words


@pytest.mark.parametrize("name", ["ner", "pos"])
def test_shipped_twin_is_current_and_the_same_model(name):
    path = MODELS / f"{name}.json.gz"
    assert twin_path(path) == MODELS / f"{name}.npz"
    from presslab.modelio import _load_twin

    twin = _load_twin(path, twin_path(path))
    assert twin is not None, f"{name}.npz is stale: run scripts/train_tagger.py or save_twin"
    _same(Tagger.load(path), twin)


def test_twin_tags_the_seed_as_the_json_model_does():
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    lines = [line.split() for line in text.splitlines() if line.split()]
    for name in ("ner", "pos"):
        path = MODELS / f"{name}.json.gz"
        json_model, twin = Tagger.load(path), load_tagger(path)
        tags = [twin.tag(tokens) for tokens in lines]
        assert tags == [json_model.tag(tokens) for tokens in lines]
        assert len({t for line in tags for t in line}) > 3  # it tags, not all "O"


def test_a_stale_or_broken_twin_is_not_read(tmp_path):
    path = tmp_path / "pos.json.gz"
    shutil.copyfile(MODELS / "pos.json.gz", path)
    twin = save_twin(path)
    assert twin == tmp_path / "pos.npz"
    assert save_twin(path).read_bytes() == twin.read_bytes()  # the same model, the same file
    model = Tagger.load(path)
    model.meta = {**model.meta, "note": "retrained"}
    model.save(path)  # the JSON changes; the twin does not
    assert load_tagger(path).meta["note"] == "retrained"
    twin.write_bytes(b"not a zip file")
    assert load_tagger(path).meta["note"] == "retrained"

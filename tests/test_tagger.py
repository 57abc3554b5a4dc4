"""The sequence tagger: label schemes, training on a tiny set, persistence, shipped models."""

from __future__ import annotations

import gzip
import itertools
import json
import sys

import numpy as np
import pytest
from conftest import EVAL_DIR, ROOT, load_cases
from presslab.tagger import (
    MODELS,
    Gazetteer,
    Tagger,
    bilou_from_spans,
    bilou_labels,
    entities,
    load_model,
    pos_tag,
    sentence_mode,
    spans_from_bilou,
)

CASES = load_cases("actors_tagger.yaml")


@pytest.mark.parametrize("case", CASES["entities"], ids=lambda c: c["text"][:40])
def test_entity_cases(case):
    if case.get("xfail"):
        pytest.xfail(case["xfail"])
    tokens = case["text"].split()
    found = {(" ".join(tokens[s:e]), t) for _, s, e, t in entities([tokens])}
    for surface, typ in case["expect"]:
        assert (surface, typ) in found, found
    for surface in case.get("absent", []):
        assert all(s != surface for s, _ in found), found


@pytest.mark.parametrize("case", CASES["pos"], ids=lambda c: c["text"][:40])
def test_pos_cases(case):
    tokens = case["text"].split()
    tags = pos_tag(tokens)
    assert len(tags) == len(tokens)
    for word, tag in case["expect"].items():
        assert tags[tokens.index(word)] == tag, list(zip(tokens, tags, strict=True))


def test_pos_tag_of_nothing():
    assert pos_tag([]) == []


def test_bilou_round_trip():
    spans = [(0, 2, "PER"), (3, 4, "LOC"), (4, 7, "ORG")]
    labels = bilou_from_spans(8, spans)
    assert labels[:4] == ["B-PER", "L-PER", "O", "U-LOC"]
    assert spans_from_bilou(labels) == spans


def test_sentence_modes():
    assert sentence_mode(["IRAN", "FIRES", "MISSILES", "AT", "ISRAEL"]) == "upper"
    assert sentence_mode(["Iran", "Fires", "Missiles", "at", "Israel", "Overnight"]) == "title"
    normal = ["Iran", "fired", "missiles", "at", "Israel", "overnight", "."]
    assert sentence_mode(normal) == "normal"


def test_gazetteer_takes_the_longest_capitalised_match():
    gaz = Gazetteer(phrases={"country": ["United States", "United Kingdom"], "city": ["York"]})
    assert gaz.match(["the", "United", "States", "and", "New", "York"]) == [
        None,
        "country-B",
        "country-I",
        None,
        None,
        "city-B",
    ]
    assert gaz.match(["united", "states"]) == [None, None]


def _tiny_corpus():
    # Invented sentences: enough for the perceptron to separate the two entity types.
    people = ["Anna Berg", "Tom Keller", "Maria Lund", "Omar Haddad"]
    places = ["Oslo", "Lyon", "Porto", "Tartu"]
    docs = []
    for i, (p, c) in enumerate(zip(people, places, strict=True)):
        toks = [*p.split(), "visited", c, "on", "Monday", "."]
        labels = bilou_from_spans(len(toks), [(0, 2, "PER"), (3, 4, "LOC")])
        toks2 = ["Officials", "in", c, "met", *p.split(), "."]
        labels2 = bilou_from_spans(len(toks2), [(2, 3, "LOC"), (4, 6, "PER")])
        docs.append([(toks, labels), (toks2, labels2)] * (1 + i % 2))
    return docs


@pytest.mark.parametrize("stacked", [False, True])
def test_train_save_load_round_trip(tmp_path, stacked):
    tagger = Tagger(bilou_labels(["PER", "LOC"]), "bilou", meta={"version": "test"})
    docs = _tiny_corpus()
    tagger.train(docs, epochs=5, stacked=stacked, folds=2)
    assert tagger.evaluate(docs)["f1"] == 1.0
    path = tmp_path / "m.json.gz"
    tagger.save(path)
    loaded = Tagger.load(path)
    sentences = [t for d in docs for t, _ in d]
    assert loaded.tag_doc(sentences) == tagger.tag_doc(sentences)
    assert loaded.meta == {"version": "test"}
    again = tmp_path / "again.json.gz"
    loaded.save(again)
    assert again.read_bytes() == path.read_bytes()  # saving is deterministic


@pytest.mark.parametrize("name", ["ner", "pos"])
def test_shipped_models_are_small_versioned_and_hold_no_sentences(name):
    path = MODELS / f"{name}.json.gz"
    assert path.stat().st_size < 4_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    meta = payload["meta"]
    for key in ("version", "train_sha256", "dev_score", "feature_set", "date"):
        assert meta.get(key), key
    assert meta["limit"] is None, "a model trained on a slice was committed"
    # Features are words and word pairs, never whole sentences.
    for stage in payload["stages"]:
        assert all(len(f.split()) <= 2 for f in stage["weights"])


@pytest.mark.skipif(
    not (EVAL_DIR / "conll2003" / "eng.train").exists(),
    reason="CoNLL-2003 is not in ../shared/eval (internal data, not in the repo)",
)
def test_training_script_runs_on_a_slice(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import train_tagger
    finally:
        sys.path.pop(0)
    code = train_tagger.main(
        [
            "--data-dir",
            str(EVAL_DIR / "conll2003"),
            "--out-dir",
            str(tmp_path),
            "--limit",
            "150",
            "--epochs",
            "1",
            "--quiet",
        ]
    )
    assert code == 0
    for name in ("ner", "pos"):
        model = Tagger.load(tmp_path / f"{name}.json.gz")
        assert model.meta["limit"] == 150 and model.meta["train_sha256"]
        assert len(model.tag(["Gallant", "visited", "Washington", "."])) == 4


def _words(text: str) -> list[str]:
    return text.split()


# Invented news sentences: a title-case headline, a dateline, figures, a hyphen, gazetteer names.
NEWS_DOC = [
    _words("Minister Warns Of Floods In New York After Storm"),
    _words(
        "NEW YORK ( Reuters ) - Environment Minister Jane Cole said on Monday that 1,200 homes "
        "were at risk ."
    ),
    _words("The state-run utility Con Edison cut power to about 300,000 customers in Brooklyn ."),
    _words("Montreal 3 Chicago 2"),
    [],
    _words("\u201c We will act , \u201d Cole told reporters in Albany ."),
]


def _reference_ids(tagger: Tagger, doc: list[list[str]]) -> tuple[list[int], list[int]]:
    """The feature ids of ``doc`` looked up one feature string at a time (unknown: the number
    of features), with each token's first position: what ``_doc_ids`` must return."""
    miss = len(tagger.features)
    expected: list[int] = []
    starts: list[int] = []
    for sentence in tagger.doc_features(doc):
        for feats in sentence:
            starts.append(len(expected))
            expected += [tagger.features.get(f, miss) for f in feats]
    return expected, starts


@pytest.mark.parametrize("name", ["ner", "pos"])
def test_feature_ids_are_those_of_the_feature_strings(name):
    # Scores are float32 sums, so the fast path must give the same ids in the same order.
    model = load_model(name)
    doc = model.truecase(NEWS_DOC)
    expected, starts = _reference_ids(model, doc)
    assert model._doc_ids(doc) == (expected, starts)
    assert sum(i != len(model.features) for i in expected) > 0.8 * len(expected)


def test_feature_ids_of_words_holding_the_separator():
    # Pair features are indexed by splitting their names at "|": a word holding "|" gives a
    # name with several splits, each of which must find it.
    doc = [["a|b", "c", "a", "b|c", "|", "X|Y", "Gallant"], ["a", "b|c"], ["Z"]]
    tagger = Tagger(["O"], gazetteer=Gazetteer(phrases={"city": ["x|y"]}, words={"w": ["c"]}))
    names = sorted({f for sent in tagger.doc_features(doc) for feats in sent for f in feats})
    tagger.features = {f: i for i, f in enumerate(names) if not f.startswith("w-1=")}
    assert tagger._doc_ids(doc) == _reference_ids(tagger, doc)


def test_second_stage_ids_are_those_of_the_feature_strings():
    model = load_model("ner")
    doc = model.truecase(NEWS_DOC)
    labels = model.tag_doc(doc)
    model._doc_tokens = doc
    miss = len(model.features)
    expected = [
        model.features.get(f, miss)
        for sentence in model._agg_features(labels)
        for feats in sentence
        for f in feats
    ]
    flat, starts = model._agg_doc_ids(labels)
    assert flat == expected and len(starts) == sum(map(len, doc))


def test_viterbi_finds_each_sentences_best_path():
    rng = np.random.default_rng(7)
    tagger = Tagger(["A", "B", "C"])
    trans, start = rng.normal(size=(3, 3)), rng.normal(size=3)
    scores = [rng.normal(size=(n, 3)).astype(np.float32) for n in (4, 1, 5, 3)]

    def total(sc, path):
        return (
            start[path[0]]
            + sum(float(sc[i, p]) for i, p in enumerate(path))
            + sum(trans[a, b] for a, b in itertools.pairwise(path))
        )

    paths = tagger._viterbi(scores, trans, start)
    for sc, path in zip(scores, paths, strict=True):
        best = max(itertools.product(range(3), repeat=len(sc)), key=lambda p: total(sc, p))
        assert path == list(best)
        # One sentence alone takes the unbatched path: the same best path.
        assert tagger._viterbi([sc], trans, start) == [path]


def test_loaded_weights_are_the_saved_ones():
    with gzip.open(MODELS / "ner.json.gz", "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    model = load_model("ner")
    for stage, weights in zip(payload["stages"], [model.weights, model.weights2], strict=True):
        for name, row in list(stage["weights"].items())[::997]:
            expected = np.zeros(len(model.labels), dtype=np.float32)
            for j, v in row.items():
                expected[int(j)] = v
            assert np.array_equal(weights[model.features[name]], expected), name
        assert not weights[-1].any()  # the row of unknown features

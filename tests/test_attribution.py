"""The learned attribution tagger: its file, its features, its inference and its grouping."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import EVAL_DIR
from presslab.actors import extract_mentions
from presslab.attribution import (
    FEATURES,
    FORMAT_VERSION,
    MODEL_PATH,
    TAGS,
    Model,
    Tokens,
    attributions,
    bio_labels,
    load_model,
    read_wordnet,
    sequences,
    tag_spans,
)
from presslab.corpus import article_from_text
from presslab.quotes import extract_quotes, tagger_input
from presslab.text import segment

WORDNET = Path("/usr/share/wordnet")


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


@pytest.fixture(scope="module")
def seed_tokens(seed_article, seed_doc) -> Tokens:
    return tagger_input(seed_article, seed_doc, extract_mentions(seed_article, seed_doc))


def test_model_file_is_what_presslab_reads(model):
    assert model.header["format"] == FORMAT_VERSION
    assert tuple(model.header["tags"]) == TAGS
    assert tuple(model.header["features"]) == FEATURES
    record = model.header["training"]
    assert len(record["data_sha256"]) == 64
    assert record["articles"] > 400  # PolNeAR's train split, every article
    agree, total = map(int, record["numpy_torch_tag_agreement"].split("/"))
    assert agree == total > 10_000
    assert "Princeton University" in model.header["licences"]["wordnet"]


def test_model_file_is_small_and_its_matrices_quantised():
    """Three networks in under 5 MB: word vectors kept in 6 bits a value and the other large
    matrices in 8 (an integer and a scale per row or column, attribution.quantise), computed
    in float32."""
    from presslab.attribution import EMBEDDING_BITS, MATRIX_BITS, PACKED_MIN

    assert MODEL_PATH.stat().st_size < 5_000_000
    with np.load(MODEL_PATH) as arrays:
        stored = {k: arrays[k] for k in arrays.files if k != "header"}
    packed = {k for k, v in stored.items() if v.dtype == np.int8}
    assert {"embed.word", "m2.embed.word", "lstm1.w_hh", "m1.lstm0.w_ih"} <= packed
    for name, value in stored.items():
        if name.endswith(".scale"):
            assert name.removesuffix(".scale") in packed and value.dtype == np.float32
        elif name not in packed:
            assert value.ndim == 1 or value.size < PACKED_MIN, name
    assert np.abs(stored["embed.word"]).max() == 2 ** (EMBEDDING_BITS - 1) - 1
    assert np.abs(stored["lstm0.w_ih"]).max() == 2 ** (MATRIX_BITS - 1) - 1
    # a scale per word of the table, and per output unit (column) of the LSTM's input matrix
    assert stored["embed.word.scale"].shape == (stored["embed.word"].shape[0], 1)
    assert stored["lstm0.w_ih.scale"].shape == (1, stored["lstm0.w_ih"].shape[1])
    assert all(w.dtype == np.float32 for w in load_model().w.values())


def test_quantise_is_close_and_keeps_what_it_rounded():
    """Each value is within half a step of its slice's scale; zero rows survive; quantising the
    dequantised matrix again gives the same integers and scales (the training script rounds
    its network once, and the file it saves holds exactly those values)."""
    from presslab.attribution import dequantise, quantise

    rng = np.random.default_rng(1)
    values = rng.normal(0.0, 0.3, (50, 64)).astype(np.float32)
    values[7] = 0.0
    for bits, axis in ((6, -1), (8, -2)):
        q, scale = quantise(values, bits, axis)
        assert q.dtype == np.int8 and np.abs(q).max() == 2 ** (bits - 1) - 1
        back = dequantise(q, scale)
        assert np.all(np.abs(back - values) <= scale * 0.5 + 1e-7)
        assert not back[7].any()
        again_q, again_scale = quantise(back, bits, axis)
        np.testing.assert_array_equal(again_q, q)
        np.testing.assert_array_equal(again_scale, scale)
    # 8 bits are finer than 6
    err6 = np.abs(dequantise(*quantise(values, 6, -1)) - values).mean()
    err8 = np.abs(dequantise(*quantise(values, 8, -1)) - values).mean()
    assert err8 < err6 / 3


def test_model_file_holds_no_training_text():
    """Vocabularies of single words and arrays: no sentence of PolNeAR is shipped."""
    with zipfile.ZipFile(MODEL_PATH) as archive:
        names = archive.namelist()
    assert all(n.endswith(".npy") for n in names)
    header = load_model().header
    for name, items in header["vocabularies"].items():
        assert all(" " not in item for item in items), name
    longest = max(len(w) for w in header["vocabularies"]["word"])
    assert longest < 40
    strings = json.dumps({k: v for k, v in header.items() if k != "licences"})
    assert "President Trump said" not in strings


def test_a_refused_format_names_the_difference(model):
    header = dict(model.header, format=FORMAT_VERSION + 1)
    with pytest.raises(ValueError, match="format"):
        Model(header, model.w)


def test_wordnet_supersenses_of_the_shipped_model(model):
    senses = model.senses
    assert senses.lemma("said", "verb") == "say"
    assert senses.lemma("warns", "verb") == "warn"
    assert senses.features("interjecting")[0] == "verb.communication"
    assert (
        senses.features("believes")[1].startswith("cognition")
        or "cognition" in senses.features("believes")[1]
    )
    assert senses.features("minister")[2] == "noun.person"
    assert senses.features("2024") == ("O", "O", "O")


@pytest.mark.skipif(
    not (WORDNET / "data.verb").exists(), reason="Debian's wordnet-base not installed"
)
def test_read_wordnet_gives_the_tables_the_model_carries(model):
    senses = read_wordnet(WORDNET)
    assert senses.verbs["say"][0] == "verb.communication"
    assert senses.exceptions["verb"]["said"] == "say"
    assert senses.to_json() == model.senses.to_json()


def test_bio_labels_mark_every_overlapped_token():
    spans = [(0, 3), (4, 9), (10, 12), (13, 18)]
    assert bio_labels(spans, [((4, 12), "CON"), ((13, 15), "CUE")]) == [
        "O",
        "B-CON",
        "I-CON",
        "B-CUE",
    ]
    # a span starting inside a token still marks it
    assert bio_labels(spans, [((6, 7), "X")]) == ["O", "B-X", "O", "O"]


def test_tag_spans_split_runs_at_each_b():
    tags = ["B-CON", "I-CON", "B-CON", "O", "I-CUE", "B-SRC"]
    assert tag_spans(tags) == [("CON", 0, 2), ("CON", 2, 3), ("CUE", 4, 5), ("SRC", 5, 6)]


def _tokens(words: list[str], sentence: list[int], paragraph: list[int]) -> Tokens:
    spans, at = [], 0
    for w in words:
        spans.append((at, at + len(w)))
        at += len(w) + 1
    none = ["O"] * len(words)
    return Tokens(
        spans, words, sentence, paragraph, ["body"] * len(words), none, none, none, none, none
    )


def test_attributions_group_a_split_quote_and_its_continuation():
    # “We won ,” said Kim . “ It was hard .” || “ Next year too .”
    words = ["“We", "won,”", "said", "Kim", ".", "“It", "was", "hard.”", "“Next", "year", "too.”"]
    sentence = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    paragraph = [0] * 8 + [1] * 3
    tags = [
        "B-CON",
        "I-CON",
        "B-CUE",
        "B-SRC",
        "O",
        "B-CON",
        "I-CON",
        "I-CON",
        "B-CON",
        "I-CON",
        "I-CON",
    ]
    tokens = _tokens(words, sentence, paragraph)
    found = attributions(tokens, tags)
    assert len(found) == 1
    (one,) = found
    assert one.cue == tokens.spans[2]
    assert one.source == tokens.spans[3]
    assert one.content == (
        (tokens.spans[0][0], tokens.spans[1][1]),
        (tokens.spans[5][0], tokens.spans[7][1]),
        (tokens.spans[8][0], tokens.spans[10][1]),
    )


def test_attributions_take_the_nearest_cue_in_the_sentence():
    # Kim said X . Lee claimed Y .
    words = ["Kim", "said", "taxes", "rose", ".", "Lee", "claimed", "wages", "fell", "."]
    sentence = [0] * 5 + [1] * 5
    tags = ["B-SRC", "B-CUE", "B-CON", "I-CON", "O", "B-SRC", "B-CUE", "B-CON", "I-CON", "O"]
    tokens = _tokens(words, sentence, [0] * 10)
    first, second = attributions(tokens, tags)
    assert (first.source, first.cue) == (tokens.spans[0], tokens.spans[1])
    assert (second.source, second.cue) == (tokens.spans[5], tokens.spans[6])
    assert second.content == ((tokens.spans[7][0], tokens.spans[8][1]),)


def test_sequences_are_paragraphs_cut_at_sentence_starts():
    n = 400
    sentence = [k // 40 for k in range(n)]
    tokens = _tokens(["w"] * n, sentence, [0] * 300 + [1] * 100)
    seqs = sequences(tokens)
    assert [(s.start, s.stop) for s in seqs] == [(0, 160), (160, 300), (300, 400)]


def test_batched_inference_equals_one_sequence_at_a_time(model, seed_tokens):
    """All of an article's sequences are run as one batch a step; each must be tagged as if
    alone (the padding of shorter ones never leaks into them)."""
    seqs = sequences(seed_tokens)
    assert len(seqs) > 10
    ids = model.feature_ids(seed_tokens)
    sentence = np.asarray(seed_tokens.sentence)
    together = model.viterbi(model.scores(ids, sentence, seqs), seqs)
    for seq in seqs:
        alone_ids = {k: v[seq.start : seq.stop] for k, v in ids.items()}
        whole = [range(len(seq))]
        alone = model.viterbi(model.scores(alone_ids, sentence[seq.start : seq.stop], whole), whole)
        assert list(alone) == list(together[seq.start : seq.stop])


def test_the_seed_tags_find_gallant_quoted(model, seed_article, seed_tokens):
    tags = model.tag(seed_tokens)
    assert len(tags) == len(seed_tokens.words)
    assert tags == model.tag(seed_tokens)  # the same input, the same tags
    found = model.attributions(seed_tokens)
    text = seed_article.text
    contents = [text[s:e] for att in found for s, e in att.content]
    assert any("Last night, Israel experienced" in c for c in contents)
    assert any("shoulder to shoulder" in c for c in contents)
    cues = {text[att.cue[0] : att.cue[1]] for att in found if att.cue}
    assert {"said", "continued", "noted", "concluded", "vowed"} <= cues
    sources = {text[att.source[0] : att.source[1]] for att in found if att.source}
    assert {"Israeli Defense Minister Yoav Gallant", "the defense minister", "he"} <= sources


@pytest.mark.skipif(not (EVAL_DIR / "polnear").exists(), reason="PolNeAR not in ../shared/eval")
def test_the_tagger_finds_more_than_the_rules_on_polnear_dev():
    """On the first 12 dev articles (never trained on), the learned attributions score a
    higher content F1 than the rules alone, with speakers as often right."""
    from presslab.evaluation.quotes import load_polnear, score

    gold = dict(list(load_polnear(EVAL_DIR, "dev").items())[:12])
    frames = {True: [], False: []}
    for article_id, (text, _) in gold.items():
        article = article_from_text(text, article_id)
        doc = segment(article)
        mentions = extract_mentions(article, doc)
        for learned in frames:
            frames[learned].append(extract_quotes(article, doc, mentions, learned=learned))
    scores = {
        learned: {r["metric"]: r["value"] for r in score(gold, pd.concat(dfs), "dev")}
        for learned, dfs in frames.items()
    }
    assert scores[True]["content_f1"] > scores[False]["content_f1"] + 0.01
    assert scores[True]["content_recall"] > scores[False]["content_recall"]
    assert scores[True]["speaker_accuracy"] > 0.8


def test_feature_ids_are_the_training_features_looked_up(model, seed_tokens):
    """Inference looks a word's features up once; training computes them token by token
    (token_features): the ids must be the same."""
    from presslab.attribution import token_features

    ids = model.feature_ids(seed_tokens)
    strings = token_features(seed_tokens, model.senses)
    for name in ("word", *FEATURES):
        want = [model.vocab[name].get(v, 1) for v in strings[name]]
        assert list(ids[name]) == want, name
    # a few words of the seed are unknown to the model, most are not
    unknown = float(np.mean(ids["word"] == 1))
    assert 0.0 < unknown < 0.2


def test_a_long_text_is_tagged_in_blocks_as_if_whole(model, seed_tokens, monkeypatch):
    """Blocks of sequences bound the memory on a long text; the tags are those of the
    article tagged in one piece."""
    import presslab.attribution as attribution

    whole = model.tag(seed_tokens)
    monkeypatch.setattr(attribution, "_BLOCK_TOKENS", 50)
    assert len(attribution._blocks(sequences(seed_tokens), 50)) > 10
    assert model.tag(seed_tokens) == whole


def _network(model: Model, k: int) -> Model:
    """Network ``k`` of a model, as a model of its own."""
    return Model({**model.header, "members": 1}, model.members[k])


@pytest.fixture(scope="module")
def seed_scores(model, seed_tokens):
    """A model's tag scores of the seed's tokens (read with the shipped vocabularies, which
    every network of these tests shares)."""
    ids = model.feature_ids(seed_tokens)
    sentence = np.asarray(seed_tokens.sentence)
    seqs = sequences(seed_tokens)
    return lambda m: m.scores(ids, sentence, seqs)


def test_the_shipped_model_is_the_mean_of_its_networks(model, seed_scores):
    assert len(model.members) == model.header["members"] == 3
    alone = [seed_scores(_network(model, k)) for k in range(3)]
    np.testing.assert_allclose(seed_scores(model), np.mean(alone, axis=0), atol=1e-4)
    # (three seeds, not one network thrice)
    assert not np.allclose(alone[0], alone[1], atol=1e-2)


def test_an_ensemble_of_three_is_the_mean_of_its_networks(model, seed_scores):
    """Three networks that differ in every weight (one of the shipped networks, and two copies
    with every array perturbed) step together through one batched recurrence: the ensemble's
    scores are the mean of each network's alone."""
    rng = np.random.default_rng(0)
    networks = [_network(model, 0)] + [
        Model(
            {**model.header, "members": 1},
            {k: v + rng.normal(0.0, 0.05, v.shape).astype(np.float32) for k, v in model.w.items()},
        )
        for _ in range(2)
    ]
    three = Model.ensemble(networks)
    assert len(three.members) == three.header["members"] == 3
    alone = [seed_scores(network) for network in networks]
    np.testing.assert_allclose(seed_scores(three), np.mean(alone, axis=0), atol=1e-4)
    # (the networks differ: not one network thrice)
    assert not np.allclose(alone[0], alone[1], atol=1e-2)


def test_an_ensemble_averages_its_networks_scores(model, seed_tokens, seed_scores, tmp_path):
    """Two networks' mean: of one network with itself, its own scores and tags; of a network
    and a perturbed copy, the mean of the two; saved and read back unchanged."""
    one = _network(model, 0)
    twice = Model.ensemble([one, one])
    assert len(twice.members) == 2 and twice.header["members"] == 2
    own = seed_scores(one)
    np.testing.assert_allclose(seed_scores(twice), own, rtol=1e-6, atol=1e-6)
    assert twice.tag(seed_tokens) == one.tag(seed_tokens)

    shifted = dict(one.w, **{"out.b": one.w["out.b"] + 1.0})
    other = Model(one.header, shifted)
    pair = Model.ensemble([one, other])
    np.testing.assert_allclose(seed_scores(pair), own + 0.5, rtol=1e-5, atol=1e-5)
    again = Model.load(pair.save(tmp_path / "pair.npz"))
    assert len(again.members) == 2
    np.testing.assert_array_equal(again.members[1]["out.b"], pair.members[1]["out.b"])
    assert again.tag(seed_tokens) == pair.tag(seed_tokens)


def test_an_ensemble_refuses_networks_of_other_vocabularies(model):
    one = _network(model, 0)
    vocabularies = dict(model.header["vocabularies"], word=["<pad>", "<unk>", "said"])
    other = Model(dict(one.header, vocabularies=vocabularies), one.w)
    with pytest.raises(ValueError, match="vocabularies differ"):
        Model.ensemble([one, other])


def test_load_model_reads_the_file_the_environment_names(model, tmp_path, monkeypatch):
    import presslab.attribution as attribution

    path = _network(model, 1).save(tmp_path / "mine.npz")
    monkeypatch.setenv(attribution.MODEL_ENV, str(path))
    load_model.cache_clear()
    try:
        assert len(load_model().members) == 1  # (the shipped file holds three networks)
        monkeypatch.setenv(attribution.MODEL_ENV, str(tmp_path / "missing.npz"))
        load_model.cache_clear()
        with pytest.raises(FileNotFoundError, match=r"missing\.npz"):
            load_model()
    finally:
        load_model.cache_clear()


@pytest.mark.skipif(not (EVAL_DIR / "polnear").exists(), reason="PolNeAR not in ../shared/eval")
def test_the_holdout_is_every_fifth_train_article_and_needs_a_holdout_model(capsys):
    """Settings are chosen on a fifth of train kept out of training; scoring it with a model
    trained on it is refused."""
    from presslab.evaluation.quotes import held_out, is_held_out, load_polnear, main

    train = load_polnear(EVAL_DIR, "train")
    kept = held_out(train)
    assert len(kept) == len(train) // 5
    assert list(kept) == [k for i, k in enumerate(train) if i % 5 == 4]
    assert [is_held_out(i) for i in range(6)] == [False] * 4 + [True, False]
    assert main(["--eval-dir", str(EVAL_DIR), "--split", "train", "--holdout"]) == 2
    assert "trained on the held-out articles" in capsys.readouterr().err

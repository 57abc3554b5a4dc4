"""Frames, article frame decisions, labels and evaluative words (presslab.framing)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import EVAL_DIR, MENTION_COLUMNS, ROOT, load_cases
from presslab import framing
from presslab.corpus import article_from_text
from presslab.schemas import SCHEMAS
from presslab.text import segment

FRAME_CASES = load_cases("framing_frames.yaml")
EVALUATIVE_CASES = load_cases("framing_evaluative.yaml")


def _frames_of(text: str) -> pd.DataFrame:
    art = article_from_text(text, "case")
    return framing.extract_frames(art, segment(art))


def test_codebook_has_the_frames_the_issue_names():
    book = framing.load_codebook()
    expected = {
        "conflict",
        "human_interest",
        "economic",
        "morality",
        "responsibility",
        "security_defence",
        "alliance_diplomacy",
        "threat_escalation",
        "humanitarian",
        "legality_legitimacy",
        "retaliation_deterrence",
    }
    assert set(book.frames) == expected
    for name, spec in book.frames.items():
        assert spec["definition"].strip(), name
        assert len(spec["cues"]) >= 10, name


def test_thresholds_are_calibrated_for_every_frame():
    rule = framing.load_thresholds()
    assert set(rule["frames"]) == set(framing.load_codebook().frames)
    assert all(rule["calibrated"][f] for f in framing.GENERIC_FRAMES)
    assert rule["min_sentences"] in (1, 2)


@pytest.mark.parametrize("case", FRAME_CASES, ids=[c["text"][:40] for c in FRAME_CASES])
def test_frame_cues(case):
    rows = _frames_of(case["text"])
    for frame, cue in (case.get("expect") or {}).items():
        assert cue in set(rows.loc[rows["frame"] == frame, "cue"]), (frame, rows)
    for frame in case.get("absent") or []:
        assert frame not in set(rows["frame"]), (frame, rows)


def test_inflections_and_longest_match():
    rows = _frames_of(
        "Critics accused the regime of escalating tensions; it vowed to exact a "
        "price from its enemies."
    )
    got = set(zip(rows["frame"], rows["cue"], strict=True))
    assert ("conflict", "accuse") in got and ("threat_escalation", "escalate") in got
    assert ("retaliation_deterrence", "exact a price") in got
    assert not any(f == "economic" for f, _ in got)  # "price" belongs to the phrase


def test_frames_offsets_contract(seed_article, seed_doc):
    rows = framing.extract_frames(seed_article, seed_doc)
    assert list(rows.columns) == SCHEMAS["frames"]
    assert len(rows) > 20
    for _, r in rows.iterrows():
        span = seed_article.text[r.start : r.end]
        assert (
            framing.compile_pattern(r.cue).match_at(
                [framing.base_forms(w) for w in span.split()], span.split(), 0
            )
            or " " not in span
        )
        sentence = seed_doc.sentences[r.sentence_id]
        assert sentence.start <= r.start < r.end <= sentence.end
        assert sentence.part in framing.COUNTED_PARTS


def test_seed_frame_profile(seed_article, seed_doc):
    rows = framing.extract_frames(seed_article, seed_doc)
    scored = framing.score_article_frames(rows, [seed_article]).set_index("frame")
    present = set(scored.index[scored["present"]])
    assert {"conflict", "security_defence", "alliance_diplomacy", "threat_escalation"} <= present
    assert not {"human_interest", "economic"} & present
    for frame in ("conflict", "security_defence", "alliance_diplomacy", "threat_escalation"):
        evidence = framing.frame_evidence(rows, seed_doc, frame)
        assert len(evidence) >= 2
        assert all(
            seed_article.text[s:e] == t
            for s, e, t in zip(evidence["start"], evidence["end"], evidence["text"], strict=True)
        )
    alliance = framing.frame_evidence(rows, seed_doc, "alliance_diplomacy")
    assert "shoulder to shoulder" in " ".join(alliance["cues"])


def test_score_rule_and_empty_input(seed_article):
    empty = pd.DataFrame(columns=SCHEMAS["frames"])
    scored = framing.score_article_frames(empty, [seed_article])
    assert list(scored.columns) == SCHEMAS["article_frames"]
    assert len(scored) == len(framing.load_codebook().frames)
    assert not scored["present"].any() and (scored["score"] == 0).all()
    # Same decision from the articles table as from Article objects (what the pipeline passes)
    rows = framing.extract_frames(seed_article, segment(seed_article))
    table = pd.DataFrame([{"article_id": seed_article.article_id, "n_words": 290}])
    rule = {"frames": {}, "default": 1.0, "min_sentences": 2}
    a = framing.score_article_frames(rows, table, thresholds=rule)
    security = rows[rows["frame"] == "security_defence"]
    expected = (
        sum(g["weight"].iloc[0] * len(g) ** 0.5 for _, g in security.groupby("cue")) / 2.9**0.5
    )
    assert a.loc[a["frame"] == "security_defence", "score"].item() == pytest.approx(
        expected, abs=1e-3
    )
    # a repeated cue counts with the square root of its count
    assert expected < security["weight"].sum() / 2.9**0.5


def test_labels_from_mentions(seed_article, seed_doc):
    text = seed_article.text
    start = text.index("the Islamic Republic")
    jewish = text.index("the Jewish state")
    mentions = pd.DataFrame(
        [
            ("a", start, start + 20, "the Islamic Republic", "iran", "state", "label", 6),
            ("a", jewish, jewish + 16, "the Jewish state", "israel", "state", "label", 9),
            ("a", 0, 7, "Gallant", "yoav-gallant", "person", "name", 0),
            ("a", 10, 12, "he", "yoav-gallant", "person", "pronoun", 0),
        ],
        columns=MENTION_COLUMNS,
    )
    labels = framing.extract_labels(seed_article, seed_doc, mentions)
    assert list(labels.columns) == SCHEMAS["labels"]
    assert list(labels["label"]) == ["the Islamic Republic", "the Jewish state", "Gallant"]
    assert all(
        text[s:e] == lab
        for s, e, lab in zip(labels["start"], labels["end"], labels["label"], strict=True)
    )
    counts = framing.label_counts(labels)
    assert counts.loc[counts["actor_id"] == "iran", "label"].item() == "Islamic Republic"
    # outlets come from the articles table as read from CSV (missing values are pd.NA)
    articles = pd.DataFrame({"article_id": ["a"], "outlet": pd.array([None], dtype="string")})
    assert set(framing.label_counts(labels, articles)["outlet"]) == {""}


def test_seed_labels_from_the_pipeline(seed_tables):
    labels = seed_tables["labels"]
    if labels.empty:
        pytest.skip("the actors extractor provides no label mentions yet")
    by_actor = labels.groupby("actor_id")["label"].apply(set)
    assert "the Islamic Republic" in by_actor.get("iran", set())
    assert "the Jewish state" in by_actor.get("israel", set())


@pytest.mark.parametrize("case", EVALUATIVE_CASES, ids=[c["text"][:40] for c in EVALUATIVE_CASES])
def test_evaluative(case):
    art = article_from_text(case["text"], "case")
    rows = framing.extract_evaluative(art, segment(art))
    assert dict(zip(rows["word"].str.lower(), rows["category"], strict=True)) == case["expect"]
    assert all(
        art.text[s:e] == w for s, e, w in zip(rows["start"], rows["end"], rows["word"], strict=True)
    )


def test_seed_evaluative(seed_article, seed_doc):
    rows = framing.extract_evaluative(seed_article, seed_doc)
    words = set(zip(rows["word"], rows["category"], strict=True))
    assert {
        ("unprecedented", "magnitude"),
        ("dramatic", "magnitude"),
        ("serious", "severity"),
    } <= words


def test_calibration_script(tmp_path):
    if not (EVAL_DIR / "narrative-frames-climate").exists():
        pytest.skip("../shared/eval/narrative-frames-climate is absent (internal data)")
    import runpy
    import sys

    out = tmp_path / "thresholds.json"
    argv = sys.argv
    sys.argv = ["calibrate_frames.py", "--eval-dir", str(EVAL_DIR), "--out", str(out)]
    try:
        with pytest.raises(SystemExit) as done:
            runpy.run_path(str(ROOT / "scripts" / "calibrate_frames.py"), run_name="__main__")
    finally:
        sys.argv = argv
    assert done.value.code == 0
    fresh = json.loads(out.read_text())
    # The shipped file is what the script writes for the shipped codebook.
    shipped = framing.load_thresholds()["frames"]
    assert fresh["frames"] == pytest.approx(shipped, abs=0.01)


def test_notebook_views_on_the_written_tables(seed_tables, seed_article):
    """The corpus views 03_framing shows, on tables read back from CSV."""
    matrix = framing.frame_matrix(seed_tables["article_frames"])
    assert matrix.shape == (1, len(framing.load_codebook().frames))
    evidence = framing.evidence_table(
        seed_tables["frames"],
        seed_tables["article_frames"],
        seed_tables["sentences"],
        {seed_article.article_id: seed_article.text},
    )
    present = seed_tables["article_frames"]
    present = set(present.loc[present["present"].astype(bool), "frame"])
    assert set(evidence["frame"]) == present
    assert evidence.groupby("frame").size().max() <= 3
    for start, end, text in zip(evidence["start"], evidence["end"], evidence["text"], strict=True):
        assert text and seed_article.text[int(start) : int(end)] == text
    by_actor = framing.tone_by_actor(seed_tables["tone"], seed_tables["actors"])
    assert {"iran", "israel", "yoav-gallant"} <= set(by_actor["actor_id"])
    assert by_actor["n_sentences"].is_monotonic_decreasing
    counts = framing.label_counts(seed_tables["labels"], seed_tables["articles"])
    iran = set(counts.loc[counts["actor_id"] == "iran", "label"])
    assert {"Iran", "Islamic Republic"} <= iran


def _all_cue_matches(article, doc, codebook):
    """Every place any cue matches, by testing every cue at every token (the slow way)."""
    text = article.text
    out = set()
    for sentence in framing.counted_sentences(doc):
        words = [text[s:e] for s, e in sentence.tokens]
        forms = [framing.base_forms(w) for w in words]
        for cue in codebook.cues:
            if cue.context or cue.unless:
                continue
            for i in range(len(words)):
                if cue.pattern.match_at(forms, words, i):
                    last = sentence.tokens[i + len(cue.pattern.parts) - 1]
                    out.add(
                        (
                            sentence.sentence_id,
                            cue.frame,
                            cue.pattern.text,
                            sentence.tokens[i][0],
                            last[1],
                        )
                    )
    return out


@pytest.mark.parametrize("which", ["seed", "written"])
def test_frames_are_exactly_the_longest_cue_matches(which, seed_article, seed_doc):
    if which == "seed":
        art, doc = seed_article, seed_doc
    else:
        art = article_from_text(
            "Economists warn of £3bn gap\n\n"
            "The ECONOMY shrank as militarised borders hurt trade, economists said. "
            "Two children were hurt; the army's polarised general spoke of theology, while €40m "
            "in military aid was debated. Economical and polarising, the econometrics team left.",
            "written",
        )
        doc = segment(art)
    codebook = framing.load_codebook()
    rows = framing.extract_frames(art, doc)
    got = set(zip(rows.sentence_id, rows.frame, rows.cue, rows.start, rows.end, strict=True))
    matches = _all_cue_matches(art, doc, codebook)
    conditional = {c.pattern.text for c in codebook.cues if c.context or c.unless}
    # every row is a cue match (conditional cues are checked by their own cases)
    assert {g for g in got if g[2] not in conditional} <= matches
    for sid, frame, cue, start, end in matches:
        kept = (sid, frame, cue, start, end) in got
        longer = any(g[3] <= start and end <= g[4] and g[4] - g[3] > end - start for g in got)
        same_span_same_frame = any(g[1] == frame and (g[3], g[4]) == (start, end) for g in got)
        assert kept or longer or same_span_same_frame, (frame, cue, art.text[start:end])
    if which == "written":
        cues = {g[2] for g in got}
        assert {"econom*", "re:^[$£€]", "militar*", "theolog*", "polarise*"} <= cues

"""Train presslab's attribution tagger (:mod:`presslab.attribution`) on PolNeAR's train split.

    python scripts/train_attribution.py [--eval-dir ../shared/eval] [--wordnet /usr/share/wordnet]
                                        [--out lib/presslab/models/attribution.npz]
                                        [--encoder lstm|cnn] [--hidden 128] [--layers 2]
                                        [--epochs 8] [--seed 0] [--members 3] [--holdout]

Needs PyTorch (``pip install -e '.[train]'``; ``make train`` does both) and WordNet
3.0's dictionary files (Debian: ``apt-get install wordnet-base``). Presslab itself never needs
either: the file written holds NumPy arrays, the vocabularies and the WordNet tables the
features use, and a record of how it was made (the sha256 of the training files, the settings,
the loss of every epoch), never a sentence of the training text.

Every article goes through presslab's own pipeline (:func:`presslab.quotes.tagger_input`), so
the model learns from the tokens and rule outputs it will see at run time. The gold tags are
PolNeAR's Source/Cue/Content spans as ``B-``/``I-`` runs. Nothing is chosen on the dev split:
the settings were fixed on a held-out fifth of train (DESIGN.md, "Quotes") and the last
epoch's weights (exponential moving average) are kept; ``make eval`` then scores dev.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import platform
import random
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch
from presslab.actors import extract_mentions
from presslab.attribution import (
    FEATURES,
    FORMAT_VERSION,
    MODEL_PATH,
    TAGS,
    Model,
    WordSenses,
    dequantise,
    is_packed,
    quantise,
    read_wordnet,
    sequences,
    stored_bits,
    token_features,
)
from presslab.corpus import article_from_text
from presslab.evaluation.quotes import POLNEAR_DIR, is_held_out, load_polnear
from presslab.quotes import tagger_input
from presslab.text import segment
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
#: a feature value seen fewer times in training is unknown (index 1) to the model
MIN_COUNT = 2
WORD_DROPOUT = 0.05
BATCH = 32
#: settings added after the first shipped model, recorded only when used (so that retraining
#: with the old settings reproduces the old file byte for byte)
_LATER_DEFAULTS = {"holdout": False, "members": 1, "outside_bias": 0.0}

_SENSES: WordSenses | None = None


def _init(senses: WordSenses) -> None:
    global _SENSES
    _SENSES = senses


def gold_tags(spans: list[tuple[int, int]], golds: list) -> list[str]:
    """PolNeAR's roles as tags: every token a gold span overlaps takes its role, runs of one
    role of one attribution are one ``B-``/``I-`` run (a later attribution overwrites)."""
    import bisect

    role = ["O"] * len(spans)
    owner = [-1] * len(spans)
    starts = [s for s, _ in spans]
    for a, gold in enumerate(golds):
        for name, parts in (("SRC", gold.source), ("CUE", gold.cue), ("CON", gold.content)):
            for s, e in parts:
                k = max(bisect.bisect_left(starts, s) - 1, 0)
                while k < len(spans) and spans[k][0] < e:
                    if min(spans[k][1], e) > max(spans[k][0], s):
                        role[k], owner[k] = name, a
                    k += 1
    tags = []
    for k in range(len(spans)):
        if role[k] == "O":
            tags.append("O")
        elif k and (role[k - 1], owner[k - 1]) == (role[k], owner[k]):
            tags.append("I-" + role[k])
        else:
            tags.append("B-" + role[k])
    return tags


def featurise(item: tuple[str, str, list]) -> dict:
    """One article's features, sequences and gold tags (runs in a worker)."""
    article_id, text, golds = item
    article = article_from_text(text, article_id)
    if article.text != text:
        raise RuntimeError(f"PolNeAR {article_id}: the loader changed the text")
    doc = segment(article)
    tokens = tagger_input(article, doc, extract_mentions(article, doc))
    assert _SENSES is not None
    return {
        "id": article_id,
        "features": token_features(tokens, _SENSES),
        "sequences": [(s.start, s.stop) for s in sequences(tokens)],
        "tags": gold_tags(list(tokens.spans), golds),
    }


class Vocabulary:
    def __init__(self, counts: Counter, min_count: int) -> None:
        self.items = ["<pad>", "<unk>", *sorted(w for w, c in counts.items() if c >= min_count)]
        self.index = {w: i for i, w in enumerate(self.items)}

    def ids(self, values: list[str]) -> list[int]:
        return [self.index.get(v, 1) for v in values]


class Network(nn.Module):
    """Embeddings, a BiLSTM or dilated-CNN encoder, tag scores and a linear-chain CRF, laid out
    as :class:`presslab.attribution.Model` reads them (see :func:`export`)."""

    def __init__(self, sizes: dict[str, int], args: argparse.Namespace) -> None:
        super().__init__()
        self.args = args
        self.embed = nn.ModuleDict(
            {
                name: nn.Embedding(
                    sizes[name],
                    args.word_dim if name == "word" else args.feature_dim,
                    padding_idx=0,
                )
                for name in ("word", *FEATURES)
            }
        )
        width = args.word_dim + args.feature_dim * len(FEATURES)
        self.drop = nn.Dropout(args.dropout)
        if args.encoder == "lstm":
            self.lstm = nn.LSTM(
                width,
                args.hidden,
                num_layers=args.layers,
                bidirectional=True,
                batch_first=True,
                dropout=args.dropout if args.layers > 1 else 0.0,
            )
            self.out = nn.Linear(2 * args.hidden, len(TAGS))
        else:
            self.proj = nn.Linear(width, args.hidden)
            self.convs = nn.ModuleList(
                nn.Conv1d(args.hidden, args.hidden, 3, padding=d, dilation=d)
                for d in args.dilations
            )
            self.mix = nn.Linear(3 * args.hidden, args.hidden)
            self.out = nn.Linear(args.hidden, len(TAGS))
        self.transitions = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
        self.start = nn.Parameter(torch.zeros(len(TAGS)))
        # I-X follows only B-X or I-X; a sequence never starts with I-
        allowed = torch.tensor(
            [[not b.startswith("I-") or (a != "O" and a[2:] == b[2:]) for b in TAGS] for a in TAGS]
        )
        self.register_buffer("allowed", allowed)
        self.register_buffer("start_ok", torch.tensor([not t.startswith("I-") for t in TAGS]))

    def crf(self) -> tuple[torch.Tensor, torch.Tensor]:
        return (
            self.transitions.masked_fill(~self.allowed, -1e4),
            self.start.masked_fill(~self.start_ok, -1e4),
        )

    def emissions(
        self, ids: dict[str, torch.Tensor], mask: torch.Tensor, sentence: torch.Tensor
    ) -> torch.Tensor:
        x = torch.cat([self.embed[name](ids[name]) for name in ("word", *FEATURES)], -1)
        x = self.drop(x)
        lengths = mask.sum(1).long()
        if self.args.encoder == "lstm":
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lengths, batch_first=True, enforce_sorted=False
            )
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))
        m = mask.unsqueeze(1)
        h = torch.relu(self.proj(x)).transpose(1, 2) * m
        for conv in self.convs:
            h = (h + torch.relu(conv(self.drop(h)))) * m
        h = h.transpose(1, 2)
        # (after relu every value is >= 0, so the zeros of padding never win a max)
        b, n, c = h.shape
        paragraph = h.max(1, keepdim=True).values.expand_as(h)
        index = sentence.unsqueeze(2).expand(b, n, c)
        sent = torch.zeros(b, int(sentence.max()) + 1, c).scatter_reduce(1, index, h, "amax")
        sent = sent.gather(1, index)
        return self.out(h + torch.relu(self.mix(self.drop(torch.cat([h, sent, paragraph], -1)))))

    def nll(self, scores: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The CRF's negative log-likelihood of the gold tags, summed over the batch."""
        trans, start = self.crf()
        gold = start[tags[:, 0]] + (scores.gather(2, tags.unsqueeze(2)).squeeze(2) * mask).sum(1)
        gold = gold + (trans[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]).sum(1)
        alpha = start + scores[:, 0]
        for t in range(1, scores.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + trans, dim=1) + scores[:, t]
            alpha = torch.where(mask[:, t : t + 1].bool(), step, alpha)
        return (torch.logsumexp(alpha, 1) - gold).sum()


def encode(articles: list[dict], vocabularies: dict[str, Vocabulary]) -> list[dict]:
    out = []
    for art in articles:
        ids = {name: vocabularies[name].ids(art["features"][name]) for name in ("word", *FEATURES)}
        tags = [TAGS.index(t) for t in art["tags"]]
        sentence = art["sentence"]
        for a, b in art["sequences"]:
            out.append(
                {
                    "ids": {name: v[a:b] for name, v in ids.items()},
                    "tags": tags[a:b],
                    "sentence": [s - sentence[a] for s in sentence[a:b]],
                }
            )
    return out


def batches(seqs: list[dict], rng: random.Random):
    """Batches of sequences of similar length (fewer padded CRF steps), in random order."""
    order = list(range(len(seqs)))
    rng.shuffle(order)
    order.sort(key=lambda k: len(seqs[k]["tags"]) // 8 + rng.random())
    groups = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    rng.shuffle(groups)
    for group in groups:
        chunk = [seqs[k] for k in group]
        longest = max(len(c["tags"]) for c in chunk)
        ids = {name: torch.zeros(len(chunk), longest, dtype=torch.long) for name in chunk[0]["ids"]}
        tags = torch.zeros(len(chunk), longest, dtype=torch.long)
        mask = torch.zeros(len(chunk), longest)
        sentence = torch.zeros(len(chunk), longest, dtype=torch.long)
        for b, c in enumerate(chunk):
            n = len(c["tags"])
            for name, values in c["ids"].items():
                ids[name][b, :n] = torch.tensor(values)
            tags[b, :n] = torch.tensor(c["tags"])
            mask[b, :n] = 1
            sentence[b, :n] = torch.tensor(c["sentence"])
            sentence[b, n:] = c["sentence"][-1]
        yield ids, tags, mask, sentence


def export(
    net: Network, vocabularies: dict[str, Vocabulary], senses: WordSenses, record: dict
) -> Model:
    """The trained network as presslab's NumPy model."""
    args = net.args
    state = {k: v.detach().float().numpy() for k, v in net.state_dict().items()}
    weights = {f"embed.{name}": state[f"embed.{name}.weight"] for name in ("word", *FEATURES)}
    if args.encoder == "lstm":
        for layer in range(args.layers):
            fwd, bwd = f"lstm.weight_ih_l{layer}", f"lstm.weight_ih_l{layer}_reverse"
            weights[f"lstm{layer}.w_ih"] = np.concatenate((state[fwd].T, state[bwd].T), axis=1)
            weights[f"lstm{layer}.b"] = np.concatenate(
                (
                    state[f"lstm.bias_ih_l{layer}"] + state[f"lstm.bias_hh_l{layer}"],
                    state[f"lstm.bias_ih_l{layer}_reverse"]
                    + state[f"lstm.bias_hh_l{layer}_reverse"],
                )
            )
            weights[f"lstm{layer}.w_hh"] = np.stack(
                (state[f"lstm.weight_hh_l{layer}"].T, state[f"lstm.weight_hh_l{layer}_reverse"].T)
            )
    else:
        weights["cnn.proj.w"] = state["proj.weight"].T
        weights["cnn.proj.b"] = state["proj.bias"]
        for layer in range(len(args.dilations)):
            # Conv1d weight (out, in, 3) -> taps (3, in, out)
            weights[f"cnn.conv{layer}.w"] = state[f"convs.{layer}.weight"].transpose(2, 1, 0)
            weights[f"cnn.conv{layer}.b"] = state[f"convs.{layer}.bias"]
        weights["cnn.mix.w"] = state["mix.weight"].T
        weights["cnn.mix.b"] = state["mix.bias"]
    weights["out.w"] = state["out.weight"].T
    weights["out.b"] = state["out.bias"]
    trans, start = net.crf()
    weights["crf.transitions"] = trans.detach().numpy()
    weights["crf.start"] = start.detach().numpy()
    header = {
        "format": FORMAT_VERSION,
        "features": list(FEATURES),
        "tags": list(TAGS),
        "encoder": args.encoder,
        "hidden": args.hidden,
        "layers": args.layers,
        "dilations": list(args.dilations),
        "tag_bias": {"O": args.outside_bias},
        "vocabularies": {name: v.items for name, v in vocabularies.items()},
        "wordnet": senses.to_json(),
        "training": record,
        "licences": {
            "wordnet": (
                "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. "
                "Permission to use, copy, modify and distribute this software and database and "
                "its documentation for any purpose and without fee or royalty is hereby "
                "granted, provided that you agree to comply with the following copyright notice "
                "and statements, including the disclaimer, and that the same appear on ALL "
                "copies of the software, database and documentation, including modifications "
                "that you make for internal use or for distribution. THIS SOFTWARE AND "
                'DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO '
                "REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name of Princeton "
                "University or Princeton may not be used in advertising or publicity "
                "pertaining to distribution of the software and/or database."
            ),
            "weights": "trained on PolNeAR (Newell, Margolin and Ruths 2018), train split",
        },
    }
    return Model(header, {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()})


def _round_to_stored_precision(net: Network) -> None:
    """Round the matrices the model file stores as integers and scales (attribution.quantise,
    the same rows and columns as :meth:`Model.save` in PyTorch's layout), so that the network
    checked against NumPy is the one written. Values pass through half precision first, as
    format 1 stored them: a network trained before converts to the file retraining gives."""
    with torch.no_grad():
        for name, value in net.state_dict().items():
            # (the LSTM's biases are summed on export: they stay float32, as stored)
            if value.dtype.is_floating_point and is_packed(tuple(value.shape)):
                q, scale = quantise(
                    value.half().float().numpy(),
                    stored_bits(name),
                    # PyTorch keeps embeddings (words, dims), weights (out, in) and Conv1d
                    # (out, in, taps): a scale per word, or per output unit, as in the file
                    axis=1 if value.dim() == 3 else -1,
                )
                value.copy_(torch.from_numpy(dequantise(q, scale)))


def _sha256_of_files(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def train_network(
    seqs: list[dict], vocabularies: dict, args: argparse.Namespace, seed: int, n_tokens: int
) -> tuple[Network, list[float]]:
    """One network trained from ``seed``: its moving-average weights, rounded as stored, and
    the loss of every epoch."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    net = Network({k: len(v.items) for k, v in vocabularies.items()}, args)
    optimiser = torch.optim.Adam(net.parameters(), lr=args.learning_rate)
    half = args.epochs // 2
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda e: 1.0 if e < half else 0.5 ** (e - half + 1)
    )
    average = copy.deepcopy(net.state_dict())
    losses = []
    for epoch in range(args.epochs):
        net.train()
        started, total = time.time(), 0.0
        for ids, tags, mask, sentence in batches(seqs, rng):
            # unknown-word behaviour: a few known words are read as unknown
            words = ids["word"]
            ids["word"] = torch.where(
                (torch.rand(words.shape) < WORD_DROPOUT) & (words > 0), 1, words
            )
            scores = net.emissions(ids, mask, sentence)
            # a sequence cut inside a span starts with I-: score it as B-
            first = tags[:, 0]
            tags[:, 0] = torch.where((first > 0) & (first % 2 == 0), first - 1, first)
            loss = net.nll(scores, tags, mask)
            optimiser.zero_grad()
            (loss / mask.sum()).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimiser.step()
            total += loss.item()
            with torch.no_grad():
                for key, value in net.state_dict().items():
                    if value.dtype.is_floating_point:
                        average[key].mul_(args.ema).add_(value, alpha=1 - args.ema)
        schedule.step()
        losses.append(round(total / n_tokens, 5))
        print(f"epoch {epoch}: loss {losses[-1]:.4f} ({time.time() - started:.0f}s)", flush=True)
    net.load_state_dict(average)
    net.eval()
    _round_to_stored_precision(net)
    return net, losses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--encoder", choices=["lstm", "cnn"], default="lstm")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--dilations", default="1,2,4,8", help="cnn only")
    parser.add_argument("--word-dim", type=int, default=64)
    parser.add_argument("--feature-dim", type=int, default=8)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument(
        "--ema", type=float, default=0.998, help="decay of the weights' moving average"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--outside-bias",
        type=float,
        default=-0.1,
        help="added to the score of O when decoding (chosen on the held-out fifth: 0, -0.05, "
        "-0.1, -0.15 gave content F1 0.827, 0.829, 0.832, 0.830)",
    )
    parser.add_argument(
        "--members",
        type=int,
        default=3,
        help="networks trained from seeds seed, seed+1, …; their scores are averaged",
    )
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="leave out every fifth article (scored by `python -m presslab.evaluation.quotes "
        "--split train --holdout`): how settings are chosen without dev",
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="train on the first N articles (smoke runs)"
    )
    args = parser.parse_args(argv)
    args.dilations = [int(d) for d in args.dilations.split(",")]
    if not (args.wordnet / "data.verb").exists():
        print(
            f"error: no WordNet dictionary in {args.wordnet} (apt-get install wordnet-base)",
            file=sys.stderr,
        )
        return 2
    senses = read_wordnet(args.wordnet)
    gold = load_polnear(args.eval_dir, "train")
    items = [
        (aid, text, golds)
        for position, (aid, (text, golds)) in enumerate(gold.items())
        if not (args.holdout and is_held_out(position))
    ]
    if args.limit:
        items = items[: args.limit]
    started = time.time()
    with Pool(2, initializer=_init, initargs=(senses,)) as pool:
        articles = pool.map(featurise, items, chunksize=8)
    for art in articles:
        # (sentence numbers, for the CNN's sentence pooling, from the sequences' first-of flags)
        art["sentence"] = list(np.cumsum([f == "True" for f in art["features"]["first"]]) - 1)
    n_tokens = sum(len(a["tags"]) for a in articles)
    print(
        f"{len(articles)} articles, {n_tokens} tokens featurised in {time.time() - started:.0f}s",
        flush=True,
    )
    vocabularies = {
        name: Vocabulary(Counter(v for a in articles for v in a["features"][name]), MIN_COUNT)
        for name in ("word", *FEATURES)
    }
    seqs = encode(articles, vocabularies)
    nets, losses = [], []
    for member in range(args.members):
        if args.members > 1:
            print(f"network {member + 1} of {args.members} (seed {args.seed + member})")
        net, member_losses = train_network(seqs, vocabularies, args, args.seed + member, n_tokens)
        nets.append(net)
        losses.append(member_losses)
    polnear_train = Path(args.eval_dir) / POLNEAR_DIR / "train"
    record = {
        "data": "PolNeAR train split (first annotator each article)",
        "data_sha256": _sha256_of_files(polnear_train),
        "articles": len(articles),
        "tokens": n_tokens,
        "epoch_loss": losses[0] if args.members == 1 else losses,
        "settings": {
            k: v
            for k, v in sorted(vars(args).items())
            if k not in ("eval_dir", "wordnet", "out") and _LATER_DEFAULTS.get(k) != v
        },
        "min_count": MIN_COUNT,
        "word_dropout": WORD_DROPOUT,
        "batch": BATCH,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "wordnet_sha256": hashlib.sha256((args.wordnet / "data.verb").read_bytes()).hexdigest(),
    }
    model = Model.ensemble([export(net, vocabularies, senses, record) for net in nets])
    agree, total = parity(nets, model, seqs[:300])
    model.header["training"]["numpy_torch_tag_agreement"] = f"{agree}/{total}"
    print(f"NumPy and PyTorch agree on {agree} of {total} tags", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    # the file must read back as the network just checked (quantise() keeps rounded values)
    stored = Model.load(args.out).members
    if any(
        not np.array_equal(value, back[name])
        for weights, back in zip(model.members, stored, strict=True)
        for name, value in weights.items()
    ):
        raise RuntimeError(f"{args.out} does not read back as the trained network")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


def parity(nets: list[Network], model: Model, seqs: list[dict]) -> tuple[int, int]:
    """How many tags the NumPy model and the networks' own Viterbi (over their mean scores
    and transitions) give alike, each sequence alone."""
    trans, start = (
        np.mean([t.detach().numpy() for t in parts], axis=0)
        for parts in zip(*(net.crf() for net in nets), strict=True)
    )
    agree = total = 0
    for seq in seqs:
        n = len(seq["tags"])
        ids = {k: torch.tensor([v]) for k, v in seq["ids"].items()}
        with torch.no_grad():
            scores = np.mean(
                [
                    net.emissions(ids, torch.ones(1, n), torch.tensor([seq["sentence"]]))[0].numpy()
                    for net in nets
                ],
                axis=0,
            )
        best, back = start + scores[0], []
        for t in range(1, n):
            cand = best[:, None] + trans
            back.append(cand.argmax(0))
            best = cand.max(0) + scores[t]
        path = [int(best.argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        path.reverse()
        whole = [range(n)]
        ids_np = {k: np.asarray(v, np.int64) for k, v in seq["ids"].items()}
        mine = model.viterbi(model.scores(ids_np, np.asarray(seq["sentence"]), whole), whole)
        agree += sum(int(a == b) for a, b in zip(path, mine, strict=True))
        total += n
    return agree, total


if __name__ == "__main__":
    raise SystemExit(main())

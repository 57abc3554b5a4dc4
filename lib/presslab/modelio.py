"""A fast-loading twin of each shipped tagger model.

A model is written by :meth:`presslab.tagger.Tagger.save` as gzipped JSON (``ner.json.gz``,
``pos.json.gz``): readable, diffable, the reference. Parsing it takes most of a second (the NER
model has 88,000 feature names and a quarter of a million weights), which every ``presslab``
process pays before its first article. :func:`save_twin` writes the same model beside it as
``<name>.npz``: the weight matrices' non-zero cells as NumPy arrays, the feature names as one
string, and the rest (labels, gazetteer, metadata) as JSON. :func:`load_tagger` reads the twin
(a tenth of the time) and falls back to the JSON when the twin is missing or was written from
another JSON file (its header records the JSON's sha256), so a retrained model never runs with
a stale twin.

The twin holds exactly what :meth:`~presslab.tagger.Tagger.load` builds from the JSON (the same
float32 weights, the same feature numbering), so a model loaded either way tags identically.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from presslab.tagger import FORMAT_VERSION, Gazetteer, Tagger

#: Bumped when the twin's layout changes (a twin of another version is not read).
TWIN_VERSION = 1
_SEP = "\n"


def twin_path(path: str | Path) -> Path:
    """Where the twin of a ``<name>.json.gz`` model lives: ``<name>.npz`` beside it."""
    path = Path(path)
    return path.with_name(path.name.removesuffix(".gz").removesuffix(".json") + ".npz")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_twin(path: str | Path) -> Path:
    """Write the twin of the JSON model at ``path`` (from the model as loaded from it)."""
    path = Path(path)
    tagger = Tagger.load(path)
    names = list(tagger.features)
    if any(_SEP in name for name in names):
        raise ValueError(f"{path}: a feature name holds {_SEP!r}; no twin written")
    if names != sorted(tagger.features, key=tagger.features.__getitem__):
        raise ValueError(f"{path}: feature ids are not in first-seen order; no twin written")
    header = {
        "twin": TWIN_VERSION,
        "format": FORMAT_VERSION,
        "source_sha256": _sha256(path),
        "labels": tagger.labels,
        "scheme": tagger.scheme,
        "meta": tagger.meta,
        "gazetteer": {"phrases": tagger.gazetteer.phrases, "words": tagger.gazetteer.words},
        "lower_words": sorted(tagger.lower_words),
        "stages": 1 if tagger.weights2 is None else 2,
    }
    arrays = {
        "header": np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), np.uint8),
        "features": np.frombuffer(_SEP.join(names).encode("utf-8"), np.uint8),
    }
    stages = [(tagger.weights, tagger.trans, tagger.start)]
    if tagger.weights2 is not None:
        stages.append((tagger.weights2, tagger.trans2, tagger.start2))
    for k, (weights, trans, start) in enumerate(stages):
        rows, cols = np.nonzero(weights)
        arrays[f"rows{k}"] = rows.astype(np.int32)
        arrays[f"cols{k}"] = cols.astype(np.int16)
        arrays[f"values{k}"] = weights[rows, cols]
        arrays[f"shape{k}"] = np.asarray(weights.shape, dtype=np.int64)
        arrays[f"transitions{k}"] = trans
        arrays[f"start{k}"] = start
    return write_npz(twin_path(path), arrays)


def write_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> Path:
    """Write ``arrays`` as a compressed ``.npz`` that is byte-identical for the same arrays.

    (np.savez_compressed stamps each member with the time; written by hand with a fixed one,
    the same model gives the same file.)
    """
    import io
    import zipfile

    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())
    return path


def _load_twin(path: Path, twin: Path) -> Tagger | None:
    with np.load(twin, allow_pickle=False) as arrays:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
        if (
            header.get("twin") != TWIN_VERSION
            or header.get("format") != FORMAT_VERSION
            or header.get("source_sha256") != _sha256(path)
        ):
            return None
        tagger = Tagger(
            header["labels"], header["scheme"], Gazetteer(**header["gazetteer"]), header["meta"]
        )
        tagger.lower_words = frozenset(header["lower_words"])
        names = arrays["features"].tobytes().decode("utf-8").split(_SEP)
        tagger.features = dict(zip(names, range(len(names)), strict=True))
        mats = []
        for k in range(header["stages"]):
            weights = np.zeros(tuple(arrays[f"shape{k}"]), dtype=np.float32)
            weights[arrays[f"rows{k}"], arrays[f"cols{k}"]] = arrays[f"values{k}"]
            mats.append((weights, arrays[f"transitions{k}"], arrays[f"start{k}"]))
    tagger.weights, tagger.trans, tagger.start = mats[0]
    if len(mats) > 1:
        tagger.weights2, tagger.trans2, tagger.start2 = mats[1]
    return tagger


def load_tagger(path: str | Path) -> Tagger:
    """The model at ``path`` (a ``.json.gz`` written by :meth:`Tagger.save`), read from its
    twin when the twin is current, else from the JSON."""
    path = Path(path)
    twin = twin_path(path)
    if twin.exists():
        try:
            tagger = _load_twin(path, twin)
        except (OSError, ValueError, KeyError):
            tagger = None
        if tagger is not None:
            return tagger
    return Tagger.load(path)

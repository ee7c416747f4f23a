"""Pausing the cyclic garbage collector around bulk work that makes no reference cycles."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Ranking and imports make many objects and no cycles: the collector's full passes over
    them would only cost time (more than half of an import's matching time, before)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

"""The pipeline bench's baseline job: it does nothing, so its cost is RQ's own (enqueue, fork, bookkeeping)."""


def noop() -> None:
    """Do nothing."""

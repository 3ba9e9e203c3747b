"""Read a file in a forked child whose address space is capped (RLIMIT_AS): a bomb ends that child, not the worker.

A decompression bomb (a small DOCX of huge XML, a small PNG of huge pixels) makes the libraries that
read it take gigabytes. Under the cap their allocations fail with MemoryError, and a library that
dies instead (abort, a signal) takes only the child with it. Either way the file gets a permanent
error of its own, and the worker goes on with the next file.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import traceback
from typing import Any, Callable

from statex.extraction.result import ExtractionError, permanent

log = logging.getLogger(__name__)
MB = 1024 * 1024
TOO_BIG = "The file needs more memory to read than we allow for one file; it may be a decompression bomb."


def run_bounded(function: Callable[..., Any], *args: Any, memory_mb: int) -> Any:
    """`function(*args)` in a child that may map `memory_mb` MB more than this process has mapped now."""
    context = multiprocessing.get_context("fork")  # the child starts with everything loaded, at no cost
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(writer, memory_mb, function, args), daemon=True)
    child.start()
    writer.close()
    outcome = None
    try:
        outcome = reader.recv()
    except EOFError:  # the child died without a word: killed by a signal, or aborted in C
        pass
    finally:
        reader.close()
        if child.is_alive() and outcome is None:
            child.kill()
        child.join()
    return _unpack(outcome, child.exitcode, memory_mb)


def _unpack(outcome: tuple | None, exitcode: int | None, memory_mb: int) -> Any:
    if outcome is None:
        raise permanent("The file could not be read: reading it stopped the reader.",
                        f"the extraction process ended with exit code {exitcode} (a negative code is the "
                        f"signal); its address space was capped at +{memory_mb} MB")
    kind, value = outcome
    if kind == "result":
        return value
    if kind == "error":
        message, detail, transient = value
        raise ExtractionError(message, detail, transient=transient)
    raise RuntimeError(f"the extraction process failed:\n{value}")  # a bug of ours: retried, then recorded


def _child(writer, memory_mb: int, function: Callable[..., Any], args: tuple) -> None:
    try:
        _cap_address_space(memory_mb)
        outcome: tuple = ("result", function(*args))
    except MemoryError:
        outcome = ("error", (TOO_BIG, f"MemoryError under an address-space cap of +{memory_mb} MB "
                                      "(EXTRACT_MEMORY_MB)", False))
    except ExtractionError as error:
        outcome = ("error", (error.message_for_client, error.detail_for_staff, error.transient))
    except BaseException:  # noqa: BLE001  (anything else is reported to the parent, which decides)
        outcome = ("crash", traceback.format_exc()[-4000:])
    try:
        writer.send(outcome)
    except MemoryError:
        writer.send(("error", (TOO_BIG, f"the text read did not fit under +{memory_mb} MB", False)))
    writer.close()
    os._exit(0)  # the parent's atexit handlers, logging and connections are not the child's to close


def _cap_address_space(memory_mb: int) -> None:
    """Lower the soft RLIMIT_AS to what is mapped now plus `memory_mb` (never above the hard limit)."""
    mapped = _mapped_bytes()
    if mapped is None:
        log.warning("cannot read this process's mapped size; extraction runs without a memory cap")
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = mapped + memory_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _mapped_bytes() -> int | None:
    """The virtual size of this process (Linux /proc); None where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return None

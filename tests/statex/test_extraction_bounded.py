"""statex.extraction.bounded: a reader under an address-space cap, in a child that may die alone."""

from __future__ import annotations

import os

import pytest

from statex.extraction import ExtractionError
from statex.extraction.bounded import run_bounded
from statex.extraction.result import transient


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _refuse() -> None:
    raise transient("The transcription service is busy.", "503 from the peer")


def test_the_result_comes_back_from_the_child():
    assert run_bounded(_allocate, 20, memory_mb=200) == 20 * 1024 * 1024


def test_more_than_the_cap_is_a_permanent_error_and_this_process_carries_on():
    with pytest.raises(ExtractionError, match="more memory to read than we allow") as caught:
        run_bounded(_allocate, 600, memory_mb=100)
    assert caught.value.transient is False and "+100 MB" in caught.value.detail_for_staff
    assert _allocate(200) == 200 * 1024 * 1024  # the cap was the child's alone


def test_a_reader_that_dies_in_c_is_a_permanent_error_naming_the_signal():
    with pytest.raises(ExtractionError, match="stopped the reader") as caught:
        run_bounded(os.abort, memory_mb=100)
    assert caught.value.transient is False and "exit code -6" in caught.value.detail_for_staff


def test_an_extraction_error_keeps_its_words_and_whether_to_retry():
    with pytest.raises(ExtractionError) as caught:
        run_bounded(_refuse, memory_mb=100)
    assert caught.value.transient is True
    assert (caught.value.message_for_client, caught.value.detail_for_staff) == (
        "The transcription service is busy.", "503 from the peer")

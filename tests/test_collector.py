"""catalogue.collector: the cyclic collector is off inside the block and as it was after, also after an error."""

from __future__ import annotations

import gc

import pytest

from catalogue import collector


def test_the_collector_is_paused_inside_and_switched_back_on_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_switches_it_back_on() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("a stage failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

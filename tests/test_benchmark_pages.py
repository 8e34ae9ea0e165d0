"""benchmarks/pages.py's rule for setting a Lighthouse run aside, and its medians.

A run is *stalled* (not the page's doing) only when the trace shows headless chromium's
compositor withholding frames before the first contentful paint AND that paint came well
after the load event.  A late paint without that evidence is the page's own and must count.
The benchmark itself (Lighthouse in chromium) is run by hand, not here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "benchmarks" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)

NAV_TS = 1_000_000_000          # trace clock, microseconds
MS = 1000


def observed(fcp_ms: float, load_ms: float) -> dict:
    return {"observedFirstContentfulPaint": fcp_ms, "observedLoad": load_ms,
            "observedNavigationStartTs": NAV_TS,
            "observedFirstContentfulPaintTs": NAV_TS + fcp_ms * MS}


def decision(at_ms: float, reason: str, send: bool) -> dict:
    return {"name": "SendBeginFrameDecision", "ph": "X", "ts": NAV_TS + at_ms * MS,
            "args": {"reason": reason, "should_send": send}}


def throttled(start_ms: float, end_ms: float, reason="ThrottleUndrawnFrames") -> list[dict]:
    """viz's decisions every 16.7 ms: a frame allowed, then one withheld."""
    events, t = [], start_ms
    while t < end_ms:
        events += [decision(t, "SendFrameTiming", True), decision(t + 0.2, reason, False)]
        t += 16.7
    return events


def test_a_frame_stall_before_a_late_first_paint_is_set_aside():
    events = [decision(50, "SendDefault", True)] + throttled(200, 1200)
    assert pages.withheld_frames(events, NAV_TS, NAV_TS + 1226 * MS) == 60
    assert pages.is_stalled(observed(1226, 512), events)


def test_the_unresponsive_client_throttle_counts_too():
    assert pages.is_stalled(observed(1300, 500), throttled(300, 900, "ThrottleUnresponsiveClient"))


def test_a_late_first_paint_without_withheld_frames_counts_as_the_pages_own():
    # e.g. a script that hides the page until something loads: a real regression.
    events = [decision(t, "SendDefault", True) for t in range(0, 2000, 17)]
    assert not pages.is_stalled(observed(1800, 500), events)


def test_withheld_frames_after_the_first_paint_do_not_count():
    events = throttled(1300, 2500)
    assert pages.withheld_frames(events, NAV_TS, NAV_TS + 1250 * MS) == 0
    assert not pages.is_stalled(observed(1250, 500), events)


def test_a_throttle_that_did_not_delay_the_first_paint_past_the_load_is_no_stall():
    assert not pages.is_stalled(observed(320, 560), throttled(100, 300))


def test_other_events_and_allowed_frames_are_not_withheld_frames():
    events = [{"name": "SendBeginFrameDecision", "ts": NAV_TS + 10 * MS,
               "args": {"reason": "StopNotRequest", "should_send": False}},
              {"name": "BeginFrame", "ts": NAV_TS + 20 * MS, "args": {}},
              decision(30, "ThrottleUndrawnFrames", True)]
    assert pages.withheld_frames(events, NAV_TS, NAV_TS + 5000 * MS) == 0


def run(perf, lcp, tbt, stalled, a11y=100):
    return {"performance": perf, "lcp_s": lcp, "tbt_ms": tbt, "accessibility": a11y,
            "bytes_kb": 170.0, "stalled": stalled, "a11y_failed": [] if a11y == 100 else ["x"]}


def test_figures_are_the_medians_of_the_clean_runs_and_all_runs_are_printed_beside():
    row = pages.summarize([run(97, 2.1, 30, False), run(88, 2.6, 280, True),
                           run(95, 2.2, 60, False), run(89, 2.5, 250, True),
                           run(96, 2.3, 40, False)])
    assert (row["performance"], row["lcp_s"], row["tbt_ms"]) == (96, 2.2, 40)
    assert (row["all_performance"], row["all_lcp_s"], row["all_tbt_ms"]) == (95, 2.3, 60)
    assert (row["runs"], row["clean"]) == (5, 3)


def test_with_no_clean_run_the_figures_are_those_of_all_runs():
    row = pages.summarize([run(88, 2.6, 280, True), run(90, 2.5, 250, True)])
    assert row["clean"] == 0
    assert row["tbt_ms"] == row["all_tbt_ms"] == 265


def test_accessibility_is_the_worst_of_every_run_stalled_or_not():
    row = pages.summarize([run(97, 2.1, 30, False), run(88, 2.6, 280, True, a11y=93)])
    assert row["accessibility"] == 93
    assert row["a11y_failed"] == ["x"]
    assert "accessibility" in pages.within_budget({**row, "html_kb": 80})


@pytest.mark.parametrize("field, value, name", [("performance", 89, "performance"),
                                                ("lcp_s", 2.6, "LCP"), ("tbt_ms", 201, "TBT"),
                                                ("html_kb", 301, "HTML")])
def test_each_budget_is_checked(field, value, name):
    ok = {"performance": 95, "lcp_s": 2.2, "tbt_ms": 100, "accessibility": 100, "html_kb": 80}
    assert pages.within_budget(ok) == []
    assert pages.within_budget({**ok, field: value}) == [name]

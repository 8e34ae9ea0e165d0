"""Page weight and speed of the built website: Lighthouse on every chapter page.

Run after `make book` (the site in _build/html):

    npm ci --prefix benchmarks/lighthouse     # once: Lighthouse, pinned in package-lock.json
    python benchmarks/pages.py                # every chapter page; --help for options

The site is served on 127.0.0.1 by a small server that compresses (gzip) what a real host
compresses -- HTML, CSS, JavaScript, JSON, SVG -- since Python's http.server does not, and
its scores would understate a real host.  Each chapter page is audited by Lighthouse
(mobile preset, its default simulated throttling) in Debian's chromium
(``CHROME_PATH``, default /usr/bin/chromium), and one table is printed:

* performance and accessibility scores (0-100),
* largest contentful paint (s) and total blocking time (ms), simulated,
* bytes transferred for the whole page load (KB, compressed as served),
* the page's own HTML file, gzip-compressed (KB),
* how many runs headless chromium stalled (below), and the medians over all runs,

and whether the page is within the budget of issue 14 (performance >= 90, LCP <= 2.5 s,
TBT <= 200 ms, accessibility 100, own HTML <= 300 KB compressed).  The exit status is 0
even when a page is over budget: this is a benchmark that prints, not a test (the HTML size
is tested in tests/site/test_site_weight.py).  On a busy machine the simulated times come
out pessimistic (Lighthouse scales the CPU work it observes).

Stalled runs.  In many runs on this machine, headless chromium's display compositor (viz)
withholds frames from the page during the load: the trace shows its BeginFrame decisions
``ThrottleUndrawnFrames`` (should_send false) from about 200 ms after navigation, one
frame a second allowed, and the first paint comes one or two whole seconds after the
load event, the page's main thread idle meanwhile (Lighthouse issue #17148).  Lantern, which
counts every task before the observed first paint, then reports a later LCP and more
blocking time for the same page.  Each run's trace is recorded with the ``viz`` category,
and a run is *stalled* when both hold: viz withheld a frame before the observed first
contentful paint, and that paint came more than HELD_BACK_MS after the load event.  A late
paint without viz's throttling in the trace is the page's own and is never set aside.
The figures of a page are the medians over its clean runs: ``--runs N`` runs until N are
clean, at most 3N in all; with no clean run they are the medians of all runs, marked so.
The medians over all runs are printed beside them.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--disable-extensions")
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map"}

HELD_BACK_MS = 500  # a stalled run: first paint this long after the load event (above)
BUDGET = {"performance": 90, "lcp_s": 2.5, "tbt_ms": 200, "accessibility": 100,
          "html_kb": 300}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (level 6, as common hosts do) when the client asks."""

    _cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        key = str(path)
        if key not in self._cache:
            self._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self._cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path):
    handler = functools.partial(_GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chapter_docs() -> list[str]:
    """The chapter pages of _toc.yml (docnames under chapters/), in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    docs = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                docs.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [d for d in dict.fromkeys(docs) if d.startswith("chapters/")]


def html_kb(site: Path, doc: str) -> float:
    """The page's own HTML, gzip-compressed at level 6, in KB (1000 bytes)."""
    data = (site / f"{doc}.html").read_bytes()
    return len(gzip.compress(data, compresslevel=6, mtime=0)) / 1000


def withheld_frames(trace_events, start_ts: float, end_ts: float) -> int:
    """How many BeginFrames viz withheld (``SendBeginFrameDecision`` with ``should_send``
    false and a ``Throttle...`` reason) between the trace timestamps ``start_ts`` and
    ``end_ts`` (microseconds, the trace's clock)."""
    count = 0
    for event in trace_events:
        if event.get("name") != "SendBeginFrameDecision":
            continue
        args = event.get("args") or {}
        if (args.get("should_send") is False and str(args.get("reason", "")).startswith("Throttle")
                and start_ts <= event.get("ts", -1) <= end_ts):
            count += 1
    return count


def is_stalled(observed: dict, trace_events) -> bool:
    """A run whose first paint viz held back: frames withheld before the observed first
    contentful paint, and that paint more than HELD_BACK_MS after the load event.
    ``observed`` is the first item of Lighthouse's ``metrics`` audit."""
    late = observed["observedFirstContentfulPaint"] > observed["observedLoad"] + HELD_BACK_MS
    return late and withheld_frames(trace_events, observed["observedNavigationStartTs"],
                                    observed["observedFirstContentfulPaintTs"]) > 0


def lighthouse(url: str, chrome: str) -> dict:
    env = dict(os.environ, CHROME_PATH=chrome)
    with tempfile.TemporaryDirectory(prefix="itml-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
               "--save-assets", "--additional-trace-categories=viz",
               "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf8"))
        traces = sorted(Path(tmp).glob("report-*.trace.json"))
        if not traces:
            raise RuntimeError(f"lighthouse on {url}: no trace saved in {tmp}")
        trace = json.loads(traces[0].read_text(encoding="utf8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    cats, audits = report["categories"], report["audits"]
    failed = sorted(ref["id"] for ref in cats["accessibility"]["auditRefs"]
                    if ref.get("weight") and audits[ref["id"]]["score"] not in (None, 1))
    observed = audits["metrics"]["details"]["items"][0]
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    return {
        "a11y_failed": failed,
        "stalled": is_stalled(observed, events),
        "performance": round(100 * cats["performance"]["score"]),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "accessibility": round(100 * cats["accessibility"]["score"]),
        "bytes_kb": audits["total-byte-weight"]["numericValue"] / 1000,
    }


FIGURES = ("performance", "lcp_s", "tbt_ms", "accessibility", "bytes_kb")


def summarize(runs: list[dict]) -> dict:
    """One page's row: the medians over its clean runs (over all runs if none is clean),
    the medians over all runs (``all_*``), and the counts.  Accessibility, which no stall
    changes, is the lowest score of all runs."""
    clean = [r for r in runs if not r["stalled"]]
    row = {k: statistics.median(r[k] for r in (clean or runs)) for k in FIGURES}
    row.update({f"all_{k}": statistics.median(r[k] for r in runs) for k in FIGURES})
    row["accessibility"] = min(r["accessibility"] for r in runs)   # not a timing: every run
    row["runs"], row["clean"] = len(runs), len(clean)
    row["a11y_failed"] = sorted({a for r in runs for a in r["a11y_failed"]})
    return row


def within_budget(row: dict) -> list[str]:
    over = []
    if row["performance"] < BUDGET["performance"]:
        over.append("performance")
    if row["lcp_s"] > BUDGET["lcp_s"]:
        over.append("LCP")
    if row["tbt_ms"] > BUDGET["tbt_ms"]:
        over.append("TBT")
    if row["accessibility"] < BUDGET["accessibility"]:
        over.append("accessibility")
    if row["html_kb"] > BUDGET["html_kb"]:
        over.append("HTML")
    return over


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="docnames (default: every chapter page)")
    parser.add_argument("--site", type=Path, default=SITE,
                        help="the built site to serve (default: _build/html)")
    parser.add_argument("--runs", type=int, default=1,
                        help="clean (not stalled) Lighthouse runs wanted per page, at most "
                             "3x as many runs in all; the medians are printed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1 (got {args.runs})")

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit("pages.py: the website is not built (_build/html): run `make book` first")
    if not LIGHTHOUSE.is_file():
        sys.exit("pages.py: Lighthouse is not installed: npm ci --prefix benchmarks/lighthouse")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chrome).is_file():
        sys.exit("pages.py: chromium is not installed (Debian: apt-get install chromium)")

    docs = args.pages or chapter_docs()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"Lighthouse {json.loads((LIGHTHOUSE.parent.parent / 'lighthouse' / 'package.json').read_text())['version']}, "
          f"mobile preset, simulated throttling; medians of {args.runs} clean run(s) per page "
          f"(at most {3 * args.runs} runs); "
          f"site served with gzip\n", flush=True)
    header = ("| Page | Performance | LCP (s) | TBT (ms) | Accessibility | Transferred (KB) "
              "| Own HTML, gzip (KB) | Stalled runs | All runs: perf. / LCP / TBT | Budget |")
    rows = []
    try:
        for doc in docs:
            runs = []
            while (sum(not r["stalled"] for r in runs) < args.runs
                   and len(runs) < 3 * args.runs):
                runs.append(lighthouse(base + doc + ".html", chrome))
            row = summarize(runs)
            row["html_kb"] = html_kb(site, doc)
            rows.append((doc, row))
            print(f"  {doc}: done", file=sys.stderr, flush=True)
    finally:
        server.shutdown()
        server.server_close()
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for doc, r in rows:
        over = within_budget(r)
        print(f"| {doc} | {r['performance']:.0f} | {r['lcp_s']:.1f} | {r['tbt_ms']:.0f} "
              f"| {r['accessibility']:.0f} | {r['bytes_kb']:.0f} | {r['html_kb']:.0f} "
              f"| {r['runs'] - r['clean']} of {r['runs']} "
              f"| {r['all_performance']:.0f} / {r['all_lcp_s']:.1f} s / {r['all_tbt_ms']:.0f} ms "
              f"| {'ok' if not over else 'over: ' + ', '.join(over)}"
              f"{'' if r['clean'] else ' (no clean run: medians of all runs)'} |")
    for doc, r in rows:
        if r["a11y_failed"]:
            print(f"\n{doc}: failed accessibility audits: {', '.join(r['a11y_failed'])}", end="")
    print(f"\n\nBudget: performance >= {BUDGET['performance']}, LCP <= {BUDGET['lcp_s']} s, "
          f"TBT <= {BUDGET['tbt_ms']} ms, accessibility {BUDGET['accessibility']}, "
          f"own HTML <= {BUDGET['html_kb']} KB gzip.\n"
          f"Stalled: runs in which headless chromium's compositor withheld frames from the page "
          f"(BeginFrame throttling in the trace) and the first paint came more than "
          f"{HELD_BACK_MS} ms after the load event (Lighthouse issue #17148); Lighthouse's "
          f"simulation then reports a later LCP and more blocking time for the same page.  "
          f"The figures are the medians of the clean runs; 'All runs' includes the stalled ones.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

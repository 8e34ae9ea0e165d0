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
* in how many runs the first paint was held back by headless chromium (see
  ``lighthouse()``; such a run reports a later LCP and more blocking time),

and whether the page is within the budget of issue 14 (performance >= 90, LCP <= 2.5 s,
TBT <= 200 ms, accessibility 100, own HTML <= 300 KB compressed).  The exit status is 0
even when a page is over budget: this is a benchmark that prints, not a test (the HTML size
is tested in tests/site/test_site_weight.py).  On a busy machine the simulated times come
out pessimistic (Lighthouse scales the CPU work it observes).
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

HELD_BACK_MS = 500  # first paint this long after the load event: a held-back frame (below)
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


def lighthouse(url: str, chrome: str) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
           "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
    env = dict(os.environ, CHROME_PATH=chrome)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    cats, audits = report["categories"], report["audits"]
    failed = sorted(ref["id"] for ref in cats["accessibility"]["auditRefs"]
                    if ref.get("weight") and audits[ref["id"]]["score"] not in (None, 1))
    observed = audits["metrics"]["details"]["items"][0]
    return {
        "a11y_failed": failed,
        # Headless chromium's compositor (viz) sometimes stops sending frames to a page
        # that was slow to answer one, then sends one a second: the first paint of the run
        # is then held back to a whole second after the page was ready (the main thread
        # idle meanwhile), and Lantern, which counts every task before the observed first
        # paint, reports a later LCP and more blocking time.  Lighthouse issue #17148.
        "held_back": observed["observedFirstContentfulPaint"]
        > observed["observedLoad"] + HELD_BACK_MS,
        "performance": round(100 * cats["performance"]["score"]),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "accessibility": round(100 * cats["accessibility"]["score"]),
        "bytes_kb": audits["total-byte-weight"]["numericValue"] / 1000,
    }


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
                        help="Lighthouse runs per page; the median of each figure is printed")
    args = parser.parse_args(argv)

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
          f"mobile preset, simulated throttling; {args.runs} run(s) per page, median; "
          f"site served with gzip\n", flush=True)
    header = ("| Page | Performance | LCP (s) | TBT (ms) | Accessibility | Transferred (KB) "
              "| Own HTML, gzip (KB) | Held back | Budget |")
    rows = []
    try:
        for doc in docs:
            runs = [lighthouse(base + doc + ".html", chrome) for _ in range(args.runs)]
            row = {k: statistics.median(r[k] for r in runs) for k in runs[0]
                   if k not in ("a11y_failed", "held_back")}
            row["held_back"] = sum(r["held_back"] for r in runs)
            row["a11y_failed"] = sorted({a for r in runs for a in r["a11y_failed"]})
            row["html_kb"] = html_kb(site, doc)
            rows.append((doc, row))
            print(f"  {doc}: done", file=sys.stderr, flush=True)
    finally:
        server.shutdown()
        server.server_close()
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for doc, r in rows:
        over = within_budget(r)
        print(f"| {doc} | {r['performance']:.0f} | {r['lcp_s']:.1f} | {r['tbt_ms']:.0f} "
              f"| {r['accessibility']:.0f} | {r['bytes_kb']:.0f} | {r['html_kb']:.0f} "
              f"| {r['held_back']}/{args.runs} "
              f"| {'ok' if not over else 'over: ' + ', '.join(over)} |")
    for doc, r in rows:
        if r["a11y_failed"]:
            print(f"\n{doc}: failed accessibility audits: {', '.join(r['a11y_failed'])}", end="")
    print(f"\n\nBudget: performance >= {BUDGET['performance']}, LCP <= {BUDGET['lcp_s']} s, "
          f"TBT <= {BUDGET['tbt_ms']} ms, accessibility {BUDGET['accessibility']}, "
          f"own HTML <= {BUDGET['html_kb']} KB gzip.\n"
          f"Held back: runs whose first paint came more than {HELD_BACK_MS} ms after the load "
          f"event, a stall of headless chromium's frames (Lighthouse issue #17148) that "
          f"inflates that run's LCP and TBT; the medians include them.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

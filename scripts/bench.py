"""Benchmark: build time (cold and warm), hook overhead, serve reload time, search-index size, page weight
and time to the first search result.

Usage: python -m scripts bench [--scale 10] [--runs 3] [--no-lighthouse] [--no-serve]

Prints figures for the real site and for a synthetic bank with --scale times as many questions
(each topic page copied with suffixed IDs and links). Not a test: it prints, it does not assert.
A cold build starts with an empty build cache (kb/build_cache.py), a warm one is the same build
again with the cache the previous one wrote; the plain build is the same docs with plain Material
(no hooks, no macros). The serve figure is the time from saving one edited answer to the served page
showing the new text, under `mkdocs serve` (and `--dirtyreload`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import yaml
from conftest import fixture_config, serve_under_sub_path

from kb.registry import check_docs


def make_project(dest: pathlib.Path, scale: int, plain: bool, text_limit: int | None = None) -> pathlib.Path:
    """A copy of docs/ (scaled), with a config that inherits the real one; plain=True drops hooks and macros."""
    docs = dest / "docs"
    shutil.copytree(ROOT / "docs", docs)
    registry = check_docs(str(ROOT / "docs"))
    topics = [p.path for p in registry.topics()]
    ids = list(registry.questions)
    for copy in range(1, scale):
        for path in topics:
            text = (ROOT / "docs" / path).read_text("utf-8")
            for qid in ids:
                text = re.sub(rf"\b{re.escape(qid)}\b", f"{qid}-x{copy}", text)
            text = re.sub(r"^# (.+)$", rf"# \1（副本 {copy}）", text, count=1, flags=re.M)
            (docs / f"{path[:-3]}-x{copy}.md").write_text(text, "utf-8")
    nav = [p.relative_to(docs).as_posix() for p in sorted(docs.glob("*.md"))]
    nav.sort(key=lambda p: p != "index.md")
    config = fixture_config(nav)
    if text_limit is not None:  # compare search-index pruning settings (the scale plan); INHERIT merges dicts
        config["extra"] = {"search": {"text_limit": text_limit}}
    if plain:
        config["hooks"] = []
        config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "macros" in p)]
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return dest


def _build(project: pathlib.Path, site: pathlib.Path, strict: bool, cache: pathlib.Path | None) -> float:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    if strict:
        cmd.insert(4, "--strict")
    env = {**os.environ, "KB_CACHE_DIR": str(cache)} if cache else {**os.environ, "KB_CACHE": "off"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=project, env=env)
    took = time.perf_counter() - start
    if strict and proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    return took


def build_time(project: pathlib.Path, runs: int, strict: bool) -> tuple[float, float, pathlib.Path]:
    """Median of `runs` cold builds (each with an empty build cache) and of `runs` warm builds (the
    cache the last cold one wrote); the cache is the project's `.cache/kb/` afterwards."""
    site = project / "site"
    cache = project / ".cache" / "kb"
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(_build(project, site, strict, cache))
    for _ in range(runs):
        warm.append(_build(project, site, strict, cache))
    return statistics.median(cold), statistics.median(warm), site


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except OSError:
        return ""


def serve_reload_time(project: pathlib.Path, dirty: bool, timeout: float = 180) -> float | str:
    """Seconds from saving an edited answer (its 速答 gets a new first word) to `mkdocs serve` serving
    the attention page with it; or a sentence saying why it could not be measured. Uses the project's
    build cache as a developer's second `mkdocs serve` would."""
    page = project / "docs" / "attention.md"
    original = page.read_text("utf-8")
    port = _free_port()
    from mkdocs.config import load_config

    base = urllib.parse.urlparse(load_config(str(project / "mkdocs.yml")).site_url or "/").path  # serve uses its path
    url = f"http://127.0.0.1:{port}{base.rstrip('/')}/attention/"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    if dirty:
        cmd.append("--dirtyreload")
    log = project / f"serve{'-dirty' if dirty else ''}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "KB_CACHE_DIR": str(project / ".cache" / "kb")})
    try:
        deadline = time.monotonic() + timeout
        while "kb-answer" not in _fetch(url):  # the first build
            if proc.poll() is not None or time.monotonic() > deadline:
                return "the server did not start: " + log.read_text()[-300:]
            time.sleep(0.2)
        time.sleep(1.5)  # let the file watcher settle
        marker = f"重载测试{int(time.time() * 1000) % 100000}"
        page.write_text(original.replace("**速答**：", f"**速答**：{marker}，", 1), "utf-8")
        start = time.monotonic()
        while marker not in _fetch(url):
            said = log.read_text()
            if proc.poll() is not None or time.monotonic() > start + timeout or "error happened during the rebuild" in said:
                errors = [line for line in said.splitlines() if line.startswith("ERROR")]
                return "the page never showed the edit; the server said: " + " / ".join(errors[-2:] or said.splitlines()[-2:])
            time.sleep(0.05)
        took = time.monotonic() - start
        if "Error" in log.read_text():
            return f"{took:.1f} s, but the rebuild logged an error: " + log.read_text()[-300:].strip()
        return took
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        page.write_text(original, "utf-8")


def browser_figures(site: pathlib.Path, topic: str, query: str) -> dict[str, float]:
    """In Chromium, on pages served gzip from a sub-path: the gzip bytes a topic page loads (the search
    index must not be among them), and on a fresh home page, the time from navigation to the first
    result of a query typed at once ("/" then the query), as the page measures it, with the gzip
    bytes that result needs (search script, library and index head)."""
    from playwright.sync_api import sync_playwright

    server, base = serve_under_sub_path(site, gzip_text=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            bodies: list[tuple[str, bytes]] = []

            def on_response(resp) -> None:
                try:
                    bodies.append((resp.url, resp.body()))
                except Exception:  # noqa: BLE001
                    pass

            page.on("response", on_response)
            page.goto(base + topic, wait_until="networkidle")
            total = sum(len(gzip.compress(b)) for _, b in bodies)
            if any("/search/" in u or "minisearch" in u for u, _ in bodies):
                raise SystemExit("the search index loaded with the page, before any search")
            # a fresh page: the library and the index head load when the reader presses "/"
            page = browser.new_page()
            bodies.clear()
            page.on("response", on_response)
            page.goto(base, wait_until="domcontentloaded")
            page.keyboard.press("/")
            page.keyboard.insert_text(query)  # the whole query at once, one input event
            page.locator("[data-kb-search-results] a").first.wait_for(timeout=120000)
            # what the first result needs: the script, the library and the index head (the 详解 chunks
            # start loading only after the first result is shown)
            before = sum(len(gzip.compress(b)) for u, b in bodies if u.endswith(("/search/head.js", "/javascripts/search.js", "/minisearch.js")))
            page.wait_for_function("kbSearch.complete", timeout=300000)
            steps = page.evaluate("kbSearch.timings")  # performance.now(): ms since the navigation started
            first_result, complete = steps["firstResult"], steps["complete"]
            browser.close()
    finally:
        server.shutdown()
    return {"page": total, "first": first_result, "before": before, "complete": complete,
            "intent": steps["intent"], "load": steps["loaded"] - steps["intent"],
            "build": steps["built"] - steps["loaded"], "query": steps["firstResult"] - steps["built"]}


def index_sizes(site: pathlib.Path) -> dict[str, int]:
    head = (site / "search" / "head.js").read_bytes()
    body = [f.read_bytes() for f in sorted((site / "search").glob("body-*.js"))]
    return {"head": len(head), "head_gz": len(gzip.compress(head)),
            "body": sum(map(len, body)), "body_gz": sum(len(gzip.compress(b)) for b in body), "chunks": len(body)}


LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def lighthouse_scores(site: pathlib.Path, paths: list[str]) -> dict[str, dict[str, int]]:
    """Lighthouse (mobile defaults) on pages served gzip from a sub-path, as GitHub Pages serves them."""
    server, base = serve_under_sub_path(site, gzip_text=True)
    scores = {}
    try:
        for path in paths:
            out = subprocess.run(
                [str(LIGHTHOUSE), base + path, "--chrome-path=/usr/bin/chromium", "--output=json", "--quiet",
                 "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-quic",
                 "--only-categories=performance,accessibility,best-practices,seo"],
                capture_output=True, text=True, check=True,
            )
            categories = json.loads(out.stdout)["categories"]
            scores[path or "home"] = {k: round(v["score"] * 100) for k, v in categories.items()}
    finally:
        server.shutdown()
    return scores


def report(label: str, scale: int, runs: int, text_limit: int | None = None, lighthouse: bool = True,
           serve: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        full = make_project(pathlib.Path(tmp) / "full", scale, plain=False, text_limit=text_limit)
        plain = make_project(pathlib.Path(tmp) / "plain", scale, plain=True)
        t_plain, _, _ = build_time(plain, runs, strict=False)  # no hooks: no cache, cold and warm alike
        t_cold, t_warm, site = build_time(full, runs, strict=True)
        questions = json.loads((site / "questions.json").read_text("utf-8"))
        sizes = index_sizes(site)
        b = browser_figures(site, "attention/", "为什么除以根号d")
        print(f"## {label}: {len(questions)} questions")
        print(f"full build, cold (median of {runs}):    {t_cold:6.2f} s  (empty build cache)")
        print(f"full build, warm (median of {runs}):    {t_warm:6.2f} s  (the cache of the build before)")
        print(f"plain Material (no hooks, no macros):  {t_plain:6.2f} s")
        print(f"overhead ratio, cold:                  {t_cold / t_plain:6.2f}")
        print(f"overhead ratio, warm:                  {t_warm / t_plain:6.2f}  (target <= 1.3)")
        if serve and scale == 1:
            for dirty in (False, True):
                took = serve_reload_time(full, dirty)
                name = "mkdocs serve --dirtyreload" if dirty else "mkdocs serve"
                shown = f"{took:6.2f} s" if isinstance(took, float) else took
                print(f"{name + ':':<27} save -> page shows the edit: {shown}")
        print(f"search index head (first results):     {sizes['head'] / 1e6:6.2f} MB raw, {sizes['head_gz'] / 1e6:.2f} MB gzip")
        print(f"search index 详解 ({sizes['chunks']} chunks, after):    {sizes['body'] / 1e6:6.2f} MB raw, {sizes['body_gz'] / 1e6:.2f} MB gzip")
        print(f"search index per question:             {(sizes['head'] + sizes['body']) / len(questions) / 1e3:6.2f} KB raw")
        print(f"topic page transferred, gzip:          {b['page'] / 1e3:6.1f} KB (target <= 250 KB; no search index)")
        print(f"downloaded for search before result 1: {b['before'] / 1e6:6.2f} MB gzip (target <= 1 MB at x10)")
        print(f"first search result in Chromium:       {b['first']:6.0f} ms (from navigation, '/' and the query at once; target < 1500 ms at x10)")
        print(f"  page ready and '/' at {b['intent']:.0f} ms; then scripts {b['load']:.0f} ms, first index {b['build']:.0f} ms, query and list {b['query']:.0f} ms")
        print(f"search complete (详解 loaded):          {b['complete']:6.0f} ms")
        if scale == 1 and LIGHTHOUSE.exists() and lighthouse:
            for page, s in lighthouse_scores(site, ["", "attention/", "quiz/"]).items():
                print(f"Lighthouse {page:<12} performance {s['performance']:3d}  accessibility {s['accessibility']:3d}  "
                      f"best practices {s['best-practices']:3d}  SEO {s['seo']:3d}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search-text-limit", type=int, default=None,
                        help="override extra.search.text_limit (0: index whole answers) to compare index sizes")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve reload measurement")
    parser.add_argument("--only-real", action="store_true", help="the real site only (no synthetic bank)")
    args = parser.parse_args(argv)
    limit = args.search_text_limit
    suffix = "" if limit is None else f", search text_limit {limit}"
    report("real site" + suffix, 1, args.runs, limit, not args.no_lighthouse, not args.no_serve)
    if not args.only_real:
        report(f"synthetic bank x{args.scale}" + suffix, args.scale, max(1, args.runs - 2), limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

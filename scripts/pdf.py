"""PDF editions: the whole bank and one file per topic, every answer open, printed by headless Chromium.

    python -m scripts pdf                    # build the site, write docs/pdf/*.pdf, print each size
    python -m scripts pdf --topics attention,rag --out /tmp/pdf

The site is built (or taken from --site) and served on a local port; each topic page is
opened in light mode with every answer expanded and printed with Playwright's `page.pdf`
(page numbers in the footer). The whole-bank file is the topic pages joined into one document
behind a cover and a table of contents that links to every question (PDF link annotations to
named destinations). Math is MathML and figures are inline SVG, so both print as on screen.
A later `mkdocs build` copies docs/pdf/ into the site and the home page links the files
(hooks/macros.py `pdfs()`); the Pages workflow runs both. Uses Chromium at $CHROMIUM
(default /usr/bin/chromium, as the tests), else Playwright's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.server
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
WHOLE = "llm-interview-kb.pdf"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# Chromium embeds TrueType fonts as subsets but draws CFF-based ones (Noto CJK) glyph by glyph
# (Type 3), which makes files several times larger and their text hard to copy: prefer a
# TrueType CJK font when one is installed (Debian/Ubuntu: fonts-wqy-microhei).
FONTS = '"Liberation Sans", Arial, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif'
MARGIN = {"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}
HEADER = '<div style="font-size:7px;width:100%;padding:0 12mm;color:#777;font-family:&quot;WenQuanYi Micro Hei&quot;,sans-serif">{title}</div>'
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;font-family:&quot;WenQuanYi Micro Hei&quot;,sans-serif">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')

# Runs in the page: open every answer, point links at the public site (or inside the document).
PREPARE_JS = """([siteUrl, local, fonts]) => {
  const style = document.createElement('style');
  style.textContent = 'body, .md-typeset { font-family: ' + fonts + ' !important; }' +
    'code, pre, kbd { font-family: "DejaVu Sans Mono", "WenQuanYi Micro Hei Mono", monospace !important; }';
  document.head.appendChild(style);
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.kb-filtered').forEach(e => e.classList.remove('kb-filtered'));
  document.querySelectorAll('a[href]').forEach(a => {
    const url = new URL(a.getAttribute('href'), location.href);
    if (url.hash && document.getElementById(decodeURIComponent(url.hash.slice(1)))) a.setAttribute('href', url.hash);
    else if (url.href.startsWith(local)) a.setAttribute('href', siteUrl + url.href.slice(local.length));
  });
}"""

# Runs in the first topic page: append the other topics' articles, then a cover and a contents list.
JOIN_JS = """async ([urls, meta]) => {
  const article = document.querySelector('article.md-content__inner');
  const first = document.createElement('section');
  first.className = 'kb-pdf-topic';
  while (article.firstChild) first.appendChild(article.firstChild);
  const parts = [first];
  for (const url of urls.slice(1)) {
    const html = await (await fetch(url)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const section = document.createElement('section');
    section.className = 'kb-pdf-topic';
    for (const node of Array.from(doc.querySelector('article.md-content__inner').childNodes)) section.appendChild(document.importNode(node, true));
    parts.push(section);
  }
  const cover = document.createElement('section');
  cover.className = 'kb-pdf-cover';
  const h = document.createElement('h1'); h.textContent = meta.title; cover.appendChild(h);
  const p = document.createElement('p'); p.textContent = meta.subtitle; cover.appendChild(p);
  const toc = document.createElement('ol'); toc.className = 'kb-pdf-toc';
  parts.forEach((section, i) => {
    section.querySelectorAll('.md-content__button, .md-source-file, .kb-toolbar, .kb-filters').forEach(e => e.remove());
    const title = section.querySelector('h1');
    title.id = 'kb-pdf-topic-' + i;
    const li = document.createElement('li');
    const a = document.createElement('a'); a.href = '#' + title.id; a.textContent = title.textContent.replace(/#$/, '');
    li.appendChild(a);
    const qs = document.createElement('ol');
    section.querySelectorAll('.kb-q').forEach(q => {
      const item = document.createElement('li');
      const link = document.createElement('a'); link.href = '#' + q.id; link.textContent = q.textContent.replace(/#$/, '');
      item.appendChild(link); qs.appendChild(item);
    });
    li.appendChild(qs); toc.appendChild(li);
  });
  cover.appendChild(toc);
  article.appendChild(cover);
  parts.forEach(s => article.appendChild(s));
  const style = document.createElement('style');
  style.textContent = '.kb-pdf-topic{break-before:page}.kb-pdf-toc>li{margin-top:.6em;font-weight:700}' +
    '.kb-pdf-toc ol{font-weight:400;font-size:.85em;columns:2}.kb-pdf-cover h1{margin-top:0}';
  document.head.appendChild(style);
}"""


def build_site(out: pathlib.Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)], cwd=ROOT, check=True)


def serve(site: pathlib.Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def topics(site: pathlib.Path) -> list[tuple[str, str, str]]:
    """(topic_id, title, page URL) in site order, from questions.json."""
    seen: dict[str, tuple[str, str, str]] = {}
    for q in json.loads((site / "questions.json").read_text("utf-8")):
        seen.setdefault(q["topic_id"], (q["topic_id"], q["topic"], q["url"].split("#")[0]))
    return list(seen.values())


def site_config() -> tuple[str, str]:
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    url = re.search(r"^site_url:\s*(\S+)", text, re.M)
    name = re.search(r"^site_name:\s*(.+)$", text, re.M)
    return (url.group(1).rstrip("/") + "/" if url else ""), (name.group(1).strip() if name else "")


def open_page(context, url: str, site_url: str, local: str):  # noqa: ANN001, ANN201 - Playwright objects
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.emulate_media(media="print", color_scheme="light")
    page.evaluate(PREPARE_JS, [site_url, local, FONTS])
    page.evaluate("document.fonts.ready")
    return page


def print_pdf(page, path: pathlib.Path, title: str) -> None:  # noqa: ANN001 - a Playwright page
    page.pdf(path=str(path), format="A4", margin=MARGIN, print_background=True, display_header_footer=True,
             header_template=HEADER.format(title=html.escape(title)), footer_template=FOOTER)
    # not tagged (nor outlined, which Chromium derives from the tags): the structure tree more than
    # doubles the file (1.3 MB instead of 0.55 MB for 22 pages); the contents page links instead


def make_pdfs(site: pathlib.Path, out: pathlib.Path, only: list[str] | None = None) -> list[pathlib.Path]:
    from playwright.sync_api import sync_playwright

    site_url, site_name = site_config()
    chosen = [t for t in topics(site) if not only or t[0] in only]
    if only and len(chosen) != len(set(only)):
        known = ", ".join(t[0] for t in topics(site))
        raise SystemExit(f"unknown topic in --topics {','.join(only)}; topics: {known}")
    out.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    written: list[pathlib.Path] = []
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium if os.path.exists(chromium) else None, args=ARGS)
            context = browser.new_context(locale="zh-CN", color_scheme="light")
            for topic_id, title, url in chosen:
                page = open_page(context, base + url, site_url, base)
                path = out / f"{topic_id}.pdf"
                print_pdf(page, path, f"{site_name} · {title}")
                page.close()
                written.append(path)
            page = context.new_page()
            page.goto(base + chosen[0][2], wait_until="networkidle")
            count = sum(1 for q in json.loads((site / "questions.json").read_text("utf-8")) if q["topic_id"] in {t[0] for t in chosen})
            subtitle = f"{count} 道题，答案全部展开 · {dt.date.today().isoformat()} 生成 · {site_url}"
            page.evaluate(JOIN_JS, [[base + t[2] for t in chosen], {"title": site_name, "subtitle": subtitle}])
            page.emulate_media(media="print", color_scheme="light")
            page.evaluate(PREPARE_JS, [site_url, base, FONTS])
            page.evaluate("document.fonts.ready")
            path = out / WHOLE
            print_pdf(page, path, site_name)
            written.append(path)
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=pathlib.Path, help="a built site (default: build one now)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "docs" / "pdf", help="output folder (default docs/pdf)")
    parser.add_argument("--topics", help="comma-separated topic IDs (default: every topic)")
    args = parser.parse_args(argv)
    only = [t.strip() for t in args.topics.split(",") if t.strip()] if args.topics else None
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = pathlib.Path(tmp) / "site"
            build_site(site)
        for path in make_pdfs(site, args.out, only):
            print(f"{path}  {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

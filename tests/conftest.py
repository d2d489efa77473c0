"""Shared fixtures: small fixture sites built with the project's real hooks, theme and macros; the real site
(built once) served under the Pages sub-path; Chromium (skipped locally when absent, a failure in CI)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import time
import urllib.parse

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "hooks")]  # this checkout's kb/ package first; tests also import hook modules


# --- the suite's wall time ------------------------------------------------------------------------

_STARTED = time.monotonic()
_FILE_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add each phase (setup, call, teardown) to its file: a session fixture counts where it is first built."""
    path = report.nodeid.split("::")[0]
    _FILE_SECONDS[path] = _FILE_SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    wall = time.monotonic() - _STARTED
    slowest = sorted(_FILE_SECONDS.items(), key=lambda kv: -kv[1])[:8]
    terminalreporter.write_sep("-", f"wall time {wall:.0f} s ({wall / 60:.1f} min); slowest test files")
    for path, seconds in slowest:
        terminalreporter.write_line(f"{seconds:8.1f} s  {path}")


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring !!python/... tags (fixture sites inherit them unchanged)."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])  # the default


def fixture_config(nav: list) -> dict:
    """A config that inherits the real mkdocs.yml, with every project path made absolute."""
    real = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Loader)
    plugins = []
    for plugin in real["plugins"]:
        if isinstance(plugin, dict) and "macros" in plugin:
            plugin = {"macros": {**plugin["macros"], "module_name": str(ROOT / "hooks" / "macros")}}
        plugins.append(plugin)
    return {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "hooks": [str(ROOT / h) for h in real["hooks"]],
        "theme": {"custom_dir": str(ROOT / "overrides")},
        "plugins": plugins,
        "nav": nav,
    }


def write_site(root: pathlib.Path, pages: dict[str, str], nav: list | None = None) -> pathlib.Path:
    docs = root / "docs"
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for asset in ("assets/javascripts/kb.js", "assets/javascripts/search.js", "assets/stylesheets/kb.css",
                  "assets/stylesheets/search.css", "assets/stylesheets/practice.css"):
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        (docs / asset).write_bytes((ROOT / "docs" / asset).read_bytes())
    if nav is None:
        nav = sorted(pages, key=lambda p: (p != "index.md", p))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(fixture_config(nav), allow_unicode=True), encoding="utf-8")
    return root


def build(root: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


SITES = ROOT / "tests" / "sites"


def build_fixture_site(name: str, dest: pathlib.Path) -> subprocess.CompletedProcess:
    """Copy tests/sites/<name>/docs to dest and build it (nav: its Markdown pages, index first)."""
    import shutil

    shutil.copytree(SITES / name / "docs", dest / "docs")
    pages = sorted(p.relative_to(dest / "docs").as_posix() for p in (dest / "docs").rglob("*.md"))
    write_site(dest, {}, nav=sorted(pages, key=lambda p: (p != "index.md", p)))
    return build(dest)


@pytest.fixture
def site(tmp_path: pathlib.Path):
    """site(pages, nav=None) -> (CompletedProcess, site_dir)."""

    def make(pages: dict[str, str], nav: list | None = None):
        write_site(tmp_path, pages, nav)
        return build(tmp_path), tmp_path / "site"

    return make


@pytest.fixture(scope="session")
def registry():
    """The registry of the real docs/ (every question, page and link), parsed once per test session."""
    import kb.registry

    return kb.registry.check_docs(str(ROOT / "docs"))


SUB_PATH = "/llm-interview-kb/"


def serve_under_sub_path(site_dir: pathlib.Path, gzip_text: bool = False):
    """Serve site_dir at http://127.0.0.1:PORT/llm-interview-kb/ as GitHub Pages would; returns (server, base_url)."""
    import functools
    import http.server
    import tempfile
    import threading

    root = pathlib.Path(tempfile.mkdtemp())
    (root / SUB_PATH.strip("/")).symlink_to(site_dir.resolve())

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send_head(self):
            if not gzip_text or "gzip" not in self.headers.get("Accept-Encoding", ""):
                return super().send_head()
            path = pathlib.Path(self.translate_path(self.path))
            if path.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    return super().send_head()
                path = path / "index.html"
            if not path.is_file() or path.suffix not in (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"):
                return super().send_head()
            import gzip
            import io

            body = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The real site, built once with --strict."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def served_site(real_site: pathlib.Path):
    server, base = serve_under_sub_path(real_site)
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The offline copy (OFFLINE=true), as the Pages workflow builds it."""
    out = tmp_path_factory.mktemp("offline") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "OFFLINE": "true"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


# --- Chromium -------------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
SCHEMES = {"light": (0, "default"), "dark": (1, "slate")}  # Material's palette index and scheme name


def require_chromium() -> None:
    """Skip without Chromium on a developer's machine (pytest lists the skip); fail in CI (`CI` set)."""
    if pathlib.Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI needs Chromium at {CHROMIUM} for the browser tests (apt-get install chromium)", pytrace=False)
    pytest.skip(f"no Chromium at {CHROMIUM} (set CHROMIUM=/path, or apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def new_page(browser, view: str = "desktop", scheme: str = "light", *, palette: bool = False, init: str = "",
             console_as_errors: bool = False, **context_options: object):
    """A fresh context and page at a reader's viewport ("phone" 390x844 with touch, "desktop" 1366x900) and colour
    scheme (the media query; palette=True also stores Material's palette choice, as a reader's toggle does).

    The page collects page.errors (uncaught exceptions, with console errors too if console_as_errors),
    page.console_errors and page.foreign_requests (requests to another origin). Returns (context, page)."""
    w, h = VIEWPORTS[view]
    options = {"has_touch": view == "phone", **context_options}
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme, locale="zh-CN", **options)
    if palette:
        index, name = SCHEMES[scheme]
        context.add_init_script(
            f"localStorage.setItem('{SUB_PATH}.__palette', JSON.stringify({{index: {index}, color: {{scheme: '{name}'}}}}))"
        )
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.errors, page.console_errors, page.foreign_requests = [], [], []

    def on_console(message) -> None:
        if message.type == "error":
            page.console_errors.append(message.text)
            if console_as_errors:
                page.errors.append(message.text)

    def on_request(request) -> None:
        url = urllib.parse.urlsplit(request.url)
        if url.scheme in ("http", "https") and url.hostname not in ("127.0.0.1", "localhost"):
            page.foreign_requests.append(request.url)

    page.on("pageerror", lambda e: page.errors.append(f"{e} {e.stack or ''}"))
    page.on("console", on_console)
    page.on("request", on_request)
    return context, page


@pytest.fixture
def page(browser, served_site: str):
    """A desktop page in the light scheme on the served site; closed after the test."""
    context, pg = new_page(browser)
    yield pg
    context.close()

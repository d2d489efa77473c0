"""Freshness: when each page and each question last changed, from git history.

`file_dates` and `question_dates` are plain functions over `git blame`; hooks/freshness.py
sets each page's date (Material shows it under the content) and the macro `recent()` lists the
questions added or changed most recently, ordered by commit time. Uncommitted lines count as
now; in a shallow clone the lines blamed on its boundary commit have no date.
A file's blame is kept across builds (kb/build_cache.py, store `blame`: keyed by the commit
checked out, the shallow boundary, the path and the file's content) once every line is committed.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import pathlib
import subprocess

import kb.registry
from kb import build_cache

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _git(*args: str, cwd: str | pathlib.Path = ROOT) -> str:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


@functools.cache
def line_times(path: str, mtime_ns: int) -> list[dt.datetime | None]:
    """Commit time of the commit that last touched each line of a file: now for uncommitted
    lines, None for lines a shallow clone cannot date (blamed on its boundary commit)."""
    where = os.path.dirname(path) or "."
    head, shallow = _repo_state(where)
    key = build_cache.digest(head, " ".join(sorted(shallow)), path, build_cache.file_digest(path)) if head else ""
    hit = blame_store.get(key) if key else None
    if hit is not None:
        return [None if t is None else dt.datetime.fromtimestamp(t, dt.UTC) for t in hit]
    out = _git("blame", "--root", "--line-porcelain", "--", path, cwd=where)
    if not out and _git("rev-parse", "--is-inside-work-tree", cwd=where).strip() == "true":  # a file not committed yet
        now = dt.datetime.now(dt.UTC)
        return [now] * len(pathlib.Path(path).read_text("utf-8").split("\n"))
    times = parse_blame(out, shallow)
    if key and "\n0000000000000000000000000000000000000000 " not in "\n" + out:  # every line committed: keep it
        blame_store.put(key, [None if t is None else int(t.timestamp()) for t in times])
    return times


blame_store = build_cache.store("blame", build_cache.file_digest(__file__))


@functools.cache
def _repo_state(where: str) -> tuple[str, set[str]]:
    """The commit checked out and the shallow boundary (once per process, like line_times)."""
    return _git("rev-parse", "HEAD", cwd=where).strip(), shallow_commits(where)


def shallow_commits(where: str) -> set[str]:
    """The commits a shallow clone was cut at: they seem to add every line they hold."""
    name = _git("rev-parse", "--git-path", "shallow", cwd=where).strip()
    path = pathlib.Path(where, name) if name else None
    return set(path.read_text().split()) if path and path.is_file() else set()


def parse_blame(porcelain: str, unknown: set[str] = frozenset()) -> list[dt.datetime | None]:  # type: ignore[assignment]
    """`git blame --line-porcelain` output to one time per line; None for the lines of a
    boundary commit or of one in `unknown` (where a shallow clone was cut)."""
    times: list[dt.datetime | None] = []
    header, when, boundary = True, dt.datetime.now(dt.UTC), False
    for line in porcelain.split("\n"):
        if line.startswith("\t"):  # the line itself ends each record
            times.append(None if boundary else when)
            header, boundary = True, False
        elif header:  # "<sha> <orig line> <final line> [<lines>]"
            header = False
            boundary = line.split(" ", 1)[0] in unknown
        elif line.startswith("committer-time "):
            when = dt.datetime.fromtimestamp(int(line.split()[1]), dt.UTC)
        elif line == "boundary":
            boundary = True
    return times


def line_dates(path: str, mtime_ns: int) -> list[dt.date]:
    """Date of the last change of each line (today where history is missing)."""
    today = dt.date.today()
    return [t.date() if t else today for t in line_times(path, mtime_ns)]


def file_dates(docs_dir: str, src: str) -> list[dt.date]:
    path = (pathlib.Path(docs_dir) / src).resolve()
    return line_dates(str(path), path.stat().st_mtime_ns)


def file_times(docs_dir: str, src: str) -> list[dt.datetime | None]:
    path = (pathlib.Path(docs_dir) / src).resolve()
    return line_times(str(path), path.stat().st_mtime_ns)


def question_times(docs_dir: str, registry: kb.registry.Registry) -> dict[str, dt.datetime | None]:
    """Last change of each question (added, or any line from its heading to its answer's end
    edited); None when the history at hand cannot tell (every line blamed on a shallow boundary)."""
    result: dict[str, dt.datetime | None] = {}
    for page in registry.topics():
        times = file_times(docs_dir, page.path)
        for q in page.questions:
            known = [t for t in times[q.line - 1 : q.body_line + len(q.body)] if t is not None]
            result[q.id] = max(known) if known else None
    return result


def question_dates(docs_dir: str, registry: kb.registry.Registry) -> dict[str, dt.date]:
    """Last change of each question as a date (today where history is missing)."""
    today = dt.date.today()
    return {qid: t.date() if t else today for qid, t in question_times(docs_dir, registry).items()}

"""Build speed without changing the output: the build cache (kb/build_cache.py, hooks/render_cache.py)
and the glossary's tooltips (only the abbreviations a page uses; the first occurrence per answer)."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import conftest
import glossary
import markdown
import pytest
import yaml
from conftest import ROOT, fixture_config

from kb import build_cache, terms

# --------------------------------------------------------------------------- the store


def test_a_store_written_by_one_build_is_read_by_the_next(tmp_path: pathlib.Path) -> None:
    one = build_cache.Store("t", "v1")
    one.begin(tmp_path)
    one.put("k", {"html": "<p>x</p>"})
    one.save()
    two = build_cache.Store("t", "v1")
    two.begin(tmp_path)
    assert two.get("k") == {"html": "<p>x</p>"}


def test_a_store_of_another_version_or_a_broken_file_is_never_used(tmp_path: pathlib.Path) -> None:
    old = build_cache.Store("t", "katex-0.18")
    old.begin(tmp_path)
    old.put("k", "stale")
    old.save()
    new = build_cache.Store("t", "katex-0.19")
    new.begin(tmp_path)
    assert new.get("k") is None
    (tmp_path / "t.json").write_text('{"version": "katex-0.19", "entr', "utf-8")  # a build killed while writing
    again = build_cache.Store("t", "katex-0.19")
    again.begin(tmp_path)
    assert again.get("k") is None


def test_save_keeps_only_what_the_build_used(tmp_path: pathlib.Path) -> None:
    st = build_cache.Store("t", "v")
    st.begin(tmp_path)
    st.put("old", 1)
    st.put("kept", 2)
    st.save()
    st = build_cache.Store("t", "v")
    st.begin(tmp_path)
    assert st.get("kept") == 2
    st.save()
    data = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert data["entries"] == {"kept": 2}


def test_cache_off_starts_every_build_empty(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st = build_cache.Store("t", "v")
    st.begin(tmp_path)
    st.put("k", 1)
    st.save()
    monkeypatch.setenv("KB_CACHE", "off")
    st = build_cache.Store("t", "v")
    st.begin(tmp_path)
    assert st.get("k") is None


def test_the_cache_lives_beside_mkdocs_yml_unless_the_environment_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_CACHE_DIR", raising=False)
    assert build_cache.cache_dir("/p/mkdocs.yml") == pathlib.Path("/p/.cache/kb")
    monkeypatch.setenv("KB_CACHE_DIR", "/elsewhere")
    assert build_cache.cache_dir("/p/mkdocs.yml") == pathlib.Path("/elsewhere")


# --------------------------------------------------------------------------- glossary


def _render(text: str) -> str:
    return markdown.Markdown(extensions=["abbr"]).convert(text)


def test_a_page_gets_the_definitions_it_uses_and_renders_as_with_all_of_them() -> None:
    text = "GQA 让多个查询头共享一组 KV 头；MHAX 不是缩写。"
    every = terms.load_terms()
    used = glossary.used_terms(text, every)
    assert "GQA" in {t.en for t in used}
    assert len(used) < len([t for t in every if t.abbr])
    assert _render(text + "\n\n" + glossary.abbreviation_lines(used)) == \
        _render(text + "\n\n" + glossary.abbreviation_lines(every))


def test_within_an_answer_only_the_first_occurrence_keeps_its_tooltip() -> None:
    abbr = '<abbr title="视觉 Transformer">ViT</abbr>'
    html = (f'<p>{abbr} 开头</p>'
            f'<details class="kb-answer"><p>{abbr} 把图切块；{abbr} 再编码。</p><p>{abbr}</p></details>'
            f'<details class="kb-answer"><p><a href="#x">{abbr}</a> 之后 {abbr} 与 {abbr}</p></details>')
    out = glossary.unmark(html)
    first, second = re.findall(r'<details class="kb-answer">.*?</details>', out)
    assert first.count("<abbr") == 1 and first.count("ViT") == 3  # the text stays, the markers go
    # in a link the marker goes (a link is marked already), so the first one a reader sees keeps it
    assert second.count("<abbr") == 1 and '<a href="#x">ViT</a> 之后 <abbr' in second
    assert out.startswith(f"<p>{abbr} 开头</p>")  # outside answers: untouched


# --------------------------------------------------------------------------- whole builds


def _project(dest: pathlib.Path) -> pathlib.Path:
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("pdf"))
    real = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=conftest._Loader)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(fixture_config(real["nav"]), allow_unicode=True), "utf-8")
    return dest


def _build(project: pathlib.Path, out: str, **env: str) -> pathlib.Path:
    site = project / out
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, cwd=project, env={**os.environ, "PYTHONWARNINGS": "ignore", **env},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def _files(site: pathlib.Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_warm_builds_are_byte_for_byte_cold_builds_before_and_after_an_edit(tmp_path: pathlib.Path) -> None:
    """Build cold (filling the cache), then warm: the same files. Edit one answer's 速答 and build warm
    again: every file equals a build of the edited pages without any cache, and the edit shows on its
    page, in the cheat sheet that copies the 速答, and in the search index."""
    project = _project(tmp_path / "p")
    cache = tmp_path / "cache"
    cold = _files(_build(project, "site-cold", KB_CACHE_DIR=str(cache)))
    assert {p.name for p in cache.iterdir()} >= {"render.json", "macros.json", "katex.json", "jieba.json", "answers.json"}
    warm = _files(_build(project, "site-warm", KB_CACHE_DIR=str(cache)))
    assert warm.keys() == cold.keys()
    differ = [name for name in cold if warm[name] != cold[name]]
    assert not differ, f"the cached build differs from a cold one in {differ[:5]}"

    page = project / "docs" / "attention.md"
    text = page.read_text("utf-8")
    marker = "**速答**："
    assert marker in text
    page.write_text(text.replace(marker, marker + "缓存测试改动，", 1), "utf-8")
    edited = _files(_build(project, "site-edited", KB_CACHE_DIR=str(cache)))
    fresh = _files(_build(project, "site-fresh", KB_CACHE="off"))
    assert edited.keys() == fresh.keys()
    differ = [name for name in fresh if edited[name] != fresh[name]]
    assert not differ, f"after an edit, the cached build differs from a cold one in {differ[:5]}"
    assert "缓存测试改动" in edited["attention/index.html"].decode()
    assert "缓存测试改动" in edited["cheatsheet/index.html"].decode()
    assert "缓存测试改动" in edited["search/summary.js"].decode().replace("\u200b", "")  # segmented by jieba


def test_a_cached_page_still_fails_the_build_when_the_anchor_it_links_to_goes(site) -> None:
    """a.md links to b.md#sec. Rebuilt with the cache after the section is renamed in b.md, a.md itself is
    unchanged (its HTML comes from the cache), yet the strict build still names the broken link."""
    pages = {"index.md": "# 首页\n", "a.md": "# A\n\n见 [那一节](b.md#sec)。\n", "b.md": "# B\n\n## Sec\n\n正文。\n"}
    first, _ = site(pages)
    assert first.returncode == 0, first.stderr[-2000:]
    second, _ = site({**pages, "b.md": "# B\n\n## Other\n\n正文。\n"})
    assert second.returncode != 0
    assert "a.md" in second.stderr and "#sec" in second.stderr

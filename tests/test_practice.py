"""练习模式, 模拟面试 and the calculator as a reader uses them, in Chromium, on a phone (390×844)
and a desktop (1366×900); where the look matters, in light and dark.

Uses Debian's Chromium at /usr/bin/chromium. Outside CI a missing browser skips these tests
with the reason; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import json
import pathlib
import re
import urllib.request

import pytest
from conftest import SCHEMES, VIEWPORTS, new_page
from playwright.sync_api import Page, expect

VIEWS = list(VIEWPORTS)


@pytest.fixture(scope="module")
def questions(served_site: str) -> list[dict]:
    return json.loads(urllib.request.urlopen(served_site + "questions.json").read())


def open_page(browser, view: str = "desktop", scheme: str = "light"):
    """(context, page) with the scheme chosen through Material's palette toggle."""
    return new_page(browser, view, scheme, palette=True)


def titles(page: Page, n: int) -> list[str]:
    """The first n cards of the round, moving with →."""
    out = []
    for _ in range(n):
        title = page.locator(".kb-quiz-title")
        expect(title).to_be_visible()
        out.append(title.inner_text())
        page.keyboard.press("ArrowRight")
        if len(out) < n:
            expect(page.locator(".kb-quiz-title")).not_to_have_text(out[-1])
    return out


# ---------------------------------------------------------------- 练习


def test_quiz_order_is_shuffled_by_seed_and_stable_on_reload(browser, served_site: str, questions: list[dict]) -> None:
    context, page = open_page(browser)
    page.goto(served_site + "quiz/?seed=1")
    one = titles(page, 5)
    assert one != [q["title"] for q in questions[:5]], "the quiz starts with the first questions of the first page"
    page.reload()
    assert titles(page, 5) == one, "the same seed gives another order after a reload"
    page.goto(served_site + "quiz/?seed=2")
    assert titles(page, 5) != one, "two seeds give the same order"
    # without ?seed= the tab keeps its own seed: a reload shows the same first card
    page.goto(served_site + "quiz/")
    first = page.locator(".kb-quiz-title").inner_text()
    page.reload()
    expect(page.locator(".kb-quiz-title")).to_have_text(first)
    assert not page.errors  # type: ignore[attr-defined]
    context.close()


def counts(page: Page) -> tuple[int, int, int, int]:
    """(当前筛选 N, 本轮 K, i, K of 第 i / K 题) as the page shows them."""
    status = page.locator(".kb-quiz-status").inner_text()
    nav = page.locator(".kb-quiz-nav").inner_text()
    n, k = re.search(r"当前筛选 (\d+) 题", status).group(1), re.search(r"本轮 (\d+) 题", status).group(1)
    i, k2 = re.search(r"第 (\d+) / (\d+) 题", nav).groups()
    return int(n), int(k), int(i), int(k2)


@pytest.mark.parametrize("view", VIEWS)
def test_quiz_counts_agree(browser, served_site: str, questions: list[dict], view: str) -> None:
    context, page = open_page(browser, view)
    page.goto(served_site + "quiz/?seed=7")
    expect(page.locator(".kb-quiz-nav")).to_be_visible()
    assert counts(page) == (len(questions), len(questions), 1, len(questions))
    page.locator('select[name="level"]').select_option("深入")
    deep = [q for q in questions if q["level"] == "深入"]
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"当前筛选 {len(deep)} 题")
    assert counts(page) == (len(deep), len(deep), 1, len(deep))
    # 不会 brings the card back later without changing the count of the round
    page.keyboard.press("Space")
    page.keyboard.press("3")
    assert counts(page) == (len(deep), len(deep), 2, len(deep))
    page.keyboard.press("Space")
    page.keyboard.press("1")  # 会: not due again today
    page.reload()
    page.locator('select[name="level"]').select_option("深入")
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"本轮 {len(deep) - 1} 题")
    n, k, i, k2 = counts(page)
    assert (n, k, i) == (len(deep), len(deep) - 1, 1) and k2 == k
    context.close()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_reveal_hides_its_button_and_no_grade_looks_chosen(browser, served_site: str, view: str, scheme: str) -> None:
    context, page = open_page(browser, view, scheme)
    page.goto(served_site + "quiz/?seed=3")
    expect(page.locator(".kb-quiz-grades")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator(".kb-quiz-answer")).to_be_visible()
    expect(page.locator(".kb-quiz-reveal")).to_have_count(0)
    page.mouse.move(1, 1)  # nothing hovered
    page.wait_for_timeout(400)  # Material's button transitions (0.25 s) have ended: the steady look
    looks = page.evaluate("""() => [...document.querySelectorAll('.kb-quiz-grades button')].map(b => {
        const s = getComputedStyle(b);
        return [s.backgroundColor, s.color, s.borderColor, b.getAttribute('aria-pressed'), document.activeElement === b];
    })""")
    assert [x[:3] for x in looks] == [looks[0][:3]] * 3, f"one grade looks different before any is chosen: {looks}"
    assert all(x[3] == "false" and not x[4] for x in looks), looks
    # clicking reveal works as the space bar does, and the grades follow
    page.keyboard.press("2")
    page.locator(".kb-quiz-reveal").click()
    expect(page.locator(".kb-quiz-reveal")).to_have_count(0)
    expect(page.locator(".kb-quiz-grades")).to_be_visible()
    context.close()


def test_tag_picker_searches_and_filters(browser, served_site: str, questions: list[dict]) -> None:
    context, page = open_page(browser, "phone")
    page.goto(served_site + "quiz/")
    tags: dict[str, int] = {}
    for q in questions:
        for t in q["tags"]:
            tags[t] = tags.get(t, 0) + 1
    tag = max(tags, key=lambda t: tags[t])
    options = page.locator("#kb-quiz-tags option")
    expect(options).to_have_count(len(tags))  # every tag can be picked, not only frequent ones
    box = page.locator('input[name="tag"]')
    box.fill(tag)
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"当前筛选 {tags[tag]} 题")
    page.locator(".kb-quiz-tagclear").click()
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"当前筛选 {len(questions)} 题")
    context.close()


PILL = "(() => { const el = document.querySelector('.md-top'); return {wanted: !el.hidden, shown: getComputedStyle(el).display !== 'none'}; })()"


def scroll_down_then_up(page: Page) -> None:
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -200)  # Material un-hides the back-to-top pill while the reader scrolls up
    page.wait_for_timeout(500)


def test_back_to_top_pill_stays_off_the_quiz_on_a_phone(browser, served_site: str) -> None:
    """On a phone the pill would sit over the quiz's filters and cards: there it is not shown, though Material asks."""
    context, page = open_page(browser, "phone")
    page.goto(served_site + "attention/")
    scroll_down_then_up(page)
    assert page.evaluate(PILL) == {"wanted": True, "shown": True}  # the gesture shows it on a topic page
    page.goto(served_site + "quiz/")
    page.locator(".kb-quiz-reveal").click()  # the answer makes the card long enough to scroll
    scroll_down_then_up(page)
    assert page.evaluate(PILL) == {"wanted": True, "shown": False}
    context.close()


# ---------------------------------------------------------------- 模拟面试


def run_mock(page: Page, n: int, grades: list[int]) -> None:
    page.locator(f'.kb-mock-setup input[name="length"][value="{n}"]').check()
    page.locator(".kb-mock-start").click()
    for i, g in enumerate(grades):
        expect(page.locator(".kb-quiz-status")).to_contain_text(f"第 {i + 1} / {n} 题")
        page.keyboard.press("Space")
        page.keyboard.press({2: "1", 1: "2", 0: "3"}[g])


@pytest.mark.parametrize("view", VIEWS)
def test_mock_interview_runs_to_its_summary_and_is_kept(browser, served_site: str, questions: list[dict], view: str) -> None:
    by_id = {q["id"]: q for q in questions}
    context, page = open_page(browser, view)
    page.goto(served_site + "quiz/")
    expect(page.locator(".kb-quiz-title")).to_be_visible()
    page.locator(".kb-quiz-mode", has_text="模拟面试").click()
    grades = [2, 1, 0, 2, 2, 1, 0, 2, 1, 2]
    run_mock(page, 10, grades)
    summary = page.locator(".kb-quiz-card .kb-mock-summary")
    expect(summary).to_be_visible()
    expect(summary.locator(".kb-mock-score")).to_have_text("得分 65%：会 5 · 模糊 3 · 不会 2")
    session = page.evaluate("kbProgress.sessions()")[-1]
    items = session["items"]
    assert [it["grade"] for it in items] == grades
    # levels mixed 3:5:2, easy to hard
    levels = [by_id[it["id"]]["level"] for it in items]
    assert levels == ["基础"] * 3 + ["进阶"] * 5 + ["深入"] * 2
    assert len({it["id"] for it in items}) == 10
    # by topic and by level, with the counts of this session
    level_rows = summary.locator("table").nth(1).locator("tbody tr")
    expect(level_rows).to_have_count(3)
    expect(level_rows.nth(1)).to_contain_text("进阶")
    expect(level_rows.nth(1).locator("td").first).to_have_text("5")
    topic_total = sum(int(t) for t in summary.locator("table").nth(0).locator("tbody tr td:first-of-type").all_inner_texts())
    assert topic_total == 10
    # the weak ones are linked, worst first, and the links open the answer
    weak = summary.locator(".kb-mock-weak a")
    expect(weak).to_have_count(5)
    expected = [it["id"] for it in sorted((it for it in items if it["grade"] < 2), key=lambda it: it["grade"])]
    hrefs = weak.evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert [h.rsplit("#", 1)[1] for h in hrefs] == expected
    # the result is kept after a reload
    page.reload()
    expect(page.locator(".kb-quiz-mode", has_text="模拟面试")).to_have_attribute("aria-pressed", "true")  # ?mode=mock kept
    past = page.locator(".kb-mock-history")
    expect(past).to_contain_text("最近的模拟面试")
    expect(past.locator(".kb-mock-past").first).to_contain_text("10 题 · 得分 65%")
    assert len(page.evaluate("kbProgress.sessions()")) == 1
    past.locator(".kb-mock-past").first.locator(".kb-mock-weak a").first.click()
    target = expected[0]
    page.wait_for_url(re.compile(f"#{target}$"))
    expect(page.locator(f"#{target} ~ details.kb-answer").first).to_have_attribute("open", "", timeout=15000)
    assert not page.errors  # type: ignore[attr-defined]
    context.close()


def test_mock_interview_survives_a_reload_and_times_out(browser, served_site: str) -> None:
    context, page = open_page(browser)
    page.clock.install()
    page.goto(served_site + "quiz/?mode=mock")
    page.locator('select[name="timer"]').select_option("60")
    run_mock(page, 20, [2, 2])
    expect(page.locator(".kb-mock-clock")).to_have_text("剩余 1:00")
    page.reload()  # an interview in progress is not lost
    expect(page.locator(".kb-quiz-status")).to_contain_text("第 3 / 20 题")
    page.clock.run_for(61_000)
    expect(page.locator(".kb-mock-clock")).to_have_text("时间到")
    expect(page.locator(".kb-quiz-answer")).to_be_visible()  # the 速答 is shown when time is up
    page.keyboard.press("3")
    expect(page.locator(".kb-quiz-status")).to_contain_text("第 4 / 20 题")
    page.once("dialog", lambda d: d.accept())
    page.locator(".kb-mock-quit").click()
    expect(page.locator(".kb-mock-score")).to_contain_text("会 2 · 模糊 0 · 不会 1")
    expect(page.locator(".kb-mock-weak li")).to_contain_text("超时")
    context.close()


def test_sessions_are_validated(browser, served_site: str) -> None:
    context, page = open_page(browser)
    page.goto(served_site + "quiz/")
    expect(page.locator(".kb-quiz-title")).to_be_visible()
    kept = page.evaluate("""() => {
        localStorage.setItem(kbProgress.SESSIONS_KEY, JSON.stringify({version: 1, sessions: [
            {date: 1, timer: 0, items: [{id: 'not an id', topic: 'x', level: '基础', grade: 2}]},
            {date: 2, timer: 0, items: [{id: 'attention-scale-sqrt-dk', topic: '注意力机制', level: '基础', grade: 1}]}]}));
        return kbProgress.sessions().map(s => s.date);
    }""")
    assert kept == [2]
    with pytest.raises(Exception, match="invalid session"):
        page.evaluate("kbProgress.saveSession({date: 3, timer: 0, items: []})")
    context.close()


# ---------------------------------------------------------------- calculator

from kb import formulas as f

MODELS = f.load_models()


def calc(page: Page, mode: str, preset: str, **fields: object) -> dict[str, str]:
    """Pick a mode and preset, fill fields (name -> value; bools tick boxes), return {row label: value}."""
    page.locator(".kb-calc-mode", has_text=mode).click()
    page.locator('#kb-calc select[name="preset"]').select_option(preset)
    for name, value in fields.items():
        box = page.locator(f'#kb-calc [name="{name}"]')
        if isinstance(value, bool):
            box.set_checked(value)
        elif box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(str(value))
        else:
            box.fill(str(value))
    rows = page.locator("#kb-calc .kb-calc-out tr")
    expect(rows.last).to_be_visible()
    return {r.locator("th").inner_text().replace(" 推导", "").strip(): r.locator("td").inner_text() for r in rows.all()}


def total(rows: dict[str, str]) -> str:
    return next(v for k, v in rows.items() if k.startswith("合计") or k == "墙钟时间")


@pytest.mark.parametrize("view", VIEWS)
def test_calculator_modes_match_python_and_show_a_total(browser, served_site: str, view: str) -> None:
    context, page = open_page(browser, view)
    page.goto(served_site + "calculator/")
    expect(page.locator("#kb-calc .kb-calc-out td").first).to_be_visible()

    m = MODELS["llama2-13b"]
    rows = calc(page, "全量微调", "llama2-13b", seq=2048, batch=2, gpus=8, zero="2", recompute="selective")
    full = f.full_finetune_memory(m, 2048, 2, 2, 8, "selective")
    assert total(rows) == f.fmt_bytes(full["total"])
    assert rows["激活（全部层）"] == f.fmt_bytes(full["activations"])

    m = MODELS["llama3-8b"]
    rows = calc(page, "LoRA / QLoRA", "llama3-8b", seq=4096, batch=1, rank=64, targets="attn", lora_method="qlora", checkpointing=False)
    lora = f.lora_memory(m, 4096, 1, 64, "attn", True, False)
    assert total(rows) == f.fmt_bytes(lora["total"])
    assert rows["可训练参数（adapter）"].startswith(f.fmt_count(lora["adapter_params"]))
    assert any(v == f.fmt_bytes(lora["frozen"]) for k, v in rows.items() if k.startswith("冻结权重（NF4"))

    m = MODELS["deepseek-v3"]
    rows = calc(page, "推理服务", "deepseek-v3", seq=32768, concurrent=8, wdtype="fp8", dtype="bf16")
    serve = f.serving_memory(m, 32768, 8, "fp8", "bf16")
    assert total(rows) == f.fmt_bytes(serve["total"])
    assert rows["KV cache（8 条序列）"] == f.fmt_bytes(serve["kv"])
    assert rows["80 GB 卡（可用 90%）"] == f"至少 {f.gpus_needed(serve['total'], 80e9)} 张"
    expect(page.locator(".kb-calc-moe")).to_contain_text("d_c = 512")

    m = MODELS["mixtral-8x7b"]
    rows = calc(page, "训练算力", "mixtral-8x7b", tokens=1200, tgpus=512, gpu="a100-80gb", mfu=35)
    active = f.param_count(m, active=True)
    time = f.training_time(active, 1.2e12, 512, 312e12, 0.35)
    assert rows["训练 FLOPs（6ND）"] == f"{f.fmt_sci(time['flops'])}（{f.fmt_flop_si(time['flops'])}）"
    assert re.fullmatch(r"\d\.\d\d × 10[⁰¹²³⁴⁵⁶⁷⁸⁹]+（[\d.]+ [EZY]FLOPs）", rows["训练 FLOPs（6ND）"])
    assert total(rows) == f"{f._sig(time['days'])} 天"
    expect(page.locator("#kb-calc caption")).to_contain_text("1.2 T tokens")
    # every row with a formula links to the question that derives it
    refs = page.locator("#kb-calc .kb-calc-ref")
    expect(refs.first).to_be_visible()
    for href in refs.evaluate_all("els => els.map(a => a.getAttribute('href'))"):
        assert re.search(r"/#[a-z0-9-]+$", href), href
    assert not page.errors  # type: ignore[attr-defined]
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_calculator_total_stays_next_to_the_inputs(browser, served_site: str, scheme: str) -> None:
    """Phone: a total bar stays on screen while the inputs scroll; desktop: the results sit beside the inputs."""
    context, page = open_page(browser, "phone", scheme)
    page.goto(served_site + "calculator/")
    page.locator('#kb-calc input[name="seq"]').scroll_into_view_if_needed()
    bar = page.locator(".kb-calc-totalbar")
    expect(bar).to_contain_text("合计：")
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] <= 844 + 1 and box["y"] > 844 / 2, box
    page.locator('#kb-calc input[name="seq"]').fill("8192")
    rows = calc(page, "全量微调", "llama2-7b", seq=8192)
    expect(bar).to_have_text("合计：" + total(rows) + " / 卡")
    context.close()
    context, page = open_page(browser, "desktop", scheme)
    page.goto(served_site + "calculator/")
    form, results = page.locator("#kb-calc form").bounding_box(), page.locator("#kb-calc .kb-calc-results").bounding_box()
    assert results["x"] >= form["x"] + form["width"] - 1 and results["y"] < form["y"] + form["height"], (form, results)
    context.close()


def test_calculator_works_from_the_offline_copy(browser, offline_site: pathlib.Path) -> None:
    context, page = open_page(browser, "phone")
    page.goto((offline_site / "calculator.html").as_uri())  # the offline plugin turns directory URLs off
    rows = calc(page, "推理服务", "qwen2.5-72b", seq=8192, concurrent=4, wdtype="int4", dtype="fp8")
    serve = f.serving_memory(MODELS["qwen2.5-72b"], 8192, 4, "int4", "fp8")
    assert total(rows) == f.fmt_bytes(serve["total"])
    options = page.locator('#kb-calc select[name="preset"] option')
    expect(options).to_have_count(len(MODELS))
    expect(page.locator('#kb-calc select[name="gpu"] option')).to_have_count(len(f.load_gpus()) + 1)
    assert not page.errors  # type: ignore[attr-defined]
    context.close()

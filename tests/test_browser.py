"""The reports in a real browser: headless Chromium opens the index and an article report.

A run of ``00_corpus`` and ``10_article`` on the seed article plus a hostile one (with
``<script>``, ``<img onerror>`` and ``</textarea>`` in its headline and body) is made here; the
test checks that the links, marks and plots are there, that clicking a mark shows its details,
and that nothing from the article ran. Screenshots are saved in the test's tmp folder.

Needs Debian's ``chromium`` and ``chromium-driver`` (``scripts/install_browser.py``, which
``make test`` runs first); skipped with the reason when they are absent.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SEED_FILE

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--window-size=1280,1600",
]

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTILE_ID = "hostile"
# A news-style article carrying markup that must be shown, never run. Each payload, if it ran,
# would leave a trace on `window` that the test looks for.
HOSTILE = """Minister says <script>window.__pwned_headline = 1</script> missile attack was repelled

The army said <img src=x onerror="window.__pwned_img = 1"> more than 300 drones and missiles
were launched at the country overnight, and that 99% of them were intercepted.

"We will respond at a time of our choosing," the defence minister said in a statement.
</textarea><script>window.__pwned_body = 1</script>

Officials said the attack caused minor damage to an air base <svg onload="window.__pwned_svg = 1">
and that one person was injured.
"""
PWNED = ["__pwned_headline", "__pwned_img", "__pwned_body", "__pwned_svg"]


def _browser_missing() -> str:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is not installed (run scripts/install_browser.py as root)"
    if not (CHROMEDRIVER.exists() and os.access(CHROMEDRIVER, os.X_OK)):
        return f"{CHROMEDRIVER} is not installed (Debian package chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return ""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from presslab.run import run

    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    (corpus / f"{HOSTILE_ID}.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("run") / "r"
    manifest = run(corpus, out, jobs=2, notebooks=["00_corpus", "10_article"], progress=False)
    return out, manifest


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.binary_location = str(CHROMIUM)
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


def _pwned(driver) -> list[str]:
    return [name for name in PWNED if driver.execute_script(f"return window.{name};")]


def test_the_run_went_through(hostile_run):
    _out, manifest = hostile_run
    failed = {j["report"]: j["error"] for j in manifest["notebooks"] if j["status"] != "ok"}
    assert not failed
    assert {j["article_id"] for j in manifest["notebooks"]} == {None, HOSTILE_ID, SEED_FILE.stem}


def test_index_in_the_browser(hostile_run, driver, tmp_path):
    from selenium.webdriver.common.by import By

    out, manifest = hostile_run
    driver.get((out / "index.html").as_uri())
    driver.save_screenshot(str(tmp_path / "index.png"))
    assert driver.title.startswith("presslab run")
    links = {
        a.get_attribute("href").rsplit("/", 1)[-1]
        for a in driver.find_elements(By.CSS_SELECTOR, "a")
    }
    for job in manifest["notebooks"]:
        assert Path(job["report"]).name in links
    assert "length_words.png" in links  # plots are linked with their CSVs
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "<script>window.__pwned_headline = 1</script>" in body  # shown as text
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert _pwned(driver) == []


def _report(manifest, article_id: str) -> Path:
    return next(Path(j["report"]) for j in manifest["notebooks"] if j["article_id"] == article_id)


def test_hostile_article_report_shows_and_runs_nothing(hostile_run, driver, tmp_path):
    from selenium.webdriver.common.by import By

    _out, manifest = hostile_run
    driver.get(_report(manifest, HOSTILE_ID).as_uri())
    driver.save_screenshot(str(tmp_path / "hostile.png"))
    assert _pwned(driver) == []
    text = driver.find_element(By.CSS_SELECTOR, ".pl-text").text
    for payload in (
        '<img src=x onerror="window.__pwned_img = 1">',
        "</textarea>",
        "<script>window.__pwned_body = 1</script>",
        "<svg onload=",
    ):
        assert payload in text
    # The article's markup became no element at all.
    article = driver.find_element(By.CSS_SELECTOR, ".pl-article")
    for selector in ("img", "svg", "textarea", "a"):
        assert article.find_elements(By.CSS_SELECTOR, selector) == []
    assert len(article.find_elements(By.TAG_NAME, "script")) == 1  # presslab's own
    for mark in driver.find_elements(By.CSS_SELECTOR, "mark.pl-mark[data-id]"):
        assert mark.get_attribute("data-kind") in {"actor", "quote", "figure", "frame"}


def test_seed_report_has_marks_plots_and_details(hostile_run, driver, tmp_path):
    from selenium.webdriver.common.by import By

    _out, manifest = hostile_run
    driver.get(_report(manifest, SEED_FILE.stem).as_uri())
    marks = driver.find_elements(By.CSS_SELECTOR, ".pl-text mark.pl-mark[data-kind]")
    kinds = {m.get_attribute("data-kind") for m in marks}
    assert "frame" in kinds and len(marks) >= 20
    parts = {
        p.get_attribute("data-part") for p in driver.find_elements(By.CSS_SELECTOR, ".pl-part")
    }
    assert {"headline", "byline", "body", "boilerplate"} <= parts
    plots = driver.find_elements(By.CSS_SELECTOR, "img[src^='data:image/png']")
    assert plots and all(
        driver.execute_script("return arguments[0].naturalWidth;", p) > 100 for p in plots
    )
    # Click a mark: the details panel shows what was found there.
    panel = driver.find_element(By.CSS_SELECTOR, ".pl-details")
    before = panel.text
    driver.execute_script("arguments[0].scrollIntoView(); arguments[0].click();", marks[0])
    assert panel.text != before and marks[0].get_attribute("data-label") in panel.text
    # The legend hides a kind: its marks lose their colour.
    frame = next(m for m in marks if m.get_attribute("data-kind") == "frame")
    shown = frame.value_of_css_property("text-decoration-line")
    driver.find_element(By.CSS_SELECTOR, "label[for$='-frame']").click()
    assert shown != frame.value_of_css_property("text-decoration-line")
    driver.save_screenshot(str(tmp_path / "seed.png"))
    assert _pwned(driver) == []

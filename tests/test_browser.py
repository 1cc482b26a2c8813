"""The web catalog in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver`` packages, never a downloaded browser) driven by Selenium.

A person opens the catalog, follows "Rank host designs", ranks by cycling time in
symmetric cells, sees the chart and the best host with its value, and clicks through
to the sentence that states the value. Screenshots go to test-output/<test name>/.

Without Chromium the test is skipped with the reason in the report; with the ``CI``
environment variable set it fails instead (.ci/run installs Chromium).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = (f"chromium not installed at {CHROMIUM} (missing: {', '.join(missing)}); "
              "install with: apt-get install -y chromium chromium-driver")
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and the browser test cannot run: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """The demo corpus built and served by `extractor.serve.serve` in a subprocess on a
    free loopback port; yields (base URL, database name, database path)."""
    from extractor.build import build

    db_path = tmp_path_factory.mktemp("browser") / "hostkb.db"
    summary = build([REPO / "corpus"], db_path, progress=False)
    assert summary.ok, summary.format()
    port = _free_port()
    log = db_path.with_suffix(".log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from extractor.serve import serve; "
         "serve(sys.argv[1], port=int(sys.argv[2]))", str(db_path), str(port)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"the catalog did not start: {db_path.with_suffix('.log').read_text()}")
            time.sleep(0.2)
        yield base, db_path.stem, db_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture()
def browser(tmp_path):
    _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                "--window-size=1280,1400"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def _screenshot_whole_page(browser, path: Path) -> None:
    """Save what a person would scroll through (up to 4000 px), not just the window."""
    width = browser.get_window_size()["width"]
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 800), 4000))
    browser.save_screenshot(str(path))
    browser.set_window_size(width, 1400)


def _wait_for_page(browser, arrived) -> None:
    """Wait until ``arrived(browser)`` and the page has loaded: a click returns before the
    page it leads to is there."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(
        lambda b: arrived(b) and b.execute_script("return document.readyState") == "complete")


def test_rank_then_follow_a_figure_to_its_evidence_sentence(catalog, browser, output_dir, tmp_path):
    from selenium.webdriver.common.by import By
    from extractor.rank import rank

    base, db, db_path = catalog
    copy = tmp_path / "copy.db"  # rank() may open for writing: never the served file
    shutil.copy(db_path, copy)
    expected = rank(copy, "cycling_time", cell_type="symmetric")
    best = expected[0]

    # the index: the catalog's title and a way to the ranking
    browser.get(base + "/")
    assert "hostkb: lithium-metal anode hosts" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.PARTIAL_LINK_TEXT, "Rank host designs").click()

    # the ranking form: rank by cycling time in symmetric cells
    _wait_for_page(browser, lambda b: b.current_url.startswith(f"{base}/{db}/rank_hosts"))
    metric = browser.find_element(By.NAME, "metric")
    metric.clear()
    metric.send_keys("cycling_time")
    cell_type = browser.find_element(By.NAME, "cell_type")
    cell_type.clear()
    cell_type.send_keys("symmetric")
    browser.find_element(By.CSS_SELECTOR, 'form.sql input[type="submit"]').click()
    _wait_for_page(browser, lambda b: "metric=cycling_time" in b.current_url)

    # what a person sees: a chart, the best host first with its value
    chart = browser.find_element(By.CSS_SELECTOR, "figure.hostkb-chart")
    assert chart.find_element(By.TAG_NAME, "h3").text == "cycling_time (h)"
    assert chart.find_elements(By.CSS_SELECTOR, "svg g.bar")
    first_bar_label = chart.find_elements(By.CSS_SELECTOR, "svg g.bar text")[0].text
    assert first_bar_label.startswith(best.host)
    first_row = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert first_row.find_element(By.CSS_SELECTOR, "td.col-host").text == best.host
    assert float(first_row.find_element(By.CSS_SELECTOR, "td.col-value").text) == best.value
    assert first_row.find_element(By.CSS_SELECTOR, "td.col-unit").text == "h"
    _screenshot_whole_page(browser, output_dir / "rank_hosts.png")

    # one click from the number to the sentence that states it
    first_row.find_element(By.CSS_SELECTOR, "td.col-evidence a").click()
    _wait_for_page(browser, lambda b: b.current_url == f"{base}/{db}/sentences/{best.sentence_id}")
    sentence = browser.find_element(By.CSS_SELECTOR, "mark.hostkb-sentence")
    assert sentence.is_displayed()
    assert " ".join(sentence.text.split()) == " ".join(best.evidence.split())
    figures = browser.find_element(By.CSS_SELECTOR, "table.hostkb-figures").text
    assert best.host in figures and f"{best.value:g} h" in figures
    assert best.document in browser.find_element(By.CSS_SELECTOR, "p.hostkb-where").text
    _screenshot_whole_page(browser, output_dir / "evidence_sentence.png")
    assert (output_dir / "rank_hosts.png").stat().st_size > 10_000
    assert (output_dir / "evidence_sentence.png").stat().st_size > 10_000


def test_the_catalog_refuses_writes_over_http(catalog):
    base, db, db_path = catalog
    request = urllib.request.Request(f"{base}/{db}/documents/-/insert", data=b'{"row": {"name": "x"}}',
                                     method="POST", headers={"content-type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 405
    # a raw request line, which no client library would normalise
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=5) as sock:
        sock.sendall(b"GET /../../../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 404") and b"root:" not in answer

"""The web catalog in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver`` packages, never a downloaded browser) driven by Selenium.

A person opens the catalog, follows "Rank host designs", ranks by cycling time in
symmetric cells, sees the chart and the best host with its value, and clicks through
to the sentence that states the value. Then what a researcher checks first: a condition
a paper does not state shows empty (not 0), a search for a host name such as Ag@Cu finds
its sentences, a metric the ranking does not know gives a message, a host link leads to
the host's profile and a DOI is a link. Screenshots go to test-output/<test name>/.

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


# A composed paper (not from any real one) beside the demo corpus: a host named
# Ag@Cu, and a figure whose test states a current density but no areal capacity.
AG_CU_PAPER = """Silver Seeds on Copper Foam Guide Lithium Plating
A. N. Author, B. Writer
Journal of Composed Examples
DOI: 10.5555/hostkb.browser.001

Abstract
We coat a copper foam with silver seeds (Ag@Cu) to guide lithium plating.

Results
In half cells at 2 mA cm-2 the Ag@Cu electrode reaches an average Coulombic efficiency of 98.1% over 150 cycles.
The Ag@Cu host keeps a nucleation overpotential of 11 mV.
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """The demo corpus and one composed paper built and served by `extractor.serve.serve`
    in a subprocess on a free loopback port; yields (base URL, database name, database path)."""
    from extractor.build import build

    folder = tmp_path_factory.mktemp("browser")
    db_path = folder / "kb.db"  # served as "hostkb" whatever the file is called
    extra = folder / "composed_ag_cu.txt"
    extra.write_text(AG_CU_PAPER, encoding="utf-8")
    summary = build([REPO / "corpus", extra], db_path, progress=False)
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
        yield base, "hostkb", db_path
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


def _open(browser, url: str) -> None:
    """Go to ``url`` and wait for its footer: ``get`` can return while the page is still
    arriving (seen about once in ten runs on the ranking page)."""
    from selenium.webdriver.common.by import By

    browser.get(url)
    _wait_for_page(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "footer.ft"))


def test_rank_then_follow_a_figure_to_its_evidence_sentence(catalog, browser, output_dir, tmp_path):
    from selenium.webdriver.common.by import By
    from extractor.rank import rank

    base, db, db_path = catalog
    copy = tmp_path / "copy.db"  # rank() may open for writing: never the served file
    shutil.copy(db_path, copy)
    expected = rank(copy, "cycling_time", cell_type="symmetric")
    best = expected[0]

    # the index: the catalog's title and a way to the ranking
    _open(browser, base + "/")
    assert "hostkb: lithium-metal anode hosts" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.PARTIAL_LINK_TEXT, "Rank host designs").click()

    # the ranking form: rank by cycling time in symmetric cells
    _wait_for_page(browser, lambda b: b.current_url.startswith(f"{base}/{db}/rank_hosts"))
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.NAME, "metric")).select_by_value("cycling_time")
    Select(browser.find_element(By.NAME, "cell_type")).select_by_value("symmetric")
    browser.find_element(By.CSS_SELECTOR, 'form.sql input[type="submit"]').click()
    _wait_for_page(browser, lambda b: "metric=cycling_time" in b.current_url)

    # what a person sees: a chart, the best host first with its value
    chart = browser.find_element(By.CSS_SELECTOR, "figure.hostkb-chart")
    assert chart.find_element(By.TAG_NAME, "h3").text == "Cycling time (h)"
    assert chart.find_elements(By.CSS_SELECTOR, "svg g.point circle")
    first_label = chart.find_elements(By.CSS_SELECTOR, "svg g.point text.label")[0].text
    assert first_label.startswith(best.host)
    first_value = chart.find_elements(By.CSS_SELECTOR, "svg g.point text.value")[0].text
    assert first_value == f"{best.display_value}"  # with its qualifier: >1600 h
    first_row = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert first_row.find_element(By.CSS_SELECTOR, "td.col-host").text == best.host
    assert first_row.find_element(By.CSS_SELECTOR, "td.col-value").text == best.display_value.split(" ")[0]
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


def test_what_a_researcher_checks_first(catalog, browser, output_dir):
    """A NULL condition shows empty; a search for Ag@Cu finds its sentences; a bad metric
    on the rank page gives a message; a host link reaches its profile; a DOI is a link."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, db, db_path = catalog

    # a condition the paper does not state is an empty cell, not 0
    _open(browser, f"{base}/{db}/rank_hosts?metric=coulombic_efficiency&current_density=2")
    # textContent, not .text: the cell's words whatever the layout engine has painted so far
    hosts = [(r, r.find_element(By.CSS_SELECTOR, "td.col-host").get_attribute("textContent").strip())
             for r in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")]
    rows = [r for r, host in hosts if host == "Ag@Cu"]
    assert rows, [host for _, host in hosts]
    row = rows[0]
    assert row.find_element(By.CSS_SELECTOR, "td.col-current_density").text == "2.0"
    for empty in ("areal_capacity", "c_rate", "temperature", "cathode"):
        assert row.find_element(By.CSS_SELECTOR, f"td.col-{empty}").text.strip() == "", empty  # &nbsp;
    _screenshot_whole_page(browser, output_dir / "null_condition.png")

    # a search for a host name as it is written
    _open(browser, f"{base}/{db}/search_evidence")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("Ag@Cu")
    browser.find_element(By.CSS_SELECTOR, 'form.sql input[type="submit"]').click()
    _wait_for_page(browser, lambda b: "q=Ag%40Cu" in b.current_url)
    found = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-evidence")]
    assert len(found) == 3 and all("Ag@Cu" in t for t in found), found
    assert not browser.find_elements(By.CSS_SELECTOR, ".message-error")
    _screenshot_whole_page(browser, output_dir / "search.png")

    # a metric the ranking does not know: a message, not an empty table
    _open(browser, f"{base}/{db}/rank_hosts?metric=CE&cell_type=half")
    message = browser.find_element(By.CSS_SELECTOR, ".hostkb-problems")
    assert message.is_displayed() and "unknown metric 'CE'" in message.text
    assert "coulombic_efficiency" in message.text
    assert not browser.find_elements(By.CSS_SELECTOR, "p.zero-results")
    _screenshot_whole_page(browser, output_dir / "bad_metric.png")
    Select(browser.find_element(By.NAME, "metric")).select_by_value("coulombic_efficiency")
    browser.find_element(By.CSS_SELECTOR, 'form.sql input[type="submit"]').click()
    _wait_for_page(browser, lambda b: "metric=coulombic_efficiency" in b.current_url)
    assert not browser.find_elements(By.CSS_SELECTOR, ".hostkb-problems")

    # from a figure's host to the host's profile
    _open(browser, f"{base}/{db}/figures?host=Ag%40Cu")
    browser.find_element(By.CSS_SELECTOR, "td.col-host a.hostkb-profile").click()
    _wait_for_page(browser, lambda b: "/host_profile?" in b.current_url)
    parts = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-part")}
    assert {"paper", "figure"} <= parts
    assert "98.1 %" in {td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-shown")}
    _screenshot_whole_page(browser, output_dir / "host_profile.png")

    # the paper's DOI is a link
    doi = browser.find_element(By.CSS_SELECTOR, "a.hostkb-doi")
    assert doi.get_attribute("href") == "https://doi.org/10.5555/hostkb.browser.001"

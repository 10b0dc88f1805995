"""The report in a real browser (headless Chromium through Selenium and chromedriver).

Renders ``index.html`` of a small report and checks what a reader would
notice: no broken image, no horizontal overflow at common widths (the page,
and every table within its box), every figure and every claim present, and
a print layout (the PDF) that keeps every column of the claims table. A
screenshot and the PDF are kept under ``out/browser/`` (CI keeps them as
artefacts).

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install -y
chromium chromium-driver``) and ``selenium`` (the ``test`` extra); without
them the test is skipped with the reason, unless ``GAMETHEORY_REQUIRE_BROWSER=1``
(as in CI), where a missing browser is a failure.
"""
import base64
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from gametheory.report import build_report

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "out" / "browser"
CLAIMS = ["gidel2019_negative_momentum.table_simultaneous_any_beta", "mescheder2018_dirac.wgan",
          "msv2020.gaussians4_modes", "glgd.alternating_collapse"]
FIGURES = ["fig01", "fig08"]
WIDTHS = (1280, 1024, 800)  # every table fits its box
PHONE = 390                 # the page does not scroll sideways (a wide table may scroll in its own box)
# Chromium flags for a headless run as root on a machine without network
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")


def _missing():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "no chromium on PATH (apt-get install -y chromium chromium-driver)"
    if not shutil.which("chromedriver"):
        return "no chromedriver on PATH (apt-get install -y chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser():
    why = _missing()
    if why:
        if os.environ.get("GAMETHEORY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test is required here but cannot run: {why}")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in FLAGS + (f"--user-data-dir={tempfile.mkdtemp(prefix='gametheory-chromium-')}",):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    pytest.importorskip("torch")
    out = tmp_path_factory.mktemp("browser-report")
    res = build_report(out, scale="quick", progress=False, claim_ids=CLAIMS, figure_ids=FIGURES)
    return out, res


def _open(browser, out, width, height=900):
    browser.set_window_size(width, height)
    browser.get((out / "index.html").as_uri())
    browser.execute_script("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")


def _overflow(browser):
    return browser.execute_script("""
        const de = document.documentElement;
        const wide = [...document.querySelectorAll('table')]
            .filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
            .map(t => (t.id || t.className) + ': ' + Math.round(t.getBoundingClientRect().width) + ' > '
                      + t.parentElement.clientWidth);
        return {page: [de.scrollWidth, de.clientWidth], tables: wide};""")


@pytest.mark.slow
def test_report_in_a_real_browser(browser, page):
    out, res = page
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    _open(browser, out, WIDTHS[0])
    # every figure and claim of the run is on the page, each figure with its image
    fig_ids = [f["id"] for f in res["parts"]["figures"]["value"]["figures"]]
    claim_ids = [r["id"] for r in res["parts"]["claims"]["value"]["claims"]]
    assert fig_ids == FIGURES and len(claim_ids) == len(CLAIMS)
    for fid in fig_ids:
        assert browser.execute_script(f"return !!document.querySelector('#fig-{fid} img')"), fid
    shown = browser.execute_script(
        "return [...document.querySelectorAll('tr.claim')].filter(r => r.offsetHeight > 0).map(r => r.dataset.id)")
    assert shown == claim_ids
    neural = [f["id"] for f in res["parts"]["neural"]["value"]["figures"]]
    assert {"shares", "history", "samples"} <= set(neural)
    # no broken image: scroll each into view and wait until it has loaded with a real size
    theory = res["parts"]["theory"]["value"]["figures"]  # the predicted-vs-measured pictures
    assert theory and all(browser.execute_script(f"return !!document.querySelector('img[src=\"{t}\"]')")
                          for t in theory), theory
    n_img = browser.execute_script("return document.images.length")
    assert n_img == len(fig_ids) + len(neural) + len(theory)
    deadline = time.time() + 30
    broken = None
    while time.time() < deadline:
        broken = browser.execute_script("""
            return [...document.images].filter(i => { i.scrollIntoView(); return !(i.complete && i.naturalWidth > 0); })
                                       .map(i => i.getAttribute('src'));""")
        if not broken:
            break
        time.sleep(0.2)
    assert not broken, f"broken images: {broken}"
    # no horizontal overflow at common widths; on a phone only tables may scroll, in their own boxes
    for width in WIDTHS:
        _open(browser, out, width)
        o = _overflow(browser)
        assert o["page"][0] <= o["page"][1] and not o["tables"], (width, o)
    _open(browser, out, PHONE)
    o = _overflow(browser)
    assert o["page"][0] <= o["page"][1], (PHONE, o)
    # readable headers: no flattened JSON keys
    heads = browser.execute_script("return [...document.querySelectorAll('th')].map(t => t.textContent)")
    assert not [h for h in heads if "." in h and " " not in h], heads
    # a screenshot of the whole page (the CI artefact)
    _open(browser, out, WIDTHS[0])
    height = min(browser.execute_script("return document.documentElement.scrollHeight"), 20000)
    browser.set_window_size(WIDTHS[0], height)
    browser.save_screenshot(str(ARTEFACTS / "report.png"))
    assert (ARTEFACTS / "report.png").stat().st_size > 10_000


@pytest.mark.slow
def test_print_layout_keeps_every_column(browser, page):
    out, _ = page
    _open(browser, out, 794)  # A4 at 96 dpi
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    cols = browser.execute_script("""
        const ths = [...document.querySelectorAll('#claims-table thead th')];
        return ths.map(t => [t.textContent, Math.round(t.getBoundingClientRect().width)]);""")
    assert [c for c, _ in cols] == ["claim", "verdict", "toolkit (ours)", "published"], cols
    assert all(w > 40 for _, w in cols), cols
    o = _overflow(browser)
    assert o["page"][0] <= o["page"][1] and not o["tables"], o
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                                      "printBackground": True})
    data = base64.b64decode(pdf["data"])
    assert data[:4] == b"%PDF"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "report.pdf").write_bytes(data)

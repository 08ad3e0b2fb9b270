"""A real browser: JupyterLab in headless Chromium runs the introduction on the Faísca
kernel; then the jobs page shows the job that show() created and none before it."""
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import OUTPUT, ROOT, expected_category_counts, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "01-introducao.ipynb", root)
    port = free_port()
    token = "faisca-browser-test"
    ui_port = free_port()
    env = dict(os.environ, FAISCA_UI_PORT=str(ui_port))
    venv_bin = Path(os.environ.get("FAISCA_VENV", ROOT / ".venv")) / "bin"
    log = open(OUTPUT / "jupyterlab-browser-test.log", "w")
    proc = subprocess.Popen(
        [str(venv_bin / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
         f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("JupyterLab did not start; see test-output/jupyterlab-browser-test.log")
    yield base, token, ui_port
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_jupyterlab_runs_the_introduction_and_the_jobs_page_proves_laziness(lab):
    from playwright.sync_api import sync_playwright

    base, token, ui_port = lab
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/01-introducao.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook", timeout=120_000)
        # The kernel is Faísca's, from the notebook's metadata.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-Toolbar-kernelName, .jp-KernelName')].some(e => e.textContent.includes('Faísca'))",
            timeout=60_000,
        )
        page.wait_for_function(
            "() => document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]') !== null",
            timeout=60_000,
        )
        # Run ▸ Run All Cells, as a user would.
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        # The show() table: four categories with their counts, rendered as HTML.
        counts = expected_category_counts()
        page.wait_for_function(
            """(cats) => [...document.querySelectorAll('table.faisca-show')].some(t =>
                   cats.every(c => t.innerText.includes(c)))""",
            arg=list(counts),
            timeout=180_000,
        )
        # Wait for the last cell (the write) to finish.
        page.wait_for_function(
            "() => document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]') !== null && [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.innerText.includes('*'))",
            timeout=180_000,
        )
        table = page.locator("table.faisca-show", has_text="maquiagem").first
        text = table.inner_text()
        for category, count in counts.items():
            assert re.search(rf"{category}\s+{count}", text), (category, text)
        for button in page.get_by_role("button", name="No", exact=True).all():
            button.click()
        table.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / "jupyterlab-introducao.png"), full_page=False)

        # Evaluating `spark` (the first code cell) links the kernel's jobs page.
        page.locator(".jp-WindowedPanel-outer").first.evaluate("e => e.scrollTop = 0")
        link = page.locator(f"a[href^='http://127.0.0.1:{ui_port}']").first
        link.wait_for(timeout=30_000)
        url = link.get_attribute("href")
        jobs_page = browser.new_page()
        jobs_page.goto(url)
        jobs_page.wait_for_selector("#jobs")
        rows = jobs_page.locator("tr.job")
        actions = {int(r.get_attribute("data-job-id")): r.get_attribute("data-action") for r in rows.all()}
        # show() is the first job: the transformations before it created none.
        assert actions[0] == "show", actions
        jobs_page.screenshot(path=str(OUTPUT / "jobs-page.png"))
        with urllib.request.urlopen(url + "api/jobs") as r:
            jobs = json.load(r)
        show = jobs[0]
        assert show["status"] == "SUCCEEDED" and show["rows"] == 4, show
        jobs_page.goto(url + "jobs/0")
        assert jobs_page.locator("#plan").inner_text().strip(), "the job's plan is shown"
        browser.close()

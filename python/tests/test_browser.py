"""A real browser: JupyterLab in headless Chromium runs the introduction on the Faísca
kernel; then the jobs page shows the job that show() created and none before it. The
charts notebook draws every plot kind, a slow action shows its live progress line, and
each tab of the jobs page opens."""
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
    shutil.copy(ROOT / "notebooks" / "04-graficos.ipynb", root)
    port = free_port()
    token = "faisca-browser-test"
    ui_port = free_port()
    # Every cell laid out (no windowing), so outputs far down a notebook can be read.
    settings = root / ".lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, FAISCA_UI_PORT=str(ui_port), JUPYTERLAB_SETTINGS_DIR=str(root / ".lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab-workspaces"))
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
    yield base, token, ui_port, root
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_jupyterlab_runs_the_introduction_and_the_jobs_page_proves_laziness(lab):
    from playwright.sync_api import sync_playwright

    base, token, ui_port, _ = lab
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        # The kernel is Faísca's, from the notebook's metadata.
        page = open_notebook(browser, base, token, "01-introducao.ipynb")
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


def open_notebook(browser, base, token, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # A fresh workspace: only this notebook open.
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    # JupyterLab may ask which kernel to start; the notebook's own is preselected.
    try:
        page.locator(".jp-Dialog button", has_text="Select").click(timeout=5_000)
    except Exception:
        pass
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Toolbar-kernelName, .jp-KernelName')].some(e => e.textContent.includes('Faísca'))",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]') !== null",
        timeout=60_000,
    )
    return page


def wait_until_idle(page):
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]') !== null && [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.innerText.includes('*'))",
        timeout=180_000,
    )


def test_charts_progress_and_the_jobs_page_tabs(lab):
    from playwright.sync_api import sync_playwright

    base, token, _, root = lab
    # A CSV that takes the (test-build) kernel well over half a second to group.
    with open(root / "grande.csv", "w") as f:
        f.write("id,descricao,categoria\n")
        for start in range(0, 1_500_000, 100_000):
            f.write("".join(f"{i},produto numero {i} com uma descricao longa,cat{i % 7}\n"
                            for i in range(start, start + 100_000)))
    plot_cells = [c for c in json.loads((root / "04-graficos.ipynb").read_text())["cells"]
                  if c["cell_type"] == "code" and ".plot" in "".join(c["source"])]
    counts = expected_category_counts()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = open_notebook(browser, base, token, "04-graficos.ipynb")
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        wait_until_idle(page)
        # JupyterLab draws every chart with its own Vega renderer, as SVG.
        try:
            page.wait_for_function(
                "(n) => document.querySelectorAll('.jp-RenderedVegaLite svg.marks').length >= n",
                arg=len(plot_cells),
                timeout=60_000,
            )
        finally:
            page.screenshot(path=str(OUTPUT / "charts-notebook.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, [e.inner_text() for e in errors.all()]
        # The first chart: one bar per category.
        page.locator(".jp-WindowedPanel-outer").first.evaluate("e => e.scrollTop = 0")
        bar = page.locator(".jp-RenderedVegaLite").first
        bar.wait_for(timeout=30_000)
        bar.scroll_into_view_if_needed()
        marks = bar.locator("g.mark-rect path")
        assert marks.count() == len(counts), marks.count()
        bar.screenshot(path=str(OUTPUT / "chart-bar.png"))

        # A slow action: a progress line appears, then turns into the summary.
        page.locator(".jp-WindowedPanel-outer").first.evaluate("e => e.scrollTop = e.scrollHeight")
        page.locator(".jp-Cell").last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")  # edit mode in the new cell
        page.keyboard.type('spark.read.csv("grande.csv", header=True).groupBy("categoria").count().count()')
        page.keyboard.press("Shift+Enter")
        # Chart cells may have shown their own lines (a cold first read): look in this cell.
        cell = page.locator(".jp-CodeCell", has_text="grande.csv").last
        cell.locator(".faisca-progress").first.wait_for(timeout=60_000)
        page.screenshot(path=str(OUTPUT / "progress-line.png"))  # the line may be gone already
        done = cell.locator(".faisca-progress-done").first
        done.wait_for(timeout=120_000)
        assert re.match(r"job \d+ · 1 row · [\d.]+ s", done.inner_text()), done.inner_text()
        assert cell.locator(".faisca-progress").count() == 0, "the line was replaced, not added to"
        wait_until_idle(page)

        # This kernel's jobs page (the introduction's kernel has the first port): `spark`
        # links it.
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type("spark")
        page.keyboard.press("Shift+Enter")
        link = page.locator("a[href^='http://127.0.0.1:']").first
        link.wait_for(timeout=30_000)
        url = link.get_attribute("href")

        # The jobs page: each tab opens; the chart cells' jobs are listed.
        jobs_page = browser.new_page()
        jobs_page.goto(url)
        jobs_page.wait_for_selector("#jobs")
        actions = {r.get_attribute("data-action") for r in jobs_page.locator("tr.job").all()}
        assert {"plot.bar", "plot.hist", "plot.kde", "count"} <= actions, actions
        jobs_page.screenshot(path=str(OUTPUT / "jobs-page-jobs.png"))
        jobs_page.get_by_role("tab", name="Storage").click()
        jobs_page.wait_for_selector("#storage")
        jobs_page.screenshot(path=str(OUTPUT / "jobs-page-storage.png"))
        jobs_page.get_by_role("tab", name="Environment").click()
        jobs_page.wait_for_selector("table.faisca-env")
        assert "Polars" in jobs_page.inner_text("body")
        jobs_page.screenshot(path=str(OUTPUT / "jobs-page-environment.png"))
        with urllib.request.urlopen(url + "api/v1/applications") as r:
            app = json.load(r)[0]
        with urllib.request.urlopen(f"{url}api/v1/applications/{app['id']}/jobs") as r:
            jobs = json.load(r)
        assert jobs[0]["status"] == "SUCCEEDED" and jobs[0]["jobId"] == len(jobs) - 1, jobs[0]
        # The slow count measured how far it read its (relative) input.
        with urllib.request.urlopen(url + "api/jobs") as r:
            counted = [j for j in json.load(r) if j["action"] == "count"][-1]
        assert counted["bytes_total"] == (root / "grande.csv").stat().st_size, counted
        assert counted["bytes_read"] > 0, counted
        browser.close()

"""Every notebook in notebooks/ runs top to bottom on the Faísca kernel with nbclient, and
the introduction's outputs match the data computed independently; charts carry their SVG
twin, which nbconvert's HTML shows."""
import base64
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import OUTPUT, ROOT, expected_category_counts

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def run_notebook(path, workdir):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="faisca", timeout=300, resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


def text_of(cell):
    parts = []
    for out in cell.get("outputs", []):
        if "faisca-progress" in out.get("data", {}).get("text/html", ""):
            continue  # a slow action's progress summary, not the cell's output
        if out.get("output_type") == "stream":
            parts.append(out["text"])
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "".join(parts)


def html_of(cell):
    return "".join(out.get("data", {}).get("text/html", "") for out in cell.get("outputs", []))


def cell_with(nb, source_fragment, nth=0):
    matches = [c for c in nb.cells if c.cell_type == "code" and source_fragment in c.source]
    return matches[nth]


@pytest.fixture(scope="module")
def workdir():
    d = OUTPUT / "notebooks"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path, workdir):
    nb = run_notebook(path, workdir)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", (cell.source, out)
    nbformat.write(nb, workdir / path.name)


def test_introduction_outputs(workdir):
    nb = run_notebook(ROOT / "notebooks" / "01-introducao.ipynb", workdir)

    # Lazy until show(): the job log is empty before it and has exactly one job after.
    jobs_before = text_of(cell_with(nb, "%jobs", 0))
    assert "no jobs yet" in jobs_before, jobs_before
    grid = text_of(cell_with(nb, "df_trans2.show()"))
    counts = expected_category_counts()
    assert len(counts) == 4
    for category, count in counts.items():
        assert re.search(rf"\|\s*{category}\|\s*{count}\|", grid), (category, count, grid)
    jobs_after = text_of(cell_with(nb, "%jobs", 1))
    assert re.search(r"^0\s+\[\d+\]\s+show\s+SUCCEEDED", jobs_after, re.M), jobs_after

    # Views before and after createTempView.
    before = text_of(cell_with(nb, 'spark.sql("show tables").show()', 0))
    after = text_of(cell_with(nb, 'spark.sql("show tables").show()', 1))
    assert "trans2" not in before and "|namespace|tableName|isTemporary|" in before, before
    assert re.search(r"\|\s*\|\s*trans2\|\s*true\|", after), after
    assert "trans2: categoria: string, count: bigint" in text_of(cell_with(nb, "%show_tables"))

    # The %%sql select.
    sql = text_of(cell_with(nb, "select * from trans2 limit 10"))
    for category, count in counts.items():
        assert re.search(rf"\|{category}\s*\|{count}\s*\|", sql), (category, sql)

    # toPandas.
    html = html_of(cell_with(nb, "df_teste.toPandas()"))
    assert "3 rows × 2 columns" in html and "Senhor dos anéis" in html, html

    # The written CSV's row count.
    total = sum(counts.values())
    assert text_of(cell_with(nb, "saida-ids")).strip() == str(total)
    assert (workdir / "saida-ids" / "_SUCCESS").exists()


def test_inference_predicts_the_chapter_examples(workdir):
    nb = run_notebook(ROOT / "notebooks" / "03-inferencia-em-lote.ipynb", workdir)
    html = html_of(cell_with(nb, "df_predict.toPandas()"))
    rows = re.findall(r"<tr><th>\d+</th>(.*?)</tr>", html)
    predicted = [re.findall(r"<td>(.*?)</td>", r)[-1] for r in rows]
    assert predicted == ["brinquedo", "livro", "livro"], html
    assert text_of(cell_with(nb, 'spark.read.csv("predicoes").count()')).strip() == str(sum(expected_category_counts().values()))


VEGA_LITE = "application/vnd.vegalite.v5+json"


def chart_outputs(cell):
    return [o for o in cell.get("outputs", []) if VEGA_LITE in o.get("data", {})]


def test_the_introduction_draws_its_category_counts(workdir):
    nb = run_notebook(ROOT / "notebooks" / "01-introducao.ipynb", workdir)
    [chart] = chart_outputs(cell_with(nb, "plot.bar"))
    spec = chart["data"][VEGA_LITE]
    drawn = {v["x"]: v["value"] for v in spec["data"]["values"]}
    assert drawn == {k: float(v) for k, v in expected_category_counts().items()}, drawn
    assert chart["data"]["image/svg+xml"].startswith("<svg")
    assert "text/html" not in chart["data"], "no HTML, so static frontends pick the SVG"


def test_every_plot_kind_renders_statically_in_nbconvert(workdir):
    from nbconvert import HTMLExporter

    nb = run_notebook(ROOT / "notebooks" / "04-graficos.ipynb", workdir)
    cells = [c for c in nb.cells if c.cell_type == "code" and ".plot" in c.source]
    kinds = set()
    for cell in cells:
        kinds.update(re.findall(r"plot\.(\w+)\(|kind=\"(\w+)\"", cell.source)[0])
        [chart] = chart_outputs(cell)
        assert chart["data"]["image/svg+xml"].startswith("<svg"), cell.source
    kinds.discard("")
    assert kinds == {"bar", "barh", "pie", "hist", "box", "kde", "scatter", "line", "area"}, kinds
    html, _ = HTMLExporter().from_notebook_node(nb)
    (OUTPUT / "04-graficos.html").write_text(html)
    # nbconvert has no Vega: each chart is its SVG, as an image.
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == len(cells), len(images)
    for image in images:
        svg = base64.b64decode(image).decode()
        assert svg.startswith("<svg") and "<rect" in svg, svg[:200]


def test_python_notebook_counts_match_the_data(workdir):
    """Notebook 05's dict comprehension and window agree with Python's csv module."""
    import ast
    import csv
    from collections import Counter
    with open(ROOT / "data" / "produtos.csv", newline="", encoding="utf-8") as f:
        expected = Counter(r["categoria"] for r in csv.DictReader(f, delimiter=";") if r["descricao"])
    nb = run_notebook(ROOT / "notebooks" / "05-python-e-janelas.ipynb", workdir)
    contagens = ast.literal_eval(text_of(cell_with(nb, "contagens = {c:")))
    assert contagens == dict(expected)
    window = text_of(cell_with(nb, "row_number().over(w)"))
    for categoria, n in expected.items():
        assert re.search(rf"\|\s*{categoria}\|\s+1\|\s+\d+\|\s+{n}\|", window), (categoria, window)
    # The map of counts, the caught error and the UDF's word total agree with Python too.
    keys = ast.literal_eval(text_of(cell_with(nb, "sf.map_keys(")))
    assert sorted(keys) == sorted(expected)
    assert text_of(cell_with(nb, "except AnalysisException")).strip() == "sem coluna preco: True"
    with open(ROOT / "data" / "produtos.csv", newline="", encoding="utf-8") as f:
        words = sum(
            len(r["descricao"].strip(" ").split(" "))
            for r in csv.DictReader(f, delimiter=";")
            if r["descricao"]
        )
    assert int(text_of(cell_with(nb, "@pandas_udf"))) == words

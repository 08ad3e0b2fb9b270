"""Writes the chapter notebooks in notebooks/ (run after editing the cells here)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent / "notebooks"
KERNELSPEC = {"name": "faisca", "display_name": "Faísca (PySpark on Polars)", "language": "faisca"}
LANGUAGE = {"name": "faisca", "codemirror_mode": {"name": "python", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python", "pygments_lexer": "python"}


def notebook(cells):
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": LANGUAGE})
    nb.cells = [new_markdown_cell(c[4:]) if c.startswith("#md\n") else new_code_cell(c) for c in cells]
    return nb


INTRO = [
    "#md\n# Introdução: DataFrames preguiçosos, Spark SQL e a página de jobs\n\nThis notebook runs the chapter's PySpark cells on **Faísca**: the same DataFrame API, executed by lazy Polars. `spark` is ready; evaluate it to see the address of the jobs page (port 4040, like Spark's Web UI).",
    "spark",
    "#md\n## Ler o CSV\nThe file is `;`-separated with a header: `nome;descricao;categoria`.",
    'df_input = spark.read.option("delimiter", \';\').option("header","true").csv("/data/produtos.csv")\ndf_input',
    "df_input.printSchema()",
    "#md\n## Transformações são preguiçosas\nNothing below reads the data: each line only extends the plan. A DataFrame shows its schema, not its rows.",
    'from pyspark.sql.functions import concat, lit\ndf_trans1 = df_input.withColumn("nova_coluna", concat(lit("Prefixo"),"descricao"))\ndf_trans1',
    'df_trans2 = df_trans1.groupBy("categoria").count()\ndf_trans2',
    "#md\nThe job log is still empty (the jobs page on port 4040 says the same):",
    "%jobs",
    "#md\n## Uma ação executa o plano\n`show()` is an action: it runs the optimized plan and records a job.",
    "df_trans2.show()",
    "%jobs",
    "#md\n## Um gráfico\n`df.plot` has PySpark 4's API. The engine aggregates; the chart receives only the points it draws.",
    'df_trans2.plot.bar(x="categoria", y="count", title="Produtos por categoria")',
    "#md\n## Tabelas e views temporárias",
    'spark.sql("show tables").show()',
    'df_trans2.createTempView("trans2")',
    'spark.sql("show tables").show()',
    "%show_tables",
    "#md\n## `%%sql`\nThe chapter loads `sparksql_magic` and aliases it; both lines are accepted here and `%%sql` is built in.",
    "%load_ext sparksql_magic\n%alias_magic sql sparksql",
    "%%sql\nshow tables",
    "%%sql\nselect * from trans2 limit 10",
    "#md\n## Um DataFrame de teste e `toPandas()`",
    'df_teste = spark.createDataFrame([(1, "Figura Transformers Prime War Deluxe - E9687 - Hasbro"), (2, "Senhor dos aneis"), (3, "Senhor dos anéis")], ["id", "descricao"])\ndf_teste.toPandas()',
    "#md\n## Ids e escrita em disco\nWrites produce a Spark-style folder (part file + `_SUCCESS`); `overwrite` swaps the new output in only once it is complete.",
    'from pyspark.sql.functions import monotonically_increasing_id\ndf_ids = df_input.select("descricao").withColumn("id", monotonically_increasing_id())\ndf_ids.show(5)',
    'df_ids.write.mode(\'overwrite\').option("header", "true").csv("saida-ids")\nspark.read.option("header", "true").csv("saida-ids").count()',
]

TRAIN = [
    "#md\n# Treino do classificador de produtos\nBag of words + multinomial Naive Bayes (smartcore), trained on `nome + descricao` of the products that have a description, like the chapter.",
    'df = spark.read.option("delimiter", ";").option("header", "true").csv("/data/produtos.csv")\ndados = df.filter(col("descricao").isNotNull())\ndados.groupBy("categoria").count().orderBy("categoria").show()',
    "train, test = dados.randomSplit([0.8, 0.2], seed=10)\nprint(train.count(), test.count())",
    'model = NaiveBayes(text=["nome", "descricao"], label="categoria").fit(train)\nmodel',
    "#md\n## Avaliação\nAccuracy, per-class precision/recall and the confusion matrix on the held-out rows.",
    "model.evaluate(test)",
    "#md\n## Por que esta classe?\nThe words that pushed a product to its class, against the runner-up.",
    'model.explain("Senhor dos anéis")',
    "#md\n## Salvar em `/model`",
    'model.write().overwrite().save("/model/classificador-produtos.bin")',
]

INFER = [
    "#md\n# Inferência em lote\nLoad the saved model and use it as a column function, like the chapter's pandas UDF. Predictions run inside the lazy plan, in parallel batches.",
    'predict = load_model("/model/classificador-produtos.bin")\npredict',
    'df_teste = spark.createDataFrame([(1, "Figura Transformers Prime War Deluxe - E9687 - Hasbro"), (2, "Senhor dos aneis"), (3, "Senhor dos anéis")], ["id", "descricao"])\ndf_predict = df_teste.withColumn("predict", predict("descricao"))\ndf_predict.toPandas()',
    'df_teste.withColumn("predict", predict("descricao")).withColumn("prob", predict.proba("descricao")).show(truncate=False)',
    "#md\n## O CSV inteiro\nThe production scenario: read → select the description → add an id → predict → write.",
    'df_input = spark.read.option("delimiter", \';\').option("header","true").csv("/data/produtos.csv")\nfrom pyspark.sql.functions import monotonically_increasing_id\ndf_input = df_input.select("descricao").withColumn("id", monotonically_increasing_id())\ndf_predict = df_input.withColumn("predict", predict("descricao"))\ndf_predict',
    "df_predict.groupBy(\"predict\").count().orderBy(\"predict\").show()",
    "df_predict.write.mode('overwrite').csv(\"predicoes\")",
    'spark.read.csv("predicoes").count()',
    "%jobs",
]

PLOTS = [
    "#md\n# Gráficos\nEvery kind of PySpark 4's `df.plot`, on the products. Each chart is a Vega-Lite view in JupyterLab and an SVG elsewhere (GitHub, `nbconvert`); histograms, box statistics and densities are computed by the engine, so a chart carries its points, not the rows.",
    'from pyspark.sql.functions import col, length\ndf = spark.read.option("delimiter", ";").option("header", "true").csv("/data/produtos.csv")\nprodutos = df.filter(col("descricao").isNotNull()).withColumn("tamanho_descricao", length("descricao")).withColumn("tamanho_nome", length("nome"))\npor_categoria = produtos.groupBy("categoria").count().orderBy("categoria")',
    "#md\n## Contagens: `bar`, `barh`, `pie`",
    'por_categoria.plot.bar(x="categoria", y="count")',
    'por_categoria.plot.barh(x="categoria", y="count")',
    'por_categoria.plot.pie(x="categoria", y="count")',
    "#md\n## Distribuições: `hist`, `box`, `kde`",
    'produtos.plot.hist(column="tamanho_nome", bins=20)',
    'produtos.plot.box(column=["tamanho_nome"])',
    'produtos.plot.kde(column="tamanho_nome", bw_method=0.3)',
    "#md\n## Relações: `scatter`\nMore than 1,000 rows are sampled, and the chart says so.",
    'produtos.plot.scatter(x="tamanho_nome", y="tamanho_descricao")',
    "#md\n## Séries: `line`, `area`, and `df.plot(kind=...)`",
    'vendas = spark.range(1, 31).selectExpr("id AS dia", "id * 7 % 23 AS vendas", "id % 5 AS devolucoes")\nvendas.plot.line(x="dia", y=["vendas", "devolucoes"])',
    'vendas.plot.area(x="dia", y=["vendas", "devolucoes"])',
    'vendas.plot(kind="bar", x="dia", y="vendas", title="Vendas por dia")',
]

PYTHON = [
    "#md\n# Python em volta do PySpark\nLoops, functions, comprehensions, dates, arrays and windows on the products, written as in a PySpark notebook.",
    'from pyspark.sql import functions as sf, Window, Row\nimport datetime\ndf = spark.read.option("delimiter", ";").option("header", "true").csv("/data/produtos.csv")\nprodutos = df.filter(sf.col("descricao").isNotNull())',
    "#md\n## Loops and functions",
    'def resumo(frame, coluna):\n    """Rows, distinct values and the longest value of a column."""\n    maior = frame.select(sf.max(sf.length(coluna))).first()[0]\n    return {"linhas": frame.count(), "distintos": frame.select(coluna).distinct().count(), "maior": maior}\n\nfor coluna in ["nome", "categoria"]:\n    print(coluna, resumo(produtos, coluna))',
    'categorias = [r["categoria"] for r in produtos.select("categoria").distinct().orderBy("categoria").collect()]\ncontagens = {c: produtos.filter(sf.col("categoria") == c).count() for c in categorias}\ncontagens',
    "#md\n## Windows: the longest descriptions of each category",
    'w = Window.partitionBy("categoria").orderBy(sf.desc("tamanho"))\nranking = (produtos.withColumn("tamanho", sf.length("descricao"))\n    .withColumn("posicao", sf.row_number().over(w))\n    .withColumn("total_categoria", sf.count("nome").over(Window.partitionBy("categoria"))))\nranking.filter(sf.col("posicao") <= 2).select("categoria", "posicao", "tamanho", "total_categoria").orderBy("categoria", "posicao").show()',
    "#md\n## Arrays and dates",
    'palavras = produtos.select("categoria", sf.split(sf.lower("nome"), " ").alias("palavras"))\npalavras.select("categoria", sf.size("palavras").alias("n"), sf.element_at("palavras", 2).alias("segunda")).show(5)',
    'pedidos = spark.createDataFrame([\n    Row(id=1, dia=datetime.date(2024, 1, 15), itens=["livro", "game"]),\n    Row(id=2, dia=datetime.date(2024, 2, 29), itens=["livro"]),\n])\npedidos.select("id", sf.year("dia").alias("ano"), sf.date_add("dia", 30).alias("vence"), sf.array_contains("itens", "game").alias("tem_game")).collect()',
    "#md\n## Maps, explode and SQL expressions",
    'por_categoria = produtos.groupBy("categoria").count()\nmapa = por_categoria.agg(sf.map_from_arrays(sf.collect_list("categoria"), sf.collect_list("count")).alias("contagens"))\n# collect_list gathers in no set order: sorted keys make the output independent of the engine.\nmapa.select(sf.array_sort(sf.map_keys("contagens")).alias("categorias")).first().categorias',
    'palavras.select(sf.explode("palavras").alias("palavra")).groupBy("palavra").count().orderBy(sf.desc("count"), "palavra").show(5)',
    'produtos.selectExpr("categoria", "length(descricao) AS tamanho").filter("tamanho > 100").groupBy("categoria").count().orderBy("categoria").show()',
    "#md\n## Errors, as Python handles them",
    'from pyspark.errors import AnalysisException\n\ntry:\n    produtos.select("preco").show()\nexcept AnalysisException as erro:\n    print("sem coluna preco:", "UNRESOLVED_COLUMN" in str(erro))',
    "#md\n## A pandas UDF, run as a native column expression",
    'import pandas as pd\nfrom pyspark.sql.functions import pandas_udf\n\n@pandas_udf("long")\ndef palavras_na_descricao(s: pd.Series) -> pd.Series:\n    return sf.size(sf.split(sf.trim(s), " "))\n\nprodutos.select(sf.sum(palavras_na_descricao("descricao")).alias("total")).first().total',
]

if __name__ == "__main__":
    ROOT.mkdir(exist_ok=True)
    for name, cells in [("01-introducao.ipynb", INTRO), ("02-treino-classificador.ipynb", TRAIN), ("03-inferencia-em-lote.ipynb", INFER), ("04-graficos.ipynb", PLOTS), ("05-python-e-janelas.ipynb", PYTHON)]:
        nbformat.write(notebook(cells), ROOT / name)
        print("wrote", ROOT / name)

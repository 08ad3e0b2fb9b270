df = spark.read.option('delimiter', ';').option('header', 'true').csv('/data/produtos.csv')
df.groupBy('categoria').count().show()
model = load_model('/model/classificador-produtos.bin')
df.withColumn('p', model('descricao'))
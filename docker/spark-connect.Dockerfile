# Apache Spark's own Spark Connect server, for `docker compose --profile cluster up`: the
# pyspark package carries Spark's jars (spark-connect among them); Java 17 runs them.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless procps \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir pyspark==4.3.0 \
 && useradd --create-home --uid 1000 spark
USER spark
EXPOSE 15002
# Plain gRPC on the compose network only (no published port): the kernel's container is
# its one client. /data is the same folder the notebooks read.
CMD ["sh", "-c", "SPARK_HOME=$(python -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))') && exec $SPARK_HOME/bin/spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer --master 'local[*]' --conf spark.connect.grpc.binding.address=0.0.0.0 --conf spark.connect.grpc.binding.port=15002 spark-internal"]

"""The compose file: ports on 127.0.0.1 only, the three volumes, a token that is never empty."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_ports_are_bound_to_loopback():
    service = load()["services"]["jupyter"]
    ports = [str(p) for p in service["ports"]]
    published = {p.split(":")[1] for p in ports}
    assert published == {"8888", "4040"}, ports
    for p in ports:
        assert p.startswith("127.0.0.1:"), p


def test_volumes():
    volumes = load()["services"]["jupyter"]["volumes"]
    targets = {v.split(":")[1]: v.split(":")[0] for v in volumes}
    assert targets == {"/notebooks": "./notebooks", "/data": "./data", "/model": "./model"}


def test_token_comes_from_an_env_file_and_is_never_empty(tmp_path):
    service = load()["services"]["jupyter"]
    env_files = service["env_file"]
    assert any((e if isinstance(e, str) else e["path"]) == ".env" for e in env_files), env_files
    assert "JUPYTER_TOKEN" not in service.get("environment", {}), "an empty default would override .env"
    # The entry point generates a token when .env has none...
    env = dict(os.environ, JUPYTER_TOKEN="", FAISCA_DRY_RUN="1", FAISCA_MODEL_DIR=str(tmp_path))
    out = subprocess.run([str(ROOT / "scripts/container-start.sh")], env=env, capture_output=True, text=True, check=True).stdout
    token = re.search(r"--IdentityProvider.token=(\S*)", out).group(1)
    assert len(token) >= 32
    # ...and keeps the one it is given.
    env["JUPYTER_TOKEN"] = "from-env-file"
    out = subprocess.run([str(ROOT / "scripts/container-start.sh")], env=env, capture_output=True, text=True, check=True).stdout
    assert "--IdentityProvider.token=from-env-file" in out
    # compose-env.sh writes a non-empty token to .env.
    work = tmp_path / "repo"
    (work / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts/compose-env.sh", work / "scripts")
    subprocess.run(["bash", str(work / "scripts/compose-env.sh")], check=True, capture_output=True)
    assert re.fullmatch(r"JUPYTER_TOKEN=[0-9a-f]{48}\n", (work / ".env").read_text())


def test_dockerfile_uses_the_shared_setup_script():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "scripts/setup.sh" in dockerfile and "container-start.sh" in dockerfile
    assert re.search(r"^USER\s+(?!root)\w+", dockerfile, re.M), "runs as a non-root user"
    assert dockerfile.count("FROM ") >= 2, "multi-stage"


def test_the_cluster_profile_adds_a_spark_connect_server_the_second_kernel_uses():
    services = load()["services"]
    spark = services["spark-connect"]
    assert spark["profiles"] == ["cluster"], "plain `docker compose up` stays one container"
    assert "ports" not in spark, "the server is reached on the compose network only"
    assert [str(p) for p in spark["expose"]] == ["15002"]
    assert "./data:/data:ro" in spark["volumes"], "the server reads /data as the notebooks do"
    server = (ROOT / spark["build"]["dockerfile"]).read_text()
    assert "org.apache.spark.sql.connect.service.SparkConnectServer" in server
    assert "openjdk-17-jre-headless" in server and "pyspark==4.3.0" in server
    assert re.search(r"^USER\s+(?!root)\w+", server, re.M), "runs as a non-root user"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--name faisca-cluster" in dockerfile
    assert "--remote sc://spark-connect:15002" in dockerfile

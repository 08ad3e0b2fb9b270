"""The compose file: ports on 127.0.0.1 only, the three volumes, a token that is never empty."""
import re
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


def test_token_comes_from_an_env_file_with_a_non_empty_default():
    service = load()["services"]["jupyter"]
    token = service["environment"]["JUPYTER_TOKEN"]
    # ${VAR:?...} fails when unset or empty; ${VAR:-default} needs a non-empty default.
    m = re.fullmatch(r"\$\{JUPYTER_TOKEN(:\?[^}]+|:-[^}]+)\}", token)
    assert m, token
    env_files = service.get("env_file", [])
    assert env_files, "the token should come from an env file"
    assert (ROOT / "scripts" / "compose-env.sh").exists(), "the env file needs a generator"


def test_dockerfile_uses_the_shared_setup_script():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "scripts/setup.sh" in dockerfile
    assert re.search(r"^USER\s+(?!root)\w+", dockerfile, re.M), "runs as a non-root user"
    assert dockerfile.count("FROM ") >= 2, "multi-stage"

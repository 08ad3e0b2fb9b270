# Faísca: JupyterLab with the Faísca kernel. Build stage compiles the kernel; the runtime
# stage installs it with the same script the non-Docker path and the tests use.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY kernel kernel
COPY kernelspec kernelspec
RUN cargo build --locked --release -p faisca

FROM python:3.11-slim-bookworm
RUN useradd --create-home --uid 1000 faisca \
 && mkdir -p /opt/faisca /notebooks /data /model \
 && chown -R faisca:faisca /opt/faisca /notebooks /data /model
WORKDIR /opt/faisca
COPY --chown=faisca:faisca scripts scripts
COPY --chown=faisca:faisca python python
COPY --chown=faisca:faisca data/produtos.csv /opt/faisca/seed/produtos.csv
COPY --from=build --chown=faisca:faisca /src/target/release/faisca /opt/faisca/target/release/faisca
USER faisca
# setup.sh skips the cargo build when FAISCA_PREBUILT names the binary.
ENV FAISCA_PREBUILT=/opt/faisca/target/release/faisca \
    FAISCA_VENV=/opt/faisca/venv \
    FAISCA_DATA_DIR=/data \
    FAISCA_MODEL_DIR=/model \
    FAISCA_UI_BIND=0.0.0.0 \
    PATH=/opt/faisca/venv/bin:$PATH
# The same setup as `scripts/run.sh`; /data and /model are volumes, so the model that an
# empty /model gets on first start is trained here from the seed copy of the data.
RUN FAISCA_SKIP_TRAIN=1 scripts/setup.sh release \
 && "$FAISCA_PREBUILT" train --data seed/produtos.csv --out seed/classificador-produtos.bin \
 && "$FAISCA_PREBUILT" install --prefix "$FAISCA_VENV" --name faisca-cluster \
      --data-dir /data --model-dir /model --remote sc://spark-connect:15002
EXPOSE 8888 4040
CMD ["/opt/faisca/scripts/container-start.sh"]

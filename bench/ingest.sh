#!/usr/bin/env bash
# DGE 2020 cut (244,858 rows) into PostgreSQL: ingest-service's BatchStore (the code the service runs per batch:
# read the zip, validate, tenancy check, COPY) against `psql \copy` of the same rows (unzipped CSV) into an
# equivalent table, same database, same run, alternating; prints rows/s for both and the ratio.
# Usage: ./covid-risk bench ingest [--runs N]   (default 5; needs PostgreSQL on 127.0.0.1:5432, user postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/mexico-dge-2020/datos_abiertos_20200527.zip
if [ ! -f "$DATA" ]; then echo "skipped: $DATA is absent (the benchmark needs ../shared/data)"; exit 0; fi
RUNS=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if ! command -v psql >/dev/null; then echo "skipped: psql is not installed"; exit 0; fi
if ! psql -X -q -h 127.0.0.1 -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
  echo "skipped: no PostgreSQL on 127.0.0.1:5432 (user postgres)"; exit 0
fi
DB=covid_bench
psql -X -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
OUT=ingest-service/target/bench
mkdir -p "$OUT"
./mvnw -B -q -pl ingest-service -am install -DskipTests -Dformatter.skip -Dimpsort.skip -Dcovid.db-kind=postgresql
./mvnw -B -q -pl ingest-service dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt \
  -Dmdep.includeScope=test
CSV="$OUT/datos_abiertos_20200527.csv"
[ -f "$CSV" ] || unzip -p "$DATA" > "$CSV"
echo "[bench] $(nproc) cores; PostgreSQL $(psql -X -h 127.0.0.1 -U postgres -d $DB -tAc 'SHOW server_version')"
# A small heap on purpose: the batch streams, so 244,858 rows must fit in 128 MiB.
"$JAVA_HOME/bin/java" -Xmx128m -cp "ingest-service/target/test-classes:ingest-service/target/classes:$(cat "$OUT/classpath.txt")" \
  org.covidrisk.ingest.bench.IngestBenchmark "jdbc:postgresql://127.0.0.1:5432/$DB" postgres "$DATA" "$CSV" "$RUNS"

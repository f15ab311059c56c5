#!/usr/bin/env bash
# Runs the Dokodemo benchmarks (P9 footprint, P8 page weight and server time, P1 authorized JSON read and the
# access check's cost as an A/B, P2 the access decision in process, P7 the month close of a 1,000-staff town)
# and writes a Markdown report to bench/results/. See bench/README.md.
#   ./bench/run.sh                 # 300-staff town, seed 20250401, 5 starts
#   STAFF=1000 STARTS=3 ./bench/run.sh
#   P7_POSTGRES="Host=127.0.0.1;Port=55499;Username=postgres;Database=postgres" ./bench/run.sh   # P7 on PostgreSQL too
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAFF="${STAFF:-300}"
SEED="${SEED:-20250401}"
STARTS="${STARTS:-5}"
P7_STAFF="${P7_STAFF:-1000}"
P7_POSTGRES="${P7_POSTGRES:-}"
WORK="$(mktemp -d /tmp/dokodemo-bench.XXXXXX)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  # Kill only the servers this run started (their pids are recorded by the bench app).
  if [[ -f "$WORK/pids" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
    done < "$WORK/pids"
  fi
  if [[ -n "${BENCH_PID:-}" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then kill "$BENCH_PID" 2>/dev/null || true; fi
  if [[ "${KEEP_WORK:-0}" != "1" ]]; then rm -rf "$WORK"; else echo "work directory kept: $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v wrk >/dev/null 2>&1; then
  echo "[bench] installing wrk (Debian package)" >&2
  (apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1)) \
    || echo "[bench] wrk could not be installed: P1 will be reported as not measured" >&2
fi

cd "$ROOT"
COMMIT="$(git rev-parse --short HEAD)"
if [[ -n "$(git status --porcelain -- src bench/Dokodemo.Bench 2>/dev/null)" ]]; then COMMIT="${COMMIT}-dirty"; fi

echo "[bench] publishing the app (Release) to $WORK/app" >&2
dotnet publish src/Dokodemo/Dokodemo.csproj -c Release -r linux-x64 -o "$WORK/app" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
  || { cat "$WORK/publish.log" >&2; exit 1; }
echo "[bench] building the bench (Release)" >&2
dotnet build bench/Dokodemo.Bench/Dokodemo.Bench.csproj -c Release -o "$WORK/bench" --nologo -v quiet >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }

PIN=()
if command -v taskset >/dev/null 2>&1 && [[ "$(nproc)" -ge 2 ]]; then PIN=(taskset -c 0); fi

# The load driver runs on CPU 0; it starts the servers and the P2 decision benchmark itself, pinned to CPU 1.
"${PIN[@]}" dotnet "$WORK/bench/Dokodemo.Bench.dll" run \
  --app "$WORK/app/Dokodemo.dll" --work "$WORK" --results "$ROOT/bench/results" \
  --commit "$COMMIT" --cpus "$(nproc)" --staff "$STAFF" --seed "$SEED" --starts "$STARTS" \
  --p7staff "$P7_STAFF" --p7postgres "$P7_POSTGRES" &
BENCH_PID=$!
wait "$BENCH_PID"

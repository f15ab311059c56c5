#!/usr/bin/env bash
# Runs every test: domain, HTTP integration on SQLite and on PostgreSQL, and browser tests in Chromium (server on SQLite,
# then on PostgreSQL).
# With CI=true it installs what it needs (Debian's chromium and postgresql) and a suite that cannot run fails.
# Without CI it may skip the PostgreSQL and browser suites, saying so loudly.
# Ends with "N passed, N failed" on its own line.
set -uo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"
IS_CI=false
[[ "${CI:-}" == "true" || "${CI:-}" == "1" ]] && IS_CI=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PASSED=0
FAILED=0
SKIPPED_SUITES=()
WORK="$(mktemp -d /tmp/dokodemo-test.XXXXXX)"
PG_DIR=""
PG_BIN=""
PG_CS=""

say() { printf '\n=== %s ===\n' "$*"; }
finish() {
  if [[ -n "$PG_DIR" && -n "$PG_BIN" ]]; then
    su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PG_DIR/data' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  rm -rf "$WORK"
}
trap finish EXIT

loud_skip() {
  SKIPPED_SUITES+=("$1")
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
  printf '!!! SKIPPED: %s\n!!! %s\n' "$1" "$2"
  printf '!!! (CI=true installs what is missing and fails instead of skipping)\n'
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n'
}

apt_install() {
  if [[ $(id -u) -ne 0 ]]; then echo "need root to install $*" >&2; return 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null 2>&1 || true
  apt-get install -y -q "$@" >/dev/null 2>&1
}

# Runs `dotnet test` on one project and adds its counts. Extra args are environment assignments.
run_suite() {
  local name="$1" project="$2"; shift 2
  say "$name"
  local slug; slug=$(echo "$name" | tr -c 'a-zA-Z0-9' '_')
  local out="$WORK/$slug.log" logs="$WORK/$slug-server-logs"
  # The test servers' errors (integration) and whole logs (browser) go to $logs; printed below if a test fails.
  env DOKODEMO_TEST_LOGS="$logs" DOKODEMO_BROWSER_LOGS="$logs" "$@" dotnet test "$project" --no-build --nologo 2>&1 | tee "$out"
  local line
  line=$(grep -E "^(Passed|Failed)!" "$out" | tail -1)
  if [[ -z "$line" ]]; then
    echo "!!! $name produced no test summary: counted as 1 failure"
    FAILED=$((FAILED + 1))
    return
  fi
  local p f
  p=$(echo "$line" | sed -E 's/.*Passed: *([0-9]+).*/\1/')
  f=$(echo "$line" | sed -E 's/.*Failed: *([0-9]+),.*/\1/')
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  if [[ "$f" -gt 0 && -d "$logs" ]]; then
    echo "--- what the test servers logged as errors (last 200 lines) ---"
    { cat "$logs/server-errors.log" 2>/dev/null; grep -h -A 12 -E "^(fail|crit):" "$logs"/server-*.log 2>/dev/null; } | tail -200
    echo "--- end of the test servers' errors ---"
  fi
  if [[ "$p" -eq 0 && "$f" -eq 0 ]]; then
    echo "!!! $name ran no test: counted as 1 failure"
    FAILED=$((FAILED + 1))
  fi
}

free_port() {
  local p
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo 55599
}

# --- what the machine needs ---------------------------------------------------------------
if $IS_CI; then
  need=()
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  [[ -x /usr/bin/oathtool ]] || need+=(oathtool)
  if [[ ${#need[@]} -gt 0 ]]; then
    say "Installing ${need[*]}"
    apt_install "${need[@]}" || echo "!!! could not install ${need[*]}"
  fi
fi

# --- build once ---------------------------------------------------------------------------
say "Build"
if ! dotnet build Dokodemo.slnx --nologo -v q 2>&1 | tee "$WORK/build.log" | grep -E "error|Warn|Elapsed" ; then :; fi
if ! grep -q " 0 Error(s)" "$WORK/build.log"; then
  echo "!!! build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# --- domain and SQLite integration -------------------------------------------------------
run_suite "Domain tests" tests/Dokodemo.Domain.Tests
run_suite "Integration tests on SQLite" tests/Dokodemo.Tests

# --- PostgreSQL: a throwaway cluster on a free loopback port --------------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  if $IS_CI; then
    echo "!!! PostgreSQL is not installed and could not be installed: the PostgreSQL suite fails"
    FAILED=$((FAILED + 1))
  else
    loud_skip "Integration tests on PostgreSQL" "Debian's postgresql package is not installed (apt-get install postgresql)."
  fi
  PG_BIN=""
else
  say "Starting a throwaway PostgreSQL cluster"
  PG_DIR=$(mktemp -d /tmp/dokodemo-pg.XXXXXX)
  chown postgres "$PG_DIR" 2>/dev/null || true
  PG_PORT=$(free_port)
  # The server refuses to run as root, so it runs as the postgres user.
  if su postgres -s /bin/sh -c "$PG_BIN/initdb -D '$PG_DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$WORK/initdb.log" 2>&1 \
     && su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PG_DIR/data' -l '$PG_DIR/log' -w -o \"-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >"$WORK/pgctl.log" 2>&1; then
    PG_CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Timeout=30"
    run_suite "Integration tests on PostgreSQL" tests/Dokodemo.Tests "DOKODEMO_TEST_POSTGRES=$PG_CS"
  else
    cat "$WORK/initdb.log" "$WORK/pgctl.log" "$PG_DIR/log" 2>/dev/null | tail -20
    echo "!!! could not start PostgreSQL: the PostgreSQL suite fails"
    FAILED=$((FAILED + 1))
  fi
fi

# --- browser tests --------------------------------------------------------------------------
BROWSER_DIR=tests/Dokodemo.Browser.Tests
if [[ ! -x /usr/bin/chromium ]] && ! $IS_CI; then
  loud_skip "Browser tests" "Debian's chromium is not installed (apt-get install chromium)."
else
  if [[ ! -f "$BROWSER_DIR/node_modules/axe-core/axe.min.js" ]]; then
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund >/dev/null 2>&1) || echo "!!! npm ci failed in $BROWSER_DIR"
  fi
  run_suite "Browser tests (Chromium)" "$BROWSER_DIR"
  # Again with the server on PostgreSQL (each test class's server gets its own database in the throwaway cluster): what
  # a person does in the browser must work on both databases. Without a cluster the PostgreSQL suite above has already
  # failed (CI) or been skipped loudly.
  if [[ -n "$PG_CS" ]]; then
    run_suite "Browser tests (Chromium) on PostgreSQL" "$BROWSER_DIR" "DOKODEMO_TEST_POSTGRES=$PG_CS"
  fi
fi

say "Summary"
if [[ ${#SKIPPED_SUITES[@]} -gt 0 ]]; then
  echo "SKIPPED SUITES: ${SKIPPED_SUITES[*]}"
fi
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]

#!/usr/bin/env bash
# What HTTP clients see of a hot migration (docs/benchmarks-web.md explains it and holds the
# last results).
#   bash eng/bench-web.sh
# Packs Mig, then runs the web migration scenario of tests/Mig.Sdk.Tests (WebMigrationTests)
# longer and harder than the suite does: samples/WebApi built against the packed packages runs
# as a real process on 127.0.0.1 over a file seeded with MIG_WEB_SEED_ROWS students, a
# fixed-rate C# HttpClient load (MIG_WEB_RATE requests/s from MIG_WEB_WORKERS workers: create,
# update, get, page, delete) hits it through MigMigrate, recording, MigDrain, the v2 app
# started before cutover, MigCutover and after, MIG_WEB_PHASE_SECONDS for each phase the
# script waits in. The scenario's goals are checked as in the suite (no acknowledged write lost,
# only 503s between the drain and the move to the v2 app, /health in order); the per-phase
# table (requests, p50/p99/max latency, non-2xx by status) goes to artifacts/benchmarks/web.md.
# MIG_WEB_SWITCH=1 runs one MigSwitch (drain and cutover in one process, phase "switch") instead.
# About 2 minutes; anything else running on the machine shows up in the latencies.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash eng/pack.sh | tail -n 1
out="$root/artifacts/benchmarks"
mkdir -p "$out"
report="$out/web.md"
rm -f "$report"
export MIG_WEB_PHASE_SECONDS="${MIG_WEB_PHASE_SECONDS:-10}"
export MIG_WEB_RATE="${MIG_WEB_RATE:-200}"
export MIG_WEB_WORKERS="${MIG_WEB_WORKERS:-16}"
export MIG_WEB_SEED_ROWS="${MIG_WEB_SEED_ROWS:-200000}"
export MIG_WEB_REPORT="$report"
dotnet test tests/Mig.Sdk.Tests -nologo --filter "FullyQualifiedName~WebMigrationTests" --logger "console;verbosity=normal"
{
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "rate $MIG_WEB_RATE/s from $MIG_WEB_WORKERS workers, $MIG_WEB_SEED_ROWS seeded students, $MIG_WEB_PHASE_SECONDS s per waited phase"
} >> "$report"
echo
echo "Web benchmark results: $report"
cat "$report"

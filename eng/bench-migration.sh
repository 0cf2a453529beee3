#!/usr/bin/env bash
# Hot-migration benchmarks (docs/benchmarks-migration.md explains them and holds the last results).
#   bash eng/bench-migration.sh [harness options]
# Builds tests/Mig.MigrationBenchmarks in Release (with Mig.Core, and Mig.Tasks, whose schema
# compiler it runs), installs the sqlite3 shell if it is missing (the copy's floor), runs the
# copy, live-writer, memory, drain and capture benchmarks and writes the markdown results to
# artifacts/benchmarks/migration.md. Options go to the harness, e.g. --runs 3, --rows 500000,
# --only copy,drain (see tests/Mig.MigrationBenchmarks/Program.cs). About 10 minutes on 2 idle
# cores; anything else running on the machine shows up as noise (the report prints the load).
# The last lines printed are the headline: the copy's speed ratio to the sqlite3 shell (median of
# per-round ratios, offline and online) and the drain's pause window for each backlog size;
# `--only copy,window` measures just those three numbers (about 4 minutes idle, 9 under load 17).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! [ -x /usr/bin/sqlite3 ]; then
  echo "Installing the sqlite3 shell (the copy benchmark's floor)..."
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq sqlite3; else sudo apt-get update -qq && sudo apt-get install -y -qq sqlite3; fi
fi
if ! [ -x /usr/bin/time ]; then
  echo "Installing GNU time (the floor's peak memory)..."
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time; else sudo apt-get install -y -qq time; fi
fi

project="$root/tests/Mig.MigrationBenchmarks"
dotnet build "$project" -c Release -nologo -v:q
out="$root/artifacts/benchmarks"
mkdir -p "$out"
work="$out/migration-work"
rm -rf "$work"
dotnet "$project/bin/Release/net10.0/Mig.MigrationBenchmarks.dll" --work "$work" --out "$out/migration.md" "$@"
rm -rf "$work"
echo
echo "Migration benchmark results: $out/migration.md"

#!/usr/bin/env bash
# Benchmarks (docs/benchmarks.md explains them and holds the last results).
#   bash eng/bench.sh                 both suites below
#   bash eng/bench.sh runtime [args]  the query/runtime suite only; args go to
#                                     BenchmarkDotNet (default: --filter '*'),
#                                     e.g. --filter '*SelectOne*'
#   bash eng/bench.sh build           the build-time suite only (eng/bench-build.sh)
# Packs Mig first (eng/pack.sh), builds tests/Mig.Benchmarks in Release, checks
# that every contender does the same work (--verify), runs BenchmarkDotNet and
# writes its markdown reports to artifacts/benchmarks/results/, plus all of
# them in one file, artifacts/benchmarks/runtime.md, with paired interleaved
# ratios of the same cases (artifacts/benchmarks/paired.md). Takes about 10 minutes on
# 2 cores; anything else running on the machine shows up as noise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

what="${1:-all}"
[ $# -gt 0 ] && shift
case "$what" in all|runtime|build) ;; *) echo "usage: bash eng/bench.sh [all|runtime [BenchmarkDotNet args]|build]" >&2; exit 2 ;; esac

bash eng/pack.sh
# What was packed is the working tree: say so when it differs from the commit.
dirty="$(git status --porcelain -- Mig.Core Mig.Tasks Mig.Sdk | wc -l)"
out="$root/artifacts/benchmarks"
mkdir -p "$out"

if [ "$what" != build ]; then
  project="$root/tests/Mig.Benchmarks"
  dotnet build "$project" -c Release -nologo -v:q
  dll="$project/bin/Release/net10.0/Mig.Benchmarks.dll"
  dotnet "$dll" --verify
  rm -rf "$out/results" "$out/paired.md"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  paired=0
  if [ $# -eq 0 ]; then set -- --filter '*'; paired=1; fi
  dotnet "$dll" --artifacts "$out" "$@"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  # The same cases again, all contenders of a case interleaved in one process:
  # ratios that load coming and going between BenchmarkDotNet's runs cannot skew.
  # (Only for the whole suite, not when BenchmarkDotNet arguments pick some.)
  [ "$paired" -eq 0 ] || dotnet "$dll" --paired "$out/paired.md"
  {
    echo "# Mig runtime benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD))"
    echo
    echo "Reproduce: \`bash eng/bench.sh runtime\`"
    [ "$dirty" -eq 0 ] || echo "(packed from a working tree with $dirty uncommitted changes under Mig.Core, Mig.Tasks, Mig.Sdk)"
    for f in "$out"/results/*-report-github.md; do
      name="$(basename "$f" -report-github.md)"
      echo
      echo "## ${name##*.}"
      echo
      cat "$f"
    done
    if [ -f "$out/paired.md" ]; then
      echo
      echo "## Paired, interleaved ratios"
      echo
      cat "$out/paired.md"
    fi
  } > "$out/runtime.md"
  echo
  echo "Runtime benchmark reports: $out/results/*-report-github.md"
  echo "All in one:                $out/runtime.md"
fi

if [ "$what" != runtime ]; then
  MIG_BENCH_PACKED=1 bash eng/bench-build.sh
fi

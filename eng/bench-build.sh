#!/usr/bin/env bash
# Build-time benchmarks (docs/benchmarks.md), written to artifacts/benchmarks/build.md:
#  1. Wall time of a no-change `dotnet build` of samples/School with Mig against
#     the same project without Mig, and against that project with the one
#     package a SQLite app references anyway (Microsoft.Data.Sqlite, the version
#     Mig.Core uses). All are temp copies with a trivial Program.cs; the copies
#     without Mig lose the <Sdk Name="Mig.Sdk" .../> line and the Schema/ folder.
#     After a first build and one warm-up build of each, they are built in turn
#     RUNS times; medians and their ratios.
#  2. MigGenerate for a generated 200-table schema: `dotnet build -t:MigGenerate`
#     with obj/.../Mig/ deleted first (compile the schema, reflect it, generate
#     the code), against the same command with nothing to do; medians of RUNS,
#     plus the task times from MSBuild's performance summary of one more run.
# Packs first unless MIG_BENCH_PACKED=1 (eng/bench.sh has just packed).
# MSBuild node reuse is off (MSBUILDDISABLENODEREUSE=1) so no build node outlives
# the script; it is off for both sides of every comparison. The temp projects
# restore into a package folder of their own (NUGET_PACKAGES), so an eng/pack.sh
# running meanwhile (it evicts Mig from the NuGet cache) cannot pull the SDK
# from under a measured build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
RUNS="${RUNS:-7}"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

[ "${MIG_BENCH_PACKED:-0}" = 1 ] || bash eng/pack.sh
out="$root/artifacts/benchmarks"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/mig-bench-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/nuget-packages"

# Milliseconds taken by a command (its output discarded; a failure stops the script).
ms() {
  local start end
  start=$(date +%s%N)
  if ! "$@" >"$work/last.log" 2>&1; then
    echo "failed: $*" >&2
    tail -n 30 "$work/last.log" >&2
    exit 1
  fi
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# A project folder of its own in $work: no Directory.Build.props or central
# package versions above it, a nuget.config with the local feed.
scaffold() {
  mkdir -p "$1"
  echo '<Project />' > "$1/Directory.Build.props"
  echo '<Project />' > "$1/Directory.Packages.props"
  cat > "$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="mig-local" value="$root/artifacts/packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="mig-local"><package pattern="Mig.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
}

echo "== 1. No-change build of samples/School, with and without Mig"
sides="with without sqlite"
for side in $sides; do
  scaffold "$work/$side"
  mkdir -p "$work/$side/School"
  cp samples/School/School.csproj "$work/$side/School/"
  cp -r samples/School/Schema "$work/$side/School/"
  echo 'System.Console.WriteLine("School");' > "$work/$side/School/Program.cs"
done
sqlite_version="$(sed -n 's/.*Include="Microsoft.Data.Sqlite" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
for side in without sqlite; do
  sed -i '/<Sdk Name="Mig.Sdk"/d; /<MigDatabaseName>/d' "$work/$side/School/School.csproj"
  rm -rf "$work/$side/School/Schema"
  if grep -q Mig "$work/$side/School/School.csproj"; then echo "the copy without Mig still mentions Mig" >&2; exit 1; fi
done
sed -i "s#</Project>#  <ItemGroup><PackageReference Include=\"Microsoft.Data.Sqlite\" Version=\"$sqlite_version\" /></ItemGroup>\n</Project>#" "$work/sqlite/School/School.csproj"
grep -q "Microsoft.Data.Sqlite\" Version=\"$sqlite_version\"" "$work/sqlite/School/School.csproj" || { echo "could not add Microsoft.Data.Sqlite $sqlite_version" >&2; exit 1; }

declare -A times
for side in $sides; do
  first=$(ms dotnet build "$work/$side/School")
  warm=$(ms dotnet build "$work/$side/School")
  echo "  $side Mig: first build (restore into an empty package folder) ${first} ms, warm-up ${warm} ms"
done
for i in $(seq "$RUNS"); do
  for side in $sides; do
    times[$side]+="$(ms dotnet build "$work/$side/School") "
  done
done
with=$(median <<<"${times[with]}")
without=$(median <<<"${times[without]}")
sqlite=$(median <<<"${times[sqlite]}")
echo "  with Mig:    ${times[with]}-> median $with ms"
echo "  without Mig: ${times[without]}-> median $without ms"
echo "  without Mig, with Microsoft.Data.Sqlite $sqlite_version: ${times[sqlite]}-> median $sqlite ms"
echo "  ratio with / without $(ratio "$with" "$without"); with / with Microsoft.Data.Sqlite $(ratio "$with" "$sqlite")"

echo "== 2. MigGenerate for a generated 200-table schema"
gen="$work/gen/Gen200"
scaffold "$work/gen"
mkdir -p "$gen/Schema"
cat > "$gen/Gen200.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="Mig.Sdk" Version="0.1.0-dev" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
</Project>
XML
# 20 root tables and 180 tables each referencing one root (a FK that selects
# embed), each with a unique, an index and seven query attributes.
{
  echo 'using Mig;'
  echo 'namespace Gen.Schema;'
  echo 'public enum Status { Active, Inactive, Archived }'
  for i in $(seq 0 199); do
    if [ "$i" -lt 20 ]; then
      echo "[AutoIncPK(nameof(Id)), Unique(nameof(Code)), Index(nameof(Name))]"
      echo "[SelectAll, SelectOneBy(nameof(Code)), SelectBy(nameof(Name)), SelectLike(nameof(Name)), UpdateBy(nameof(Id)), DeleteBy(nameof(Id)), Upsert]"
      echo "public sealed record Thing$i(long Id, string Code, string Name, Status Status, decimal Amount, DateTimeOffset CreatedAt, string? Note);"
    else
      echo "[AutoIncPK(nameof(Id)), Unique(nameof(Code)), Index(nameof(Parent)), OnDeleteCascade(nameof(Parent))]"
      echo "[SelectAll, SelectOneBy(nameof(Code)), SelectBy(nameof(Parent)), SelectLike(nameof(Name)), UpdateBy(nameof(Id)), DeleteBy(nameof(Id)), Upsert]"
      echo "public sealed record Thing$i(long Id, string Code, string Name, Thing$((i % 20)) Parent, long Quantity, double Weight, bool Flag, Guid Uid, DateOnly Day, string? Note);"
    fi
  done
} > "$gen/Schema/Things.cs"
full=$(ms dotnet build "$gen")
generated="$gen/obj/Debug/net10.0/Mig/Mig.g.cs"
lines=$(wc -l < "$generated")
kib=$(( $(wc -c < "$generated") / 1024 ))
echo "  first full build (restore, MigGenerate, compile ${lines} generated lines): ${full} ms"
warm=$(rm -rf "$gen/obj/Debug/net10.0/Mig" && ms dotnet build "$gen" -t:MigGenerate)
echo "  warm-up MigGenerate: ${warm} ms"
gen_times=""; noop_times=""
for i in $(seq "$RUNS"); do
  rm -rf "$gen/obj/Debug/net10.0/Mig"
  gen_times+="$(ms dotnet build "$gen" -t:MigGenerate) "
  noop_times+="$(ms dotnet build "$gen" -t:MigGenerate) "
done
[ -s "$generated" ] || { echo "MigGenerate wrote no code" >&2; exit 1; }
gen_median=$(median <<<"$gen_times")
noop_median=$(median <<<"$noop_times")
echo "  MigGenerate, schema changed: ${gen_times}-> median $gen_median ms"
echo "  MigGenerate, nothing to do:  ${noop_times}-> median $noop_median ms"
rm -rf "$gen/obj/Debug/net10.0/Mig"
dotnet build "$gen" -t:MigGenerate -clp:PerformanceSummary > "$work/perf.log" 2>&1
# The task section of the summary: "      1234 ms  MigCompileSchema   1 calls".
task_ms() { awk -v t="$1" '/Task Performance Summary/ {s = 1} s && $3 == t {print $1; exit}' "$work/perf.log"; }
compile_ms=$(task_ms MigCompileSchema); generate_ms=$(task_ms MigGenerateQueries)
echo "  tasks of one more run: MigCompileSchema ${compile_ms:-?} ms, MigGenerateQueries ${generate_ms:-?} ms"

{
  echo "# Mig build benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD))"
  echo
  echo "Reproduce: \`bash eng/bench.sh build\` (or \`bash eng/bench-build.sh\`); $RUNS runs each after a warm-up, medians; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| Build | Median | Runs (ms) |"
  echo "|---|---:|---|"
  echo "| no-change \`dotnet build\`, samples/School without Mig | $without ms | ${times[without]% } |"
  echo "| no-change \`dotnet build\`, samples/School with Mig | $with ms | ${times[with]% } |"
  echo "| no-change \`dotnet build\`, samples/School without Mig, with Microsoft.Data.Sqlite $sqlite_version | $sqlite ms | ${times[sqlite]% } |"
  echo "| **ratio with / without** | **$(ratio "$with" "$without")** | |"
  echo "| **ratio with / without Mig but with Microsoft.Data.Sqlite** | **$(ratio "$with" "$sqlite")** | |"
  echo "| \`dotnet build -t:MigGenerate\`, 200 tables, obj/.../Mig deleted | $gen_median ms | ${gen_times% } |"
  echo "| \`dotnet build -t:MigGenerate\`, 200 tables, nothing to do | $noop_median ms | ${noop_times% } |"
  echo "| of which task MigCompileSchema (compile + reflect, one run) | ${compile_ms:-?} ms | |"
  echo "| of which task MigGenerateQueries (one run) | ${generate_ms:-?} ms | |"
  echo
  echo "The 200-table schema generates $lines lines ($kib KiB) of C#; the first full build of that project (restore, MigGenerate, compile) took $full ms."
} > "$out/build.md"
echo
cat "$out/build.md"
echo
echo "Build benchmark results: $out/build.md"

#!/usr/bin/env bash
# The main job, end to end, as a user would run it: a hot migration of the
# School sample's database while two writers keep writing, ending with the
# proof that no committed write was lost.
#
#   1. pack the SDK; copy samples/School to a scratch folder (it uses the packed
#      SDK by version from the local feed, like any user project)
#   2. build the v1 app and create its database (MigInit)
#   3. start writers: the v1 app writing through the generated code, and a
#      second program writing plain SQL on its own connection (no Mig runtime)
#   4. evolve the schema to v2 (eng/demo/School.v2.cs: a rename, a new column
#      with a default, a dropped column, a new table); MigPlan; MigMigrate
#   5. let writes accumulate; MigStatus; MigDrain (the old file now refuses
#      writes); stop the writers; MigCutover
#   6. count: every write the writers saw committed is in the new database
#
# Environment (for the test that runs this script; a user needs neither):
#   MIG_DEMO_DIR     scratch folder (default artifacts/demo; emptied first)
#   MIG_DEMO_PACKED  1 = artifacts/packages is already fresh, skip step 1's pack
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }
# MSBuild's own lines (restore, elapsed time, the error summary) are noise here.
mig() { dotnet build "$app" -nologo -v:m -clp:NoSummary -p:MigDatabaseDir="$data" "$@" | grep -vE "Determining projects|Restored|up-to-date|Build succeeded|Build FAILED|Time Elapsed|Warning\(s\)|Error\(s\)|^$" | sed 's/^  //' || true; }

if [ "${MIG_DEMO_PACKED:-0}" = 1 ]; then
  step "Pack Mig: already packed ($(cat artifacts/packages/version.txt))"
else
  step "Pack Mig"
  bash eng/pack.sh | tail -n 3
fi

demo="${MIG_DEMO_DIR:-$root/artifacts/demo}"
rm -rf "$demo" && mkdir -p "$demo/data"
app="$demo/School"
data="$demo/data"
cp -r samples/School "$app"
rm -rf "$app/bin" "$app/obj" "$app"/*.db*
cp samples/Directory.Build.props samples/Directory.Packages.props "$demo/"
sed "s#../artifacts/packages#$root/artifacts/packages#" samples/nuget.config > "$demo/nuget.config"

step "v1: build the School app and create its database (MigInit)"
# The writers and the final check run from this build: stop here if it fails.
dotnet build "$app" -nologo -v:q > "$demo/build.log" 2>&1 || { cat "$demo/build.log"; echo "demo.sh: the School app did not build" >&2; exit 1; }
mig -t:MigInit
old="$(ls "$data"/school-*.db)"

step "Start the writers: the v1 app (generated code) and a raw writer (plain SQL, no Mig)"
stop="$demo/stop"
dotnet "$app/bin/Debug/net10.0/School.dll" write "$old" "$demo/ledger.txt" "$stop" > "$demo/writer.log" 2>&1 &
app_writer=$!
dotnet "$app/bin/Debug/net10.0/School.dll" raw-write "$old" "$demo/raw.txt" "$stop" > "$demo/raw-writer.log" 2>&1 &
raw_writer=$!
sleep 3
echo "writing: $(wc -l < "$demo/ledger.txt") app transactions and $(wc -l < "$demo/raw.txt" 2>/dev/null || echo 0) raw inserts so far"

step "v2: the schema evolves (rename, new column with a default, dropped column, new table)"
cp eng/demo/School.v2.cs "$app/Schema/School.cs"
mig -t:MigPlan

step "MigMigrate without permission to lose the dropped column: refused, nothing changed"
mig -t:MigMigrate

step "MigMigrate -p:MigAllowDataLoss=true: capture, snapshot copy; the writers keep writing"
lines() { wc -l < "$1" 2>/dev/null || echo 0; }
app_before=$(lines "$demo/ledger.txt"); raw_before=$(lines "$demo/raw.txt")
mig -t:MigMigrate -p:MigAllowDataLoss=true
sleep 3

step "MigStatus while the old service keeps writing"
mig -t:MigStatus

step "MigDrain: the old file refuses writes from now on; the captured writes are replayed"
mig -t:MigDrain
echo "committed while MigMigrate copied and recorded, before the drain: $(( $(lines "$demo/ledger.txt") - app_before )) app transactions, $(( $(lines "$demo/raw.txt") - raw_before )) raw inserts"
sleep 1
touch "$stop"
wait "$app_writer" "$raw_writer"
cat "$demo/writer.log" "$demo/raw-writer.log"

step "MigCutover: verify, then the new file is ready"
mig -t:MigCutover
new="$(ls "$data"/school-*.db | grep -v "$(basename "$old")")"

step "Count: every committed write is in $(basename "$new")"
# Plain SQL against the new file, by the v1 app's binary (the check does not use Mig).
dotnet "$app/bin/Debug/net10.0/School.dll" check "$new" "$demo/ledger.txt" "$demo/raw.txt"

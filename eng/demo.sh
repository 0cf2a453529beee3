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
# Every step must succeed, except the one refusal the demo shows (MigMigrate
# without -p:MigAllowDataLoss, which must fail with MIG0042). Anything else ends
# the demo at once with exit code 1 and "demo.sh: step failed: <step>" on stderr.
#
# Environment (for the test that runs this script; a user needs neither):
#   MIG_DEMO_DIR     scratch folder (default artifacts/demo; emptied first)
#   MIG_DEMO_PACKED  1 = artifacts/packages is already fresh, skip step 1's pack
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

current="start"
step() { current="$1"; printf '\n== %s\n' "$*"; }
fail() { echo "demo.sh: step failed: $*" >&2; exit 1; }
# Any other command that fails under `set -e` names the step it was in.
trap 'echo "demo.sh: step failed: $current (line $LINENO: $BASH_COMMAND)" >&2' ERR

# One Mig target on the app. Its exit code is dotnet build's; the full output is
# kept in $demo/last.log and shown without MSBuild's own lines (restore, elapsed
# time, the error summary), which are noise here.
mig() {
  local rc=0
  dotnet build "$app" -nologo -v:m -clp:NoSummary -p:MigDatabaseDir="$data" "$@" > "$demo/last.log" 2>&1 || rc=$?
  grep -vE "Determining projects|Restored|up-to-date|Build succeeded|Build FAILED|Time Elapsed|Warning\(s\)|Error\(s\)|^$" "$demo/last.log" | sed 's/^  //' || true
  return "$rc"
}

if [ "${MIG_DEMO_PACKED:-0}" = 1 ]; then
  step "Pack Mig: already packed ($(cat artifacts/packages/version.txt))"
else
  step "Pack Mig"
  bash eng/pack.sh | tail -n 3 || fail "Pack Mig (eng/pack.sh)"
fi

demo="${MIG_DEMO_DIR:-$root/artifacts/demo}"
rm -rf "$demo" && mkdir -p "$demo/data"
app="$demo/School"
data="$demo/data"
cp -r samples/School "$app"
rm -rf "$app/bin" "$app/obj" "$app"/*.db*
cp samples/Directory.Build.props samples/Directory.Packages.props "$demo/"
sed "s#../artifacts/packages#$root/artifacts/packages#" samples/nuget.config > "$demo/nuget.config"

# The writers stop when this file exists; whatever ends the demo, they do not outlive it.
stop="$demo/stop"
writers=()
stop_writers() {
  touch "$stop"
  local pid
  for pid in "${writers[@]}"; do
    # A writer finishes its transaction and exits within a second of the stop file.
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill "$pid" 2>/dev/null || true
  done
}
trap stop_writers EXIT

step "v1: build the School app and create its database (MigInit)"
# The writers and the final check run from this build: stop here if it fails.
dotnet build "$app" -nologo -v:q > "$demo/build.log" 2>&1 || { cat "$demo/build.log"; fail "build of the v1 School app"; }
mig -t:MigInit || fail "MigInit"
old="$(ls "$data"/school-*.db)" || fail "MigInit (no database file in $data)"

step "Start the writers: the v1 app (generated code) and a raw writer (plain SQL, no Mig)"
dotnet "$app/bin/Debug/net10.0/School.dll" write "$old" "$demo/ledger.txt" "$stop" > "$demo/writer.log" 2>&1 &
app_writer=$!
writers+=("$app_writer")
dotnet "$app/bin/Debug/net10.0/School.dll" raw-write "$old" "$demo/raw.txt" "$stop" > "$demo/raw-writer.log" 2>&1 &
raw_writer=$!
writers+=("$raw_writer")
sleep 3
lines() { wc -l < "$1" 2>/dev/null || echo 0; }
echo "writing: $(lines "$demo/ledger.txt") app transactions and $(lines "$demo/raw.txt") raw inserts so far"

step "v2: the schema evolves (rename, new column with a default, dropped column, new table)"
cp eng/demo/School.v2.cs "$app/Schema/School.cs"
mig -t:MigPlan || fail "MigPlan"

step "MigMigrate without permission to lose the dropped column: refused, nothing changed"
# The one step that must fail, and only for the dropped column's data (MIG0042).
if mig -t:MigMigrate; then
  fail "MigMigrate without -p:MigAllowDataLoss succeeded; it should have been refused with MIG0042"
fi
grep -q "error MIG0042" "$demo/last.log" ||
  fail "MigMigrate without -p:MigAllowDataLoss was refused, but not with MIG0042 (the expected refusal for the dropped column)"

step "MigMigrate -p:MigAllowDataLoss=true: capture, snapshot copy; the writers keep writing"
app_before=$(lines "$demo/ledger.txt"); raw_before=$(lines "$demo/raw.txt")
mig -t:MigMigrate -p:MigAllowDataLoss=true || fail "MigMigrate -p:MigAllowDataLoss=true"
sleep 3

step "MigStatus while the old service keeps writing"
mig -t:MigStatus || fail "MigStatus"

step "MigDrain: the old file refuses writes from now on; the captured writes are replayed"
mig -t:MigDrain || fail "MigDrain"
echo "committed while MigMigrate copied and recorded, before the drain: $(( $(lines "$demo/ledger.txt") - app_before )) app transactions, $(( $(lines "$demo/raw.txt") - raw_before )) raw inserts"
sleep 1
touch "$stop"
rc=0; wait "$app_writer" || rc=$?
[ "$rc" -eq 0 ] || { cat "$demo/writer.log"; fail "the app writer (exit code $rc)"; }
rc=0; wait "$raw_writer" || rc=$?
[ "$rc" -eq 0 ] || { cat "$demo/raw-writer.log"; fail "the raw writer (exit code $rc)"; }
cat "$demo/writer.log" "$demo/raw-writer.log"

step "MigCutover: verify, then the new file is ready"
mig -t:MigCutover || fail "MigCutover"
new="$(ls "$data"/school-*.db | grep -v "$(basename "$old")")" || fail "MigCutover (no new database file in $data)"

step "Count: every committed write is in $(basename "$new")"
# Plain SQL against the new file, by the v1 app's binary (the check does not use Mig).
dotnet "$app/bin/Debug/net10.0/School.dll" check "$new" "$demo/ledger.txt" "$demo/raw.txt" || fail "Count (writes are missing from the new file)"

#!/usr/bin/env bash
# The main job, end to end, as a user would run it: a hot migration of the
# School sample's database while two writers keep writing, ending with the
# proof that no committed write was lost.
#
#   1. pack the SDK; copy samples/School to a scratch folder (it uses the packed
#      SDK by version from the local feed, like any user project)
#   2. build the v1 app and create its database (MigInit)
#   3. start writers: the v1 app writing through the generated code, and a raw
#      sqlite3 shell writing on its own connection
#   4. evolve the schema to v2 (eng/demo/School.v2.cs: a rename, a new column
#      with a default, a dropped column, a new table); MigPlan; MigMigrate
#   5. let writes accumulate; MigStatus; MigDrain (the old file now refuses
#      writes); stop the writers; MigCutover
#   6. count: every write the writers saw committed is in the new database
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v sqlite3 >/dev/null || { echo "demo.sh needs the sqlite3 shell (apt-get install sqlite3) for its raw writer" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }
# MSBuild's own lines (restore, elapsed time, the error summary) are noise here.
mig() { dotnet build "$app" -nologo -v:m -clp:NoSummary -p:MigDatabaseDir="$data" "$@" | grep -vE "Determining projects|Restored|up-to-date|Build succeeded|Build FAILED|Time Elapsed|Warning\(s\)|Error\(s\)|^$" | sed 's/^  //' || true; }

step "Pack Mig"
bash eng/pack.sh | tail -n 3

demo="$root/artifacts/demo"
rm -rf "$demo" && mkdir -p "$demo/data"
app="$demo/School"
data="$demo/data"
cp -r samples/School "$app"
rm -rf "$app/bin" "$app/obj" "$app"/*.db*
cp samples/Directory.Build.props samples/Directory.Packages.props "$demo/"
sed "s#../artifacts/packages#$root/artifacts/packages#" samples/nuget.config > "$demo/nuget.config"

step "v1: build the School app and create its database (MigInit)"
dotnet build "$app" -nologo -v:q | grep -E "error|warn" || true
mig -t:MigInit
old="$(ls "$data"/school-*.db)"

step "Start the writers: the v1 app (generated code) and a raw sqlite3 shell"
stop="$demo/stop"
dotnet "$app/bin/Debug/net10.0/School.dll" write "$old" "$demo/ledger.txt" "$stop" > "$demo/writer.log" 2>&1 &
app_writer=$!
(
  i=0
  while [ ! -f "$stop" ]; do
    if sqlite3 -cmd ".timeout 5000" "$old" "INSERT INTO department(code, title) VALUES ('R$i', 'Raw $i')" 2>/dev/null; then
      echo "R$i" >> "$demo/raw.txt"
    fi
    i=$((i + 1))
    sleep 0.02
  done
) &
raw_writer=$!
sleep 3
echo "writing: $(wc -l < "$demo/ledger.txt") app transactions and $(wc -l < "$demo/raw.txt" 2>/dev/null || echo 0) raw inserts so far"

step "v2: the schema evolves (rename, new column with a default, dropped column, new table)"
cp eng/demo/School.v2.cs "$app/Schema/School.cs"
mig -t:MigPlan

step "MigMigrate without permission to lose the dropped column: refused, nothing changed"
mig -t:MigMigrate

step "MigMigrate -p:MigAllowDataLoss=true: capture, snapshot copy; the writers keep writing"
mig -t:MigMigrate -p:MigAllowDataLoss=true
sleep 3

step "MigStatus while the old service keeps writing"
mig -t:MigStatus

step "MigDrain: the old file refuses writes from now on; the captured writes are replayed"
mig -t:MigDrain
sleep 1
touch "$stop"
wait "$app_writer" "$raw_writer"
cat "$demo/writer.log"

step "MigCutover: verify, then the new file is ready"
mig -t:MigCutover
new="$(ls "$data"/school-*.db | grep -v "$(basename "$old")")"

step "Count: every committed write is in $(basename "$new")"
committed=$(grep -vc '^-' "$demo/ledger.txt" || true)
deleted=$(grep -c '^-' "$demo/ledger.txt" || true)
raw=$(wc -l < "$demo/raw.txt")
expected_students=$((committed - deleted))
# The final state the writers expect, one sqlite3 call to compare it (a process per row took minutes):
# an email is present unless a later "-email" line deleted it.
awk '{ if (substr($0, 1, 1) == "-") want[substr($0, 2)] = 0; else want[$0] = 1 } END { for (e in want) print e "," want[e] }' \
  "$demo/ledger.txt" > "$demo/expected.csv"
rm -f "$demo/check.db"
problems=$(sqlite3 "$demo/check.db" <<SQL
CREATE TABLE expected(email TEXT PRIMARY KEY, want INTEGER NOT NULL);
CREATE TABLE raw(code TEXT PRIMARY KEY);
.mode csv
.import '$demo/expected.csv' expected
.import '$demo/raw.txt' raw
.mode list
ATTACH '$new' AS n;
SELECT 'MISMATCH: ' || email || ' expected ' || want || ' row(s), found ' || have
  FROM (SELECT email, want, (SELECT count(*) FROM n.student s WHERE s.email = e.email) AS have FROM expected e) WHERE have != want;
SELECT 'MISSING raw insert ' || code FROM raw WHERE NOT EXISTS (SELECT 1 FROM n.department d WHERE d.code = raw.code);
SQL
)
[ -z "$problems" ] || echo "$problems" | sed 's/^/  /'
missing=$(printf '%s' "$problems" | grep -c . || true)
students=$(sqlite3 "$new" "SELECT count(*) FROM student WHERE email LIKE 's%@school.example'")
echo "  app writer: $committed students committed, $deleted deleted -> expected $expected_students, new file has $students"
echo "  raw writer: $raw departments committed -> new file has $(sqlite3 "$new" "SELECT count(*) FROM department WHERE code LIKE 'R%'")"
echo "  renamed column full_name: $(sqlite3 "$new" "SELECT full_name FROM student ORDER BY id LIMIT 1"); new column credits filled with $(sqlite3 "$new" "SELECT DISTINCT credits FROM student")"
echo "  status of the new file: $(sqlite3 "$new" "SELECT status FROM _migration_status")"
if [ "$missing" -eq 0 ] && [ "$students" -eq "$expected_students" ]; then
  echo "  lost writes: 0"
else
  echo "  lost or wrong writes: $missing" >&2
  exit 1
fi

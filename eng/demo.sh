#!/usr/bin/env bash
# The main job, end to end, as a user would run it: pack the SDK, build the
# School sample against the packed SDK from the local feed, create its
# database with MigInit, run the app (generated queries) on it, and list
# what the database holds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash eng/pack.sh

demo="$root/artifacts/demo"
rm -rf "$demo" && mkdir -p "$demo"
sample="$root/samples/School"

echo
echo "== MigScript: the SQL the School schema becomes"
dotnet build "$sample" -t:MigScript -nologo -v:q -p:MigScriptPath="$demo/schema.sql" | grep -E "error|warning" || true
cat "$demo/schema.sql"

echo
echo "== MigInit: create the database"
dotnet build "$sample" -t:MigInit -nologo -v:m -p:MigDatabaseDir="$demo" | grep -E "Mig:|error" || true
db="$(ls "$demo"/school-*.db)"

echo
echo "== The School app: generated queries against $(basename "$db")"
dotnet run --project "$sample" -v:q -- "$db"

echo
echo "== What the database holds now"
if command -v sqlite3 >/dev/null; then
  for t in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
    printf '  %-22s %s rows\n' "$t" "$(sqlite3 "$db" "SELECT count(*) FROM \"$t\"")"
  done
else
  echo "  (install sqlite3 to list the tables)"
fi

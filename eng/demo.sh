#!/usr/bin/env bash
# The main job, end to end, as a user would run it: pack the SDK, build the
# School sample against the packed SDK from the local feed, create its
# database with MigInit, and list what it made.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash eng/pack.sh

demo="$root/artifacts/demo"
rm -rf "$demo" && mkdir -p "$demo"
sample="$root/samples/School"

echo
echo "== MigScript: the SQL the School schema becomes"
dotnet build "$sample" -t:MigScript -nologo -v:q -p:MigScriptPath="$demo/schema.sql" >/dev/null
cat "$demo/schema.sql"

echo
echo "== MigInit: create the database"
dotnet build "$sample" -t:MigInit -nologo -v:m -p:MigDatabaseDir="$demo" | grep -E "Mig:|error" || true
db="$(ls "$demo"/school-*.db)"

echo
echo "== The tables of $(basename "$db")"
dotnet run --project "$sample" -v:q -- "$db"

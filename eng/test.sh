#!/usr/bin/env bash
# Runs every test: packs Mig (the SDK tests consume the real packages), then
# `dotnet test` on the solution with TRX results, then prints one line
# "N passed, N failed" counted from those results.
# Extra arguments go to dotnet test, e.g.  bash eng/test.sh --filter TestCategory=Build
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash eng/pack.sh || { echo "0 passed, 1 failed"; exit 1; }

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet test Mig.sln -nologo --logger trx --results-directory "$results" "$@"
rc=$?
# The consumer tests build against the packed SDK like a user's project, so they
# are outside Mig.sln (a fresh clone must build the solution before any pack).
dotnet test tests/Mig.Consumer.Tests -nologo --logger trx --results-directory "$results" "$@"
rc2=$?
[ "$rc" -ne 0 ] || rc=$rc2

passed=0; failed=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
# A build failure or a crashed test host leaves no results; count it as a failure.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
if [ "$total" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$rc"

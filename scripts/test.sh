#!/usr/bin/env bash
# Runs every test project and ends with one summary line: "N passed, N failed".
set -uo pipefail
configuration=${1:-Release}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results=$(mktemp -d)
status=0
# One test project at a time (-m:1): the end-to-end suites start real programs and peers, and on
# a 2-core machine several of them at once starve each other. Tests within a project still run
# in parallel.
dotnet test TunnelOperator.sln -c "$configuration" --no-build --nologo -m:1 \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000 || status=$?
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
  # Name each failed test again at the end, where a truncated log still shows it.
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/failed: \1/p' >> "$results/failed.txt"
done
[ -s "$results/failed.txt" ] && cat "$results/failed.txt"
rm -rf "$results"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
exit $status

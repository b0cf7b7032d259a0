#!/usr/bin/env bash
# The whole test suite: install what is missing, then build and run every test target (XCTest), and close with
# one line "tests: N passed, F failed, S skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh || exit 1
swift build --build-tests || exit 1
log=$(mktemp)
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" "$log" | tail -n 1)
rm -f "$log"
total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failed=$(grep -oE '[0-9]+ failures?' <<<"$summary" | head -n 1 | grep -oE '^[0-9]+')
skipped=$(grep -oE '[0-9]+ tests? skipped' <<<"$summary" | grep -oE '^[0-9]+' || echo 0)
if [ -z "$summary" ]; then
  echo "tests: no XCTest summary found" >&2
  exit $(( status == 0 ? 1 : status ))
fi
echo "tests: $(( total - failed - skipped )) passed, $failed failed, $skipped skipped"
exit "$status"

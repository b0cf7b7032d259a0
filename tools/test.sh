#!/usr/bin/env bash
# The whole test suite: install what is missing, then build and run every test target (XCTest), then the Python
# tools' tests (pytest, in the venv tools/python/venv.sh creates on first use, against the debug condense binary),
# and close with one line "tests: N passed, F failed, S skipped" counting both.
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
passed=$(( total - failed - skipped ))

# Python tools (tools/python/README.md): pytest's counts come from its JUnit XML report.
export CONDENSE_BIN="$(swift build --show-bin-path)/condense"
report=$(mktemp)
if py=$(tools/python/venv.sh); then
  "$py" -m pytest tools/python/tests -q -rs -p no:cacheprovider --junitxml="$report"
  pystatus=$?
  counts=$("$py" -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot(); s = r if r.tag == "testsuite" else r.find("testsuite")
n, f, e, k = (int(s.get(a, 0)) for a in ("tests", "failures", "errors", "skipped"))
print(n - f - e - k, f + e, k)' "$report" 2>/dev/null || echo "0 1 0")
else
  echo "tests: the Python venv could not be created" >&2
  pystatus=1; counts="0 1 0"
fi
rm -f "$report"
read -r pypassed pyfailed pyskipped <<<"$counts"
if [ "$pystatus" -ne 0 ] && [ "$pyfailed" -eq 0 ]; then pyfailed=1; fi  # pytest errored without a report

echo "tests: $(( passed + pypassed )) passed, $(( failed + pyfailed )) failed, $(( skipped + pyskipped )) skipped"
[ "$status" -eq 0 ] && [ "$pystatus" -eq 0 ]

#!/usr/bin/env bash
# Builds and tests everything this machine can: the whole solution where the Aspire packages restore,
# the Aspire-free projects where they do not, and the pipelines' Python tests. Says what it skipped and why.
# Last line: "N passed, N failed, N skipped", computed from the TRX files and unittest's own result.
set -uo pipefail
cd "$(dirname "$0")"

results=.test-results
rm -rf "$results"
mkdir -p "$results/dotnet"
configuration=${CONFIGURATION:-Release}
build_failed=0

say() { printf '%s\n' "$*"; }

# Aspire: the AppHost's restore tells whether Aspire.AppHost.Sdk and Aspire.Hosting.* are reachable.
if restore_log=$(dotnet restore AppHost/FlinkBeam.AppHost.csproj --nologo -v q 2>&1); then
  target=FlinkBeam.Aspire.sln
  say "Aspire packages restore: building and testing the whole solution, AppHost included."
else
  target=FlinkBeam.Aspire.Core.slnf
  reason=$(printf '%s\n' "$restore_log" | grep -m1 -oE '(error [A-Z]+[0-9]+: .*|The SDK .* could not be found.*)' | cut -c1-200)
  say "SKIPPED AppHost/FlinkBeam.AppHost.csproj and tests/FlinkBeam.AppHost.Tests: the Aspire 13.5.2 packages do not restore from the configured NuGet sources (${reason:-restore failed})."
fi

if docker info >/dev/null 2>&1; then
  say "Docker engine answers: end-to-end tests run."
else
  say "No Docker engine answers: end-to-end tests that need containers are skipped by the tests themselves, each with its reason."
fi

say "== dotnet build $target ($configuration)"
if ! dotnet build "$target" -c "$configuration" --nologo -v q -clp:ErrorsOnly; then
  build_failed=1
  say "BUILD FAILED: no .NET tests ran."
else
  say "== dotnet test $target"
  dotnet test "$target" -c "$configuration" --no-build --nologo -v q \
    --logger trx --results-directory "$results/dotnet" --blame-hang-timeout 5m
fi

python_counts="0 0 0"
if [ -d pipelines/tests ]; then
  say "== python3 -m unittest discover -s pipelines/tests"
  python_counts=$(python3 - <<'PY'
import sys, unittest
suite = unittest.defaultTestLoader.discover("pipelines/tests", top_level_dir="pipelines")
result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
print(result.testsRun - failed - skipped, failed, skipped)
PY
  ) || python_counts=${python_counts:-"0 1 0"}
  [ -n "$python_counts" ] || python_counts="0 1 0"
fi

dotnet_counts=$(python3 - "$results/dotnet" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    for result in ET.parse(path).getroot().iter(f"{ns}UnitTestResult"):
        outcome = result.get("outcome")
        if outcome == "Passed": passed += 1
        elif outcome == "NotExecuted": skipped += 1
        else: failed += 1
print(passed, failed, skipped)
PY
)

read -r dp df ds <<<"$dotnet_counts"
read -r pp pf ps <<<"$python_counts"
say "dotnet: $dp passed, $df failed, $ds skipped"
say "python: $pp passed, $pf failed, $ps skipped"
total_failed=$((df + pf))
status=0
if [ "$build_failed" -ne 0 ] || [ "$total_failed" -ne 0 ]; then status=1; fi
say "$((dp + pp)) passed, $total_failed failed, $((ds + ps)) skipped"
exit $status

#!/usr/bin/env bash
# Builds and tests everything this machine can: the whole solution where the AppHost's packages restore, every
# other project (the hosting library and its tests included) where they do not, and the pipelines' Python tests.
# Says what it skipped and why. Last line: "N passed, N failed, N skipped", from the TRX files and unittest's result.
set -uo pipefail
cd "$(dirname "$0")"

results=.test-results
rm -rf "$results"
mkdir -p "$results/dotnet"
configuration=${CONFIGURATION:-Release}
build_failed=0

say() { printf '%s\n' "$*"; }

# The AppHost alone needs Aspire.Hosting.Python and Aspire.Hosting.Docker; its restore tells whether they are reachable.
if restore_log=$(dotnet restore AppHost/FlinkBeam.AppHost.csproj --nologo -v q 2>&1); then
  target=FlinkBeam.Aspire.sln
  say "The AppHost's packages restore: building and testing the whole solution, AppHost included."
else
  target=FlinkBeam.Aspire.Core.slnf
  reason=$(printf '%s\n' "$restore_log" | grep -m1 -oE '(error [A-Z]+[0-9]+: .*|The SDK .* could not be found.*)' | sed 's/ \[.*//' | cut -c1-200)
  say "SKIPPED AppHost/FlinkBeam.AppHost.csproj and tests/FlinkBeam.AppHost.Tests: Aspire.Hosting.Python and Aspire.Hosting.Docker 13.6.5, which only the AppHost uses, do not restore from the configured NuGet sources (${reason:-restore failed}). The hosting library, its model tests, the start test under the orchestrator and the dashboard browser test still run."
fi

# The dashboard browser test drives the system's Chromium; install Debian's package when none is there.
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then
  say "Chromium found: the dashboard browser test runs."
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  say "Installing Chromium for the dashboard browser test (apt-get install -y chromium)."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$results/apt-chromium.log" 2>&1; then
    say "Chromium could not be installed (see $results/apt-chromium.log): the dashboard browser test skips itself, saying so."
  fi
else
  say "No Chromium, and no root apt-get to install it: the dashboard browser test skips itself, saying so."
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

  # The Submitter also ships as a native executable: publish it and run the tests that start the Submitter as a process
  # (command line and service) again, against that executable.
  if command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; then
    rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
    native="$results/native-submitter"
    say "== dotnet publish Submitter -r $rid -p:PublishAot=true, then the Submitter's process tests against it"
    if dotnet publish Submitter/FlinkBeam.Submitter.csproj -c "$configuration" -r "$rid" -p:PublishAot=true -o "$native" \
        --nologo -v q -clp:ErrorsOnly >"$results/native-publish.log" 2>&1; then
      FLINKBEAM_SUBMITTER="$PWD/$native/Submitter" dotnet test tests/FlinkBeam.Submitter.Tests -c "$configuration" --no-build --nologo -v q \
        --filter "FullyQualifiedName~.CliTests|FullyQualifiedName~.InputErrorTests|FullyQualifiedName~.OwnershipTests|FullyQualifiedName~.Service" \
        --logger trx --results-directory "$results/dotnet/native" --blame-hang-timeout 5m
    else
      build_failed=1
      say "NATIVE PUBLISH FAILED (the log is $results/native-publish.log):"
      grep -E 'error|Error' "$results/native-publish.log" | head -20
    fi
  else
    say "SKIPPED the native Submitter's tests: no C compiler (clang or gcc) to link a native executable with."
  fi
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

# Per test project on stderr (so the start and browser tests are seen by name), the totals on stdout.
dotnet_counts=$(python3 - "$results/dotnet" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for path in sorted(glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True)):
    root = ET.parse(path).getroot()
    names = {t.get("id"): (t.find(f"{ns}TestMethod").get("className") or "").split(".")[-1] for t in root.iter(f"{ns}UnitTest")}
    p = f = s = 0
    storage = next((t.get("storage") for t in root.iter(f"{ns}UnitTest")), path)
    for result in root.iter(f"{ns}UnitTestResult"):
        outcome = result.get("outcome")
        cls = names.get(result.get("testId"), "")
        if outcome == "Passed": p += 1
        elif outcome == "NotExecuted":
            s += 1
            # xunit records a skip's reason as the result's message; older runners put it in the output.
            reason = result.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
            if reason is None or not (reason.text or "").strip():
                reason = result.find(f"{ns}Output/{ns}StdOut")
            print(f"  skipped {result.get('testName')}: {(reason.text or '').strip() if reason is not None else ''}", file=sys.stderr)
        else: f += 1
        if cls in ("SubmitterStartTests", "DashboardBrowserTests"):
            print(f"  {cls}: {outcome}", file=sys.stderr)
    project = storage.replace("\\", "/").split("/")[-1].removesuffix(".dll")
    if "/native/" in path.replace("\\", "/"):
        project += " (against the native Submitter)"
    print(f"  {project}: {p} passed, {f} failed, {s} skipped", file=sys.stderr)
    passed += p; failed += f; skipped += s
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

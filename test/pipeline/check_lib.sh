# Sourced by the pipeline test scripts: check NAME COMMAND... runs one test case and counts it
# in $passed / $failed; a pipeline started in the background keeps its pid in $pipeline, which
# is killed when the script exits, so it never outlives the servers.
passed=0
failed=0
check() {  # check NAME COMMAND...: runs a test case
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== passed: $name"
  else
    failed=$((failed + 1))
    echo "=== FAILED: $name" >&2
  fi
}

pipeline=
trap 'if [[ -n "$pipeline" ]]; then kill -KILL "$pipeline" 2>/dev/null || true; fi' EXIT

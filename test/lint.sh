#!/usr/bin/env bash
# Lints every C++ source and header of the project (runtime, schema, operators, connectors,
# examples, test): clang-format must leave each file unchanged (.clang-format), and clang-tidy
# must find nothing (.clang-tidy: bugprone-* and some performance-* checks, warnings as
# errors). Both come from Debian (clang-format, clang-tidy 14; test/install-deps.sh installs
# them). clang-tidy reads build/compile_commands.json, so the tree is built first; it takes
# about 10 minutes on 2 cores, hence not part of test/run-all.sh.
#
#   test/lint.sh              format check and clang-tidy over the whole tree
#   test/lint.sh --fix-format rewrite the files clang-format would change, then lint
#   LINT_JOBS=N               clang-tidy processes at once (default: the build's job count, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/install-deps.sh >/dev/null
bash test/build.sh >/dev/null
mapfile -t files < <(git ls-files -- '*.h' '*.cpp' | grep -E '^(runtime|schema|operators|connectors|examples|test)/')
if [[ "${1:-}" == "--fix-format" ]]; then
  clang-format -i "${files[@]}"
fi
status=0
unformatted=()
for file in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then unformatted+=("$file"); fi
done
if ((${#unformatted[@]} > 0)); then
  status=1
  printf 'not formatted as .clang-format says: %s\n' "${unformatted[@]}"
  echo "fix: test/lint.sh --fix-format (or clang-format -i FILE)"
fi
# clang-tidy checks translation units; headers through the units that include them.
mapfile -t units < <(printf '%s\n' "${files[@]}" | grep -E '\.cpp$')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${units[@]}" |
    xargs -P "${LINT_JOBS:-${BUILD_JOBS:-2}}" -n 4 clang-tidy -p build --quiet >"$log" 2>&1; then
  status=1
fi
# Each finding once (a header's finding repeats in every unit that includes it).
findings=$(grep -E '^[^ ].*: (warning|error): ' "$log" | sed 's|^.*/build/\.\./||; s|^'"$PWD"'/||' |
  sort -u || true)
if [[ -n "$findings" ]]; then
  status=1
  echo "$findings"
  echo "clang-tidy: $(wc -l <<<"$findings") finding(s); the checks and why are in .clang-tidy"
fi
if ((status == 0)); then
  echo "lint: ${#files[@]} files formatted; clang-tidy clean over ${#units[@]} units"
fi
exit "$status"

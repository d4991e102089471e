#!/usr/bin/env bash
# Checks the include graph against the layering (docs/architecture.md): no include points
# upward between the layers runtime → schema → operators → connectors → examples, and inside
# connectors/mysql/ the client includes neither the source nor the sink, which never include
# each other. Prints each offending include as FILE:LINE: include and exits 1 if there is one.
#
#   test/check-layers.sh [SOURCE_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
status=0
# forbid FOLDER PATTERN...: files under FOLDER must not include a path matching any PATTERN.
forbid() {
  local folder=$1
  shift
  if [[ ! -d "$folder" ]]; then
    echo "check-layers: no folder $folder under $PWD"
    status=1
    return
  fi
  local pattern
  pattern=$(printf '|%s' "$@")
  pattern=${pattern:1}
  local hits
  hits=$(grep -rnE "^#include \"(${pattern})" "$folder" --include='*.h' --include='*.cpp') ||
    [[ $? == 1 ]]  # 1: no match; 2: an error, which stops the script
  if [[ -n "$hits" ]]; then
    echo "$hits"
    echo "  ^ $folder must not include ${*}"
    status=1
  fi
}
forbid runtime schema/ operators/ connectors/ examples/
forbid schema operators/ connectors/ examples/
forbid operators connectors/ examples/
forbid connectors examples/
forbid connectors/mysql/client connectors/mysql/source/ connectors/mysql/sink/
forbid connectors/mysql/source connectors/mysql/sink/
forbid connectors/mysql/sink connectors/mysql/source/
# The operator API and built-in operators do not reach into the engine, except Job, which runs it.
forbid operators/filter operators/engine/
hits=$(grep -nE '^#include "operators/engine/' operators/*.h operators/*.cpp |
  grep -v '^operators/job\.cpp:') || [[ $? == 1 ]]
if [[ -n "$hits" ]]; then
  echo "$hits"
  echo "  ^ only operators/job.cpp of the operator API includes the engine"
  status=1
fi
if ((status == 0)); then echo "layers: no include points upward"; fi
exit "$status"

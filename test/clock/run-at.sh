#!/usr/bin/env bash
# Run the whole test suite with every process's clock (node, the local server, DynamoDB Local's JVM)
# shifted by one offset so that "now" is the given instant. An offset (not an absolute @date) keeps
# all the processes on one clock that still moves. Needs libfaketime (Debian: faketime).
#   test/clock/run-at.sh 2027-01-02T10:00:00+07:00 [vitest args…]
set -euo pipefail
target="${1:?usage: run-at.sh <ISO 8601 instant> [vitest args…]}"
shift
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install -y faketime)" >&2; exit 2; }
offset=$(( $(date -d "$target" +%s) - $(date +%s) ))
sign=$([ "$offset" -lt 0 ] && echo "" || echo "+")
cd "$(dirname "$0")/../.."
echo "clock shifted by ${sign}${offset}s: now is $(faketime -f "${sign}${offset}" date -Is)"
exec faketime -f "${sign}${offset}" npx vitest run --config test/vitest.config.ts "$@"

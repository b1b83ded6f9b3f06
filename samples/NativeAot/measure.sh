#!/usr/bin/env bash
# Start time "new ProcessPool(n) -> first result", as printed by the sample, over N runs: min, median, max (ms).
# Usage: samples/NativeAot/measure.sh <command...>   e.g.  measure.sh ./NativeAot   or   measure.sh dotnet NativeAot.dll
# RUNS (default 20) and PROCESSES (default 2) come from the environment.
set -euo pipefail
runs=${RUNS:-20}
processes=${PROCESSES:-2}
for _ in $(seq 1 "$runs"); do
    "$@" "$processes" | sed -nE 's/.*first result: ([0-9.]+) ms.*/\1/p'
done | sort -n | awk '{ v[NR] = $1 } END { printf "runs %d  min %.1f  median %.1f  max %.1f ms\n", NR, v[1], (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR] }'

#!/usr/bin/env bash
# compare.sh: time `rg -j1 --count-matches` with ten equivalent patterns and
# `piiscan scan --workers 1` (and --workers 2) on the same generated corpus,
# in one run, and print the median times, their ratio, piiscan's peak RSS and
# the scaling from one to two workers. Not run by CI (make bench-compare).
#
# Environment: SIZE (default 100MB), SEED (7), RUNS (3), CORPUS (a directory
# to reuse instead of generating one).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-100MB}
SEED=${SEED:-7}
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v rg >/dev/null 2>&1; then
  echo "== installing ripgrep from Debian"
  apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null
fi
[ -x bin/piiscan ] || make build >/dev/null

corpus=${CORPUS:-}
if [ -z "$corpus" ]; then
  corpus=$work/corpus
  echo "== generating a $SIZE corpus (seed $SEED): logs, CSV, JSON Lines, prose; sparse PII, many decoys"
  go run ./benchmarks/corpus/cmd/gencorpus -out "$corpus" -seed "$SEED" -size "$SIZE" \
    -formats log,csv,jsonl,txt -labels "$work/labels.jsonl" >/dev/null
fi
bytes=$(du -sb "$corpus" | awk '{print $1}')
echo "== corpus: $corpus, $bytes bytes"
echo "== machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs; $(rg --version 2>/dev/null | sed -n 1p); $(go version | awk "{print \$3}")"

# median of RUNS timings of a command; prints seconds and max RSS (KiB)
measure() {
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/out"
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
      code=$?; [ $code -le 1 ] || { cat "$work/err" >&2; exit $code; }
    }
    read -r t m <"$work/t"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" "$rss"
}

read -r rg_t rg_rss < <(measure rg -j1 --count-matches --no-unicode -a -f benchmarks/rg-patterns.txt "$corpus")
export PIISCAN_HMAC_KEY=bench-compare
read -r p1_t p1_rss < <(measure bin/piiscan scan "$corpus" --workers 1 --out "$work/out" --quiet --log-level error)
read -r p2_t p2_rss < <(measure bin/piiscan scan "$corpus" --workers 2 --out "$work/out" --quiet --log-level error)

python3 - "$bytes" "$rg_t" "$p1_t" "$p2_t" "$p1_rss" "$p2_rss" <<'PY'
import sys
b, rg, p1, p2, r1, r2 = (float(x) for x in sys.argv[1:])
mb = b / 1e6
print(f"rg -j1 --count-matches (10 patterns): {rg:6.2f} s  {mb/rg:7.1f} MB/s")
print(f"piiscan scan --workers 1:             {p1:6.2f} s  {mb/p1:7.1f} MB/s  peak RSS {r1/1024:.0f} MiB")
print(f"piiscan scan --workers 2:             {p2:6.2f} s  {mb/p2:7.1f} MB/s  peak RSS {r2/1024:.0f} MiB")
print(f"ratio rg/piiscan (>= 1.0 means piiscan is as fast): {rg/p1:.2f}")
print(f"scaling 2 workers / 1 worker: {p1/p2:.2f}x")
PY

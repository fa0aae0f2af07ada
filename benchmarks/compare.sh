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

# The three commands run in turn, RUNS rounds of rg, one worker, two
# workers, so that a slow spell of this shared machine hits all three alike;
# each gets the median of its wall times, its median CPU time (user+sys) and
# its largest peak RSS. Wall time is taken with bash's microsecond clock
# (time(1) rounds to 10 ms).
export PIISCAN_HMAC_KEY=bench-compare
: >"$work/times"
for _ in $(seq "$RUNS"); do
  for cmd in rg p1 p2; do
    rm -rf "$work/out"
    case $cmd in
    rg) set -- rg -j1 --count-matches --no-unicode -a -f benchmarks/rg-patterns.txt "$corpus" ;;
    p1) set -- bin/piiscan scan "$corpus" --workers 1 --out "$work/out" --quiet --log-level error ;;
    p2) set -- bin/piiscan scan "$corpus" --workers 2 --out "$work/out" --quiet --log-level error ;;
    esac
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
      code=$?; [ $code -le 1 ] || { cat "$work/err" >&2; exit $code; }
    }
    t1=$EPOCHREALTIME
    echo "$cmd $t0 $t1 $(cat "$work/t")" >>"$work/times"
  done
done

python3 - "$bytes" "$work/times" <<'PY'
import statistics, sys
mb = float(sys.argv[1]) / 1e6
wall, cpu, rss = {}, {}, {}
for line in open(sys.argv[2]):
    cmd, t0, t1, u, s, m = line.split()
    wall.setdefault(cmd, []).append(float(t1) - float(t0))
    cpu.setdefault(cmd, []).append(float(u) + float(s))
    rss[cmd] = max(rss.get(cmd, 0), int(m))
w = {k: statistics.median(v) for k, v in wall.items()}
c = {k: statistics.median(v) for k, v in cpu.items()}
rows = [("rg", "rg -j1 --count-matches (10 patterns)"), ("p1", "piiscan scan --workers 1"), ("p2", "piiscan scan --workers 2")]
for k, name in rows:
    extra = f"  peak RSS {rss[k]/1024:.0f} MiB" if k != "rg" else ""
    print(f"{name + ':':38s} {w[k]:6.3f} s  {mb/w[k]:7.1f} MB/s  CPU {c[k]:6.2f} s{extra}")
print(f"ratio rg/piiscan, wall (>= 1.0 means piiscan is as fast): {w['rg']/w['p1']:.2f}")
print(f"ratio rg/piiscan, CPU time: {c['rg']/c['p1']:.2f}")
print(f"scaling 2 workers / 1 worker: {w['p1']/w['p2']:.2f}x")
PY

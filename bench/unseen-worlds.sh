#!/usr/bin/env bash
# Every planner on two worlds the defaults were not tuned on (they were tuned on a 20k sample of the demo
# catalogue, 500 users, popularity exponent 2, taste bias 0.5, the default label mix and PBM clicks):
#   A: another 10k sample of the demo catalogue (seed 7), 2,000 users, popularity exponent 1 (flatter), taste
#      bias 0.3, cascade clicks;
#   B: the whole demo catalogue (62k), 300 users, popularity exponent 3 (steeper), taste bias 0.7, every label
#      equally often, DCM clicks.
# Both rankers on each, then bench/simulate-summary.ts over the four outputs. About 25 minutes on 2 cores.
# The LambdaMART runs use the default holdback (0.1 since session 13); BENCHMARKS' session-12 tables of these
# worlds were made before, as with `--holdback 0` (set HOLDBACK=0 to reproduce them).
#
#   bash bench/unseen-worlds.sh [out-dir]      (run `npm run build` first: it runs bin/quiver.js)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/unseen-worlds}"
mkdir -p "$out"
quiver() { node bin/quiver.js "$@"; }

npx tsx bench/sample-catalog.ts --n 10000 --seed 7 --out "$out/catalog-a.jsonl"
quiver generate-stream --catalog "$out/catalog-a.jsonl" --n 5000 --seed 11 --users 2000 --popularity-exponent 1 \
  --taste-bias 0.3 --out "$out/stream-a.jsonl"
quiver generate-stream --catalog data/demo/catalog.jsonl.gz --n 5000 --seed 23 --users 300 --popularity-exponent 3 \
  --taste-bias 0.7 --mix exact-title=1,artist=1,misspelled=1,partial=1,topical=1,ambiguous=1,fresh=1,personal=1 \
  --out "$out/stream-b.jsonl"

world() { # world name catalogue seed click-model ranker
  quiver simulate --catalog "$2" --stream "$out/stream-$1.jsonl" --seed "$3" --click-model "$4" --policy all \
    --ranker "$5" ${HOLDBACK:+--holdback "$HOLDBACK"} --no-regret --json > "$out/world-$1-$5.json"
}
( world a "$out/catalog-a.jsonl" 11 cascade heuristic; world a "$out/catalog-a.jsonl" 11 cascade lambdamart ) &
( world b data/demo/catalog.jsonl.gz 23 dcm heuristic; world b data/demo/catalog.jsonl.gz 23 dcm lambdamart ) &
wait
npx tsx bench/simulate-summary.ts "$out"/world-{a,b}-{heuristic,lambdamart}.json

#!/usr/bin/env bash
# Every planner on worlds the defaults were not tuned on (they were tuned on a 20k sample of the demo catalogue,
# 500 users, popularity exponent 2, taste bias 0.5, the default label mix and PBM clicks):
#   A: another 10k sample of the demo catalogue (seed 7), 2,000 users, popularity exponent 1 (flatter), taste
#      bias 0.3, cascade clicks;
#   B: the whole demo catalogue (62k), 300 users, popularity exponent 3 (steeper), taste bias 0.7, every label
#      equally often, DCM clicks;
#   C (session 21): another 20k sample (seed 31), 1,000 users, popularity exponent 1.5, taste bias 0.4, the default
#      mix, PBM clicks;
#   D (session 21): the whole demo catalogue, 5,000 users (most search once or twice), popularity exponent 0.5
#      (nearly flat), taste bias 0.2, no fresh or personal queries and twice the topical and ambiguous ones,
#      cascade clicks;
#   F (session 22): another 30k sample (seed 51), 3,000 users, popularity exponent 1.2, taste bias 0.6, twice the
#      misspelled and fresh queries, DCM clicks;
#   G (session 25): another 15k sample (seed 71), 1,500 users, popularity exponent 0.8, taste bias 0.5, a 30-day
#      window, the default mix, DCM clicks;
#   H (session 25): another 25k sample (seed 81), 4,000 users (most search once or twice), the default popularity
#      exponent, taste bias 0.3, topical queries with 10 targets, 50 ambiguous head words, three times the
#      exact titles and twice the topical queries of the misspelled, fresh and personal ones, no artist,
#      partial or ambiguous queries, PBM clicks.
# Each world under each ranker, then bench/simulate-summary.ts over the outputs. A and B under both rankers take
# about 25 minutes on 2 cores; C or D under LambdaMART about 20.
# The LambdaMART runs use the default holdback (0.1 since session 13); BENCHMARKS' session-12 tables of A and B
# were made before, as with `--holdback 0` (set HOLDBACK=0 to reproduce them). Tables before session 22 had a
# simulated user who only clicks (set CLICKS_ONLY=1 to reproduce them); since, a clicked target is played and a
# stray click skipped.
#
#   [WORLDS="a b"] [RANKERS="heuristic lambdamart"] bash bench/unseen-worlds.sh [out-dir]
#   WORLDS="c d" RANKERS=lambdamart bash bench/unseen-worlds.sh       (session 21's table)
#   WORLDS="g h" bash bench/unseen-worlds.sh                            (session 25's tables)
# Run `npm run build` first: it runs bin/quiver.js.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/unseen-worlds}"
worlds="${WORLDS:-a b}"
rankers="${RANKERS:-heuristic lambdamart}"
mkdir -p "$out"
quiver() { node bin/quiver.js "$@"; }
demo=data/demo/catalog.jsonl.gz

# Writes $out/catalog-<w>.jsonl (or names the demo catalogue) and $out/stream-<w>.jsonl; prints "catalogue seed clicks".
make_world() {
  case "$1" in
    a) npx tsx bench/sample-catalog.ts --n 10000 --seed 7 --out "$out/catalog-a.jsonl" >&2
       quiver generate-stream --catalog "$out/catalog-a.jsonl" --n 5000 --seed 11 --users 2000 --popularity-exponent 1 \
         --taste-bias 0.3 --out "$out/stream-a.jsonl"
       echo "$out/catalog-a.jsonl 11 cascade" ;;
    b) quiver generate-stream --catalog "$demo" --n 5000 --seed 23 --users 300 --popularity-exponent 3 --taste-bias 0.7 \
         --mix exact-title=1,artist=1,misspelled=1,partial=1,topical=1,ambiguous=1,fresh=1,personal=1 --out "$out/stream-b.jsonl"
       echo "$demo 23 dcm" ;;
    c) npx tsx bench/sample-catalog.ts --n 20000 --seed 31 --out "$out/catalog-c.jsonl" >&2
       quiver generate-stream --catalog "$out/catalog-c.jsonl" --n 5000 --seed 31 --users 1000 --popularity-exponent 1.5 \
         --taste-bias 0.4 --out "$out/stream-c.jsonl"
       echo "$out/catalog-c.jsonl 31 pbm" ;;
    d) quiver generate-stream --catalog "$demo" --n 5000 --seed 41 --users 5000 --popularity-exponent 0.5 --taste-bias 0.2 \
         --mix topical=2,ambiguous=2,misspelled=1,partial=1,exact-title=1,artist=1 --out "$out/stream-d.jsonl"
       echo "$demo 41 cascade" ;;
    f) npx tsx bench/sample-catalog.ts --n 30000 --seed 51 --out "$out/catalog-f.jsonl" >&2
       quiver generate-stream --catalog "$out/catalog-f.jsonl" --n 5000 --seed 51 --users 3000 --popularity-exponent 1.2 \
         --taste-bias 0.6 --mix exact-title=1,artist=1,misspelled=2,partial=1,topical=1,ambiguous=1,fresh=2,personal=1 --out "$out/stream-f.jsonl"
       echo "$out/catalog-f.jsonl 51 dcm" ;;
    g) npx tsx bench/sample-catalog.ts --n 15000 --seed 71 --out "$out/catalog-g.jsonl" >&2
       quiver generate-stream --catalog "$out/catalog-g.jsonl" --n 5000 --seed 71 --users 1500 --popularity-exponent 0.8 \
         --taste-bias 0.5 --days 30 --out "$out/stream-g.jsonl"
       echo "$out/catalog-g.jsonl 71 dcm" ;;
    h) npx tsx bench/sample-catalog.ts --n 25000 --seed 81 --out "$out/catalog-h.jsonl" >&2
       quiver generate-stream --catalog "$out/catalog-h.jsonl" --n 5000 --seed 81 --users 4000 --taste-bias 0.3 \
         --topical-targets 10 --ambiguous-words 50 --mix exact-title=3,misspelled=1,topical=2,personal=1,fresh=1 \
         --out "$out/stream-h.jsonl"
       echo "$out/catalog-h.jsonl 81 pbm" ;;
    *) echo "unknown world $1 (a, b, c, d, f, g or h)" >&2; exit 2 ;;
  esac
}

run_world() { # world
  local spec catalogue seed clicks
  spec=$(make_world "$1" | tail -1)
  read -r catalogue seed clicks <<< "$spec"
  for ranker in $rankers; do
    quiver simulate --catalog "$catalogue" --stream "$out/stream-$1.jsonl" --seed "$seed" --click-model "$clicks" \
      --policy all --ranker "$ranker" ${HOLDBACK:+--holdback "$HOLDBACK"} ${CLICKS_ONLY:+--clicks-only} --no-regret --json > "$out/world-$1-$ranker.json"
  done
}

pids=()
for w in $worlds; do run_world "$w" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid"; done   # a world that failed fails the script
files=()
for w in $worlds; do for ranker in $rankers; do files+=("$out/world-$w-$ranker.json"); done; done
npx tsx bench/simulate-summary.ts "${files[@]}"

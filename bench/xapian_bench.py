#!/usr/bin/env python3
"""Xapian side of Quiver's index benchmark (bench/index-bench.ts runs it; it can also run alone).

Reads the corpus JSONL and query files that bench/index-bench.ts wrote, indexes title/artist/album/genre with
Xapian's C++ core through Debian's python3-xapian, and prints one JSON line: build seconds, memory, and top-k
query latency (mean, p50, p99 in ms, nearest-rank percentiles as in bench/stats.ts).

Choices, kept the same as the JS engines' runs:
- One unprefixed free-text term space for all four fields (like MiniSearch/Orama matching any field); a field's
  weight is its wdf increment (title counts `--weights` times), Xapian's usual stand-in for BM25F field weights.
- No stemming (STEM_NONE, no stemmer), no stop words, OR of the query terms; BM25Weight(k1=1.2, k2=0, k3=1,
  b=0.75, min_normlen=0.5), i.e. textbook BM25.
- Backend: a temporary on-disk glass database (Xapian's production backend), committed once, then reopened
  read-only for the queries; its pages are in the OS page cache by then. `--backend inmemory` uses the
  deprecated InMemory backend instead.
- Timing per query covers QueryParser.parse_query + Enquire.get_mset(0, k) + reading the k docids, so the
  Python binding's overhead is included (a conservative comparison for Quiver).
"""
import argparse
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time

import xapian

FIELDS = ("title", "artist", "album", "genre")


def percentile(sorted_values, p):
    """Nearest-rank percentile (the value at rank ceil(p*n)), as in bench/stats.ts."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(1, math.ceil(p * len(sorted_values))) - 1]


def rss_mb():
    """Current resident set size; maxrss alone would report the build's transient peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def dir_mb(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files) / 2**20


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def field_texts(doc):
    fields = doc.get("fields") or {}
    out = [doc.get("title", "")]
    for name in FIELDS[1:]:
        v = fields.get(name, "")
        out.append(" ".join(v) if isinstance(v, list) else v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--warmup", help="queries to run untimed first")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--backend", choices=("glass", "inmemory"), default="glass")
    ap.add_argument("--weights", default="title=1,artist=1,album=1,genre=1", help="integer wdf increment per field")
    ap.add_argument("--sample-top", type=int, default=0, help="print the top-k ids of the first n queries")
    args = ap.parse_args()

    weights = dict((kv.split("=")[0], int(kv.split("=")[1])) for kv in args.weights.split(","))
    # Parsing the JSON is not part of the build: the JS engines get their documents already in memory.
    docs = [json.loads(line) for line in read_lines(args.corpus)]
    ids = [d["id"] for d in docs]
    texts = [field_texts(d) for d in docs]
    del docs
    queries = read_lines(args.queries)
    warmup = read_lines(args.warmup) if args.warmup else []

    rss_before = rss_mb()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tmp = tempfile.mkdtemp(prefix="quiver-xapian-") if args.backend == "glass" else None
    try:
        t0 = time.perf_counter()
        if tmp:
            wdb = xapian.WritableDatabase(tmp, xapian.DB_CREATE_OR_OVERWRITE | xapian.DB_BACKEND_GLASS)
        else:
            wdb = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
        tg = xapian.TermGenerator()
        tg.set_stemming_strategy(xapian.TermGenerator.STEM_NONE)
        for field_values in texts:
            doc = xapian.Document()
            tg.set_document(doc)
            for name, text in zip(FIELDS, field_values):
                # No positions: none of the JS engines keep them, and they would only slow Xapian's build.
                tg.index_text_without_positions(text, weights.get(name, 1))
            wdb.add_document(doc)  # docids are 1..N in corpus order
        wdb.commit()
        build_s = time.perf_counter() - t0
        db = xapian.Database(tmp) if tmp else wdb
        disk = dir_mb(tmp) if tmp else 0.0

        qp = xapian.QueryParser()
        qp.set_default_op(xapian.Query.OP_OR)
        qp.set_stemming_strategy(xapian.QueryParser.STEM_NONE)
        enquire = xapian.Enquire(db)
        enquire.set_weighting_scheme(xapian.BM25Weight(1.2, 0, 1, 0.75, 0.5))

        def run(q):
            enquire.set_query(qp.parse_query(q))
            return [m.docid for m in enquire.get_mset(0, args.k)]

        for q in warmup:
            run(q)
        lat_ms = []
        sample = []
        for i, q in enumerate(queries):
            t = time.perf_counter_ns()
            top = run(q)
            lat_ms.append((time.perf_counter_ns() - t) / 1e6)
            if i < args.sample_top:
                sample.append([ids[d - 1] for d in top])
        rss_after = rss_mb()
        maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    lat_sorted = sorted(lat_ms)
    print(json.dumps({
        "engine": "xapian",
        "version": xapian.version_string(),
        "backend": args.backend,
        "docs": len(ids),
        "build_s": build_s,
        "mem_mb": rss_after - rss_before,
        "peak_rss_delta_mb": (maxrss_after - maxrss_before) / 1024,
        "disk_mb": disk,
        "latency": {
            "count": len(lat_ms),
            "mean_ms": sum(lat_ms) / len(lat_ms) if lat_ms else float("nan"),
            "p50_ms": percentile(lat_sorted, 0.5),
            "p99_ms": percentile(lat_sorted, 0.99),
        },
        "sample_top": sample,
    }))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Xapian side of the ad-hoc quality benchmark (bench/adhoc-bench.ts runs it).

Indexes a BEIR-layout collection (title + text as free text, Xapian's BM25Weight with its defaults) with or without
the English Snowball stemmer (STEM_SOME), runs every query, and prints one JSON object {"runs": {qid: [docid, ...]}}
with the top 1000 per query, so that Quiver's own metric code scores both engines the same way.
"""
import argparse
import json
import os
import sys
import time

import xapian


def json_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--beir", required=True)
    ap.add_argument("--stem", choices=("english", "none"), default="english")
    ap.add_argument("--k", type=int, default=1000)
    args = ap.parse_args()

    db = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    tg = xapian.TermGenerator()
    stemmer = xapian.Stem("english" if args.stem == "english" else "none")
    tg.set_stemmer(stemmer)
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME if args.stem == "english" else xapian.TermGenerator.STEM_NONE)
    started = time.perf_counter()
    for row in json_lines(os.path.join(args.beir, "corpus.jsonl")):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(row.get("title") or "")
        tg.increase_termpos()
        tg.index_text(row.get("text") or "")
        doc.set_data(row["_id"])
        doc.add_boolean_term("Q" + row["_id"])
        db.add_document(doc)
    build_s = time.perf_counter() - started

    qp = xapian.QueryParser()
    qp.set_stemmer(stemmer)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME if args.stem == "english" else xapian.QueryParser.STEM_NONE)
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_OR)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    runs = {}
    elapsed = 0.0
    for row in json_lines(os.path.join(args.beir, "queries.jsonl")):
        t = time.perf_counter()
        enquire.set_query(qp.parse_query(row["text"], 0))
        runs[row["_id"]] = [m.document.get_data().decode("utf-8") for m in enquire.get_mset(0, args.k)]
        elapsed += time.perf_counter() - t
    json.dump({"engine": "xapian", "version": xapian.version_string(), "stem": args.stem, "build_s": build_s,
               "query_s": elapsed, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()

"""XGBoost's LambdaMART (rank:ndcg) on svmlight ranking files, for bench/ltr-bench.ts.

Reads svmlight (plain or .gz) with qid: or a group-size file, trains `--repeats` times on one thread, and prints one
JSON line: the version, each repeat's training seconds (data loading excluded, as for Quiver) and the test rows'
scores of the last model, which the driver scores with Quiver's metric code so both sides are judged alike.

  /usr/bin/python3 bench/xgb_rank.py --train F [--train-group G] --test F [--test-group G] [--trees 100]
      [--depth 6] [--eta 0.1] [--repeats 5] [--tree-method auto] [--threads 1]
"""
import argparse
import gzip
import json
import time

import numpy as np
import xgboost as xgb


def read_svmlight(path, group_path):
    labels, rows, qids = [], [], []
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            tokens = line.split()
            labels.append(float(tokens[0]))
            start = 1
            if len(tokens) > 1 and tokens[1].startswith('qid:'):
                qids.append(int(tokens[1][4:]))
                start = 2
            rows.append([(int(i), float(v)) for i, v in (t.split(':', 1) for t in tokens[start:])])
    if group_path:
        with open(group_path) as f:
            groups = [int(x) for x in f if x.strip()]
    else:
        groups = []
        for i, q in enumerate(qids):
            if i == 0 or q != qids[i - 1]:
                groups.append(0)
            groups[-1] += 1
    return labels, rows, groups


def dense(rows, width):
    x = np.zeros((len(rows), width), dtype=np.float32)
    for r, row in enumerate(rows):
        for i, v in row:
            if i <= width:
                x[r, i - 1] = v
    return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--train', required=True)
    p.add_argument('--train-group')
    p.add_argument('--test', required=True)
    p.add_argument('--test-group')
    p.add_argument('--trees', type=int, default=100)
    p.add_argument('--depth', type=int, default=6)
    p.add_argument('--eta', type=float, default=0.1)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--tree-method', default='auto')
    p.add_argument('--threads', type=int, default=1)
    a = p.parse_args()

    train_labels, train_rows, train_groups = read_svmlight(a.train, a.train_group)
    test_labels, test_rows, test_groups = read_svmlight(a.test, a.test_group)
    width = max([i for row in train_rows for i, _ in row] + [1])
    dtrain = xgb.DMatrix(dense(train_rows, width), label=np.array(train_labels))
    dtrain.set_group(train_groups)
    dtest = xgb.DMatrix(dense(test_rows, width))
    params = {'objective': 'rank:ndcg', 'max_depth': a.depth, 'eta': a.eta, 'nthread': a.threads,
              'tree_method': a.tree_method, 'verbosity': 0}
    seconds = []
    booster = None
    for _ in range(a.repeats):
        started = time.perf_counter()
        booster = xgb.train(params, dtrain, num_boost_round=a.trees)
        seconds.append(time.perf_counter() - started)
    scores = booster.predict(dtest).tolist()
    print(json.dumps({'version': xgb.__version__, 'params': params, 'train_s': seconds, 'test_scores': scores}))


if __name__ == '__main__':
    main()

"""Small-groups benchmark (issue 8): our `reti groups propose` against the exact optimum.

The exact optimum is set partitioning over every admissible group (every subset of min..max
networks, its cost the sum of its pairs' distances), solved to proven optimality by HiGHS. This
lives outside the product: it needs `highspy` (pip) and runs only here.

    python scripts/bench_groups.py RETI_BINARY [--instances N] [--seed S]
"""

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import highspy

LINES = ["scuola", "servizi", "informazione", "partecipazione"]


def distance(a, b):
    """d(i, j) of SPEC §3; Jaccard of two empty sets is 1 (docs/groups.md)."""
    la, lb = set(a["lines"]), set(b["lines"])
    union = la | lb
    jaccard = 1.0 if not union else len(la & lb) / len(union)
    return (1.0 - jaccard) + abs(a["maturity"] - b["maturity"]) / 100.0


def cost(networks, groups):
    index = {n["id"]: i for i, n in enumerate(networks)}
    total = 0.0
    for group in groups:
        members = [networks[index[i]] for i in group]
        for a, b in itertools.combinations(members, 2):
            total += distance(a, b)
    return total


def instance(rng, n, declared):
    networks = []
    for i in range(n):
        lines = rng.sample(LINES, rng.randint(0 if rng.random() < 0.05 else 1, 3))
        maturity = rng.choice([15, 50, 85]) if declared else round(rng.uniform(0, 100), 1)
        networks.append({"id": f"rete-{i:03d}", "lines": lines, "maturity": maturity})
    return networks


def write_csv(networks, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,action_lines,maturity\n")
        for n in networks:
            f.write(f"{n['id']},{'|'.join(n['lines'])},{n['maturity']}\n")


def exact(networks, low, high):
    n = len(networks)
    d = [[distance(a, b) for b in networks] for a in networks]
    costs, starts, index = [], [0], []
    for size in range(low, high + 1):
        for group in itertools.combinations(range(n), size):
            costs.append(sum(d[i][j] for i, j in itertools.combinations(group, 2)))
            index.extend(group)
            starts.append(len(index))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_ = len(costs)
    lp.num_row_ = n
    lp.col_cost_ = costs
    lp.col_lower_ = [0.0] * len(costs)
    lp.col_upper_ = [1.0] * len(costs)
    lp.row_lower_ = [1.0] * n
    lp.row_upper_ = [1.0] * n
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = [1.0] * len(index)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(costs)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {h.modelStatusToString(status)}")
    return h.getInfo().objective_function_value, len(costs)


def propose(reti, path, low, high):
    started = time.perf_counter()
    out = subprocess.run(
        [reti, "groups", "propose", "--input", path, "--min-size", str(low), "--max-size", str(high),
         "--format", "json"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reti")
    parser.add_argument("--instances", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-timing", action="store_true", help="only the gaps (any build gives the same answers)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp()
    path = os.path.join(work, "networks.csv")
    shapes = [(10, 2, 3), (12, 3, 4), (15, 3, 5), (18, 2, 4), (20, 3, 4), (20, 4, 5), (24, 3, 5),
              (25, 4, 5), (27, 3, 4), (30, 3, 4), (30, 4, 5), (30, 2, 3), (29, 3, 5)]
    worst, gaps = (0.0, None), []
    print(f"{'n':>3} {'min':>3} {'max':>3} {'maturity':>8} {'columns':>7} {'optimum':>10} {'ours':>10} {'gap %':>7}")
    for k in range(args.instances):
        n, low, high = shapes[k % len(shapes)]
        declared = k % 2 == 0
        networks = instance(rng, n, declared)
        write_csv(networks, path)
        optimum, columns = exact(networks, low, high)
        answer, _ = propose(args.reti, path, low, high)
        ours = cost(networks, answer["groups"])
        assert abs(ours - answer["cost"]) < 1e-9, (ours, answer["cost"])
        assert sorted(i for g in answer["groups"] for i in g) == sorted(x["id"] for x in networks)
        assert all(low <= len(g) <= high for g in answer["groups"])
        gap = 0.0 if ours <= optimum + 1e-9 else (ours - optimum) / max(optimum, 1e-12)
        gaps.append(gap)
        if gap >= worst[0]:
            worst = (gap, (n, low, high))
        kind = "15/50/85" if declared else "0-100"
        print(f"{n:>3} {low:>3} {high:>3} {kind:>8} {columns:>7} {optimum:>10.4f} {ours:>10.4f} {100 * gap:>7.3f}")
    at_optimum = sum(1 for g in gaps if g == 0.0)
    print(f"\n{len(gaps)} instances: {at_optimum} at the optimum; worst gap {100 * worst[0]:.3f} % "
          f"(n={worst[1][0]}, bounds {worst[1][1]}..{worst[1][2]})")

    if args.no_timing:
        sys.exit("worst gap above 1 %" if worst[0] > 0.01 else 0)
    print("\n500 networks, whole process (`reti groups propose`), 5 runs each:")
    for low, high in [(3, 5), (4, 6), (5, 8)]:
        networks = instance(random.Random(500 + low), 500, False)
        write_csv(networks, path)
        times = []
        for _ in range(5):
            answer, elapsed = propose(args.reti, path, low, high)
            times.append(elapsed)
        print(f"  bounds {low}..{high}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s, "
              f"{len(answer['groups'])} groups, cost {answer['cost']:.2f}")
    if worst[0] > 0.01:
        sys.exit("worst gap above 1 %")


if __name__ == "__main__":
    main()

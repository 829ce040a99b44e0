#!/usr/bin/env python3
"""Plots the transport benchmark's throughput (the CSV that `transports --csv` writes).

    python3 benchmarks/plot.py benchmarks/results/transports.csv benchmarks/results/transports.png

Needs matplotlib (pip install matplotlib).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    with open(source) as f:
        rows = list(csv.DictReader(f))
    groups = []
    for ours, plain in zip(rows[0::2], rows[1::2]):
        label = ours["client"].split(":")[0]
        groups.append((label, float(ours["calls_per_second"]), float(plain["calls_per_second"]), ours["ratio"]))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    width = 0.38
    xs = range(len(groups))
    ax.bar([x - width / 2 for x in xs], [g[1] for g in groups], width, label="spotify-web client", color="#1db954")
    ax.bar([x + width / 2 for x in xs], [g[2] for g in groups], width, label="plain client, same request", color="#888888")
    for x, (_, ours, plain, ratio) in zip(xs, groups):
        ax.text(x, max(ours, plain) * 1.02, f"{float(ratio):.2f}x", ha="center", fontsize=10)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([g[0] for g in groups])
    ax.set_ylabel("Get Artist calls per second (warm token)")
    ax.set_title("Transports against the emulator on loopback (median of interleaved rounds)")
    ax.legend(loc="upper left")
    ax.set_ylim(0, max(max(g[1], g[2]) for g in groups) * 1.15)
    fig.tight_layout()
    fig.savefig(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

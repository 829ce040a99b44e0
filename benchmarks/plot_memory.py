#!/usr/bin/env python3
"""Plots the memory benchmark: peak resident set against items walked (the CSV that
`memory --csv` writes).

    python3 benchmarks/plot_memory.py benchmarks/results/memory.csv benchmarks/results/memory.png

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
    items = [int(r["items"]) for r in rows]
    peaks = [int(r["peak_kib"]) / 1024 for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    ax.plot(items, peaks, marker="o", color="#1db954", label="walking with Client::items")
    ax.set_xlabel("playlist items walked")
    ax.set_ylabel("peak resident set (MiB)")
    ax.set_ylim(0, max(peaks) * 1.5)
    ax.set_xscale("log")
    ax.set_title("One page at a time: memory does not grow with the playlist")
    for x, y in zip(items, peaks):
        ax.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 8), ha="center")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

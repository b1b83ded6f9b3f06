"""Statistics and /proc probes shared by pool_bench.py's cases.

The runner (samples/Benchmarks) computes its own side with the same formulas (Stats.cs, ProcStats.cs), so
both columns of its table come from identical arithmetic.
"""

import os
import statistics
import time

MB = 1_000_000  # decimal megabyte, used for every MB and MB/s figure
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def percentile(sorted_values, q):
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def latency_summary(samples_ns):
    s = sorted(samples_ns)
    to_us = 1 / 1000
    return {
        "calls": len(s),
        "median_us": round(statistics.median(s) * to_us, 1),
        "mean_us": round(statistics.fmean(s) * to_us, 1),
        "p90_us": round(percentile(s, 90) * to_us, 1),
        "p99_us": round(percentile(s, 99) * to_us, 1),
        "min_us": round(s[0] * to_us, 1),
    }


def throughput_summary(n_items, seconds_list):
    rates = [n_items / s for s in seconds_list]
    return {
        "items": n_items,
        "runs": len(seconds_list),
        "median_items_per_s": round(statistics.median(rates)),
        "best_items_per_s": round(max(rates)),
        "median_seconds": round(statistics.median(seconds_list), 4),
    }


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def echo_runs(size_bytes, quick):
    """Timed echoes at one size of the echo sweep: about 200 MB moved per size (20 MB with --quick),
    at least 3 (2) and at most 200 (20) calls. The runner uses the same rule."""
    low, high, budget = (2, 20, 20 * MB) if quick else (3, 200, 200 * MB)
    return max(low, min(high, budget // size_bytes))


def rss_mb(pid):
    """VmRSS of a process from /proc/<pid>/status, in decimal MB (None where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) * 1024 / MB, 1)
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads, live or ended), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the ")" that closes the command name: field 3 (state) is fields[0], so utime (14) and stime (15)
    # are fields[11] and fields[12].
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def idle_cpu(parent_pid, worker_pids, seconds):
    """CPU burnt by the parent and its workers while nobody submits work, as % of one core."""
    pids = [parent_pid, *worker_pids]
    before = [cpu_seconds(p) for p in pids]
    t0 = time.perf_counter()
    time.sleep(seconds)
    wall = time.perf_counter() - t0
    used = [cpu_seconds(p) - b for p, b in zip(pids, before)]
    return {
        "seconds": round(wall, 2),
        "parent_percent": round(100 * used[0] / wall, 2),
        "workers_percent": round(100 * sum(used[1:]) / wall, 2),
        "total_percent": round(100 * sum(used) / wall, 2),
    }

#!/usr/bin/env python3
"""Python side of ParallelGen's shared-array benchmark (samples/Benchmarks/SharedArrayCase.cs).

A multiprocessing.Array('d', n, lock=False) is filled in parallel by a Pool over index ranges, element i = i * 0.5,
without numpy: each worker builds its range in an array.array and copies it into the shared memory through a
memoryview (one memcpy per range), the fastest numpy-free way. The pool is created and warmed up before timing;
the array is handed to the workers through the pool's initializer (a shared ctypes array cannot be pickled into tasks).

    python3 shared_array_bench.py [--elements N] [--workers W] [--ranges R] [--repeat K] [--json out.json]
"""
import argparse
import array
import json
import multiprocessing as mp
import platform
import statistics
import time

_shared = None


def _init(shared):
    global _shared
    _shared = shared


def _fill(bounds):
    start, end = bounds
    view = memoryview(_shared).cast("B").cast("d")
    step = 1 << 20
    for s in range(start, end, step):
        e = min(s + step, end)
        view[s:e] = array.array("d", [i * 0.5 for i in range(s, e)])
    return end - start


def _noop(x):
    return x


def run_once(n, workers, ranges):
    t0 = time.perf_counter()
    shared = mp.Array("d", n, lock=False)
    created = time.perf_counter() - t0
    bounds = [(r * n // ranges, (r + 1) * n // ranges) for r in range(ranges)]
    with mp.Pool(workers, initializer=_init, initargs=(shared,)) as pool:
        pool.map(_noop, range(workers * 10), chunksize=1)  # warm up: every worker has started
        t1 = time.perf_counter()
        done = sum(pool.map(_fill, bounds, chunksize=1))
        filled = time.perf_counter() - t1
    assert done == n and shared[n - 1] == (n - 1) * 0.5 and shared[n // 2] == (n // 2) * 0.5
    del shared
    return created, filled


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--elements", type=int, default=100_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ranges", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    created, filled = [], []
    for _ in range(args.repeat):
        c, f = run_once(args.elements, args.workers, args.ranges)
        created.append(c)
        filled.append(f)
        print(f"python: create {c * 1000:.0f} ms, fill {f * 1000:.0f} ms", flush=True)
    result = {
        "python": platform.python_version(),
        "start_method": mp.get_start_method(),
        "elements": args.elements,
        "workers": args.workers,
        "create_s": created,
        "fill_s": filled,
        "fill_median_s": statistics.median(filled),
        "create_median_s": statistics.median(created),
    }
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out)
    else:
        print(json.dumps(result))


if __name__ == "__main__":
    main()

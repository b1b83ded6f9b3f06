#!/usr/bin/env python3
"""Python's side of ParallelGen's benchmark: multiprocessing.Pool (and ProcessPoolExecutor) on the cases
that samples/Benchmarks runs on ProcessPool, with the same sizes and statistics.

Standard library only.  The runner starts it with --json; on its own:

    python3 pool_bench.py                  # full run, prints a table
    python3 pool_bench.py --quick          # smoke-test sizes
    python3 pool_bench.py --growth-workers 1,2,4,8 --echo-sizes 1000,1000000 --json out.json

Every case uses a pool of --workers (2) processes, created and warmed up before timing starts, except (e).

  a_apply_latency       pool.apply(trivial, (x,)), one call at a time: median/p90/p99 (nearest rank) over
                        --calls (2000) calls after 200 warm-up calls.  PPE: submit(trivial, x).result().
  b_map_1m_default      pool.map(trivial, range(1_000_000)), default chunksize (ceil(n / (4 * workers)),
                        125,000 for 2 workers).  PPE: executor.map with chunksize 1 (slow; skippable) and
                        with Pool's chunksize.
  c_map_chunksize1      map(trivial, range(20_000), chunksize=1).
  d_payload_100mb       apply(identity, (100 MB of random bytes,)): one checked warm-up, 5 timed round trips;
                        payload MB / median round trip.
  e (cold_start)        Pool(workers) construction to the first apply() result, per start method, median of
                        10; the pool is torn down outside the timer.  Runs first, while this process is small.
  f_imap_unordered_10k  pool.imap_unordered(trivial, range(10_000)) (chunksize 1), fully consumed.
                        PPE: 10,000 submit() + as_completed().
  memory                VmRSS of each idle worker after warm-up; CPU of the parent and its workers over
                        --idle-seconds with no work (from /proc/<pid>/stat); worker VmRSS one second after the
                        large-payload cases (d and the echo sweep) end.
  growth.workers        (a) and (c) again on a new Pool of each size in --growth-workers.
  growth.echo           identity round trips at each size in --echo-sizes (bytes) on the main pool.

Throughput cases run --repeat (3) times; the median and the best run are reported.
"""

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from bench_stats import MB, echo_runs, idle_cpu, latency_summary, rss_mb, throughput_summary, timed


def trivial(x):
    return x


def identity(payload):
    return payload


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def pool_chunksize(n_items, workers):
    """multiprocessing.Pool's default chunksize for map()."""
    chunksize, extra = divmod(n_items, workers * 4)
    return chunksize + 1 if extra else chunksize


def warm_up_pool(pool, workers):
    pool.map(trivial, range(workers * 50), chunksize=1)  # every worker has started and run something


def worker_pids(pool, workers):
    pids = set()
    for _ in range(50):
        if len(pids) >= workers:
            break
        pids |= set(pool.map(worker_pid, range(workers * 2), chunksize=1))
    return sorted(pids)


def worker_pid(_):
    return os.getpid()


def apply_latency(call, calls):
    for i in range(200):
        call(i)
    samples = []
    for i in range(calls):
        t0 = time.perf_counter_ns()
        call(i)
        samples.append(time.perf_counter_ns() - t0)
    return latency_summary(samples)


def payload_roundtrip(call, cfg):
    payload = os.urandom(cfg.payload_mb * MB)  # random bytes: nothing compresses or dedups
    if call(payload) != payload:  # warm-up; also checks the echo
        raise RuntimeError("payload echo mismatch")
    times = []
    for _ in range(cfg.payload_runs):
        t0 = time.perf_counter()
        result = call(payload)
        times.append(time.perf_counter() - t0)
        del result
    med = statistics.median(times)
    return {
        "payload_mb": cfg.payload_mb,
        "runs": len(times),
        "median_roundtrip_ms": round(med * 1000, 1),
        "best_roundtrip_ms": round(min(times) * 1000, 1),
        "roundtrip_mb_per_s": round(cfg.payload_mb / med),
        "bytes_moved_mb_per_s": round(2 * cfg.payload_mb / med),
    }


def echo_sweep(pool, cfg):
    """Time per identity round trip against payload size.  Sizes up to 100 MB get one checked warm-up echo;
    larger ones (1 GB) would double the run, so their first timed echo is checked instead."""
    out = []
    for size in cfg.echo_sizes:
        log(f"pool: echo {size:,} bytes")
        payload = os.urandom(size)
        if size <= 100 * MB and pool.apply(identity, (payload,)) != payload:
            raise RuntimeError("echo mismatch")
        times = []
        for i in range(echo_runs(size, cfg.quick)):
            t0 = time.perf_counter()
            result = pool.apply(identity, (payload,))
            times.append(time.perf_counter() - t0)
            if i == 0 and result != payload:
                raise RuntimeError("echo mismatch")
            del result
        med = statistics.median(times)
        out.append({"bytes": size, "runs": len(times), "median_ms": round(med * 1000, 4),
                    "best_ms": round(min(times) * 1000, 4), "mb_per_s": round(size / MB / med, 1)})
        del payload
    return out


def bench_pool(cfg):
    w = cfg.workers
    out, memory = {}, {}
    with mp.Pool(w) as pool:
        warm_up_pool(pool, w)
        pids = worker_pids(pool, w)
        memory["idle_rss_mb"] = [rss_mb(p) for p in pids]

        log("pool: (a) apply latency")
        out["a_apply_latency"] = apply_latency(lambda i: pool.apply(trivial, (i,)), cfg.calls)

        log("pool: (b) map default chunksize")
        n = cfg.map_items
        out["b_map_1m_default"] = throughput_summary(n, [timed(lambda: pool.map(trivial, range(n))) for _ in range(cfg.repeat)])
        out["b_map_1m_default"]["chunksize"] = pool_chunksize(n, w)

        log("pool: (c) map chunksize=1")
        n = cfg.chunk1_items
        out["c_map_chunksize1"] = throughput_summary(
            n, [timed(lambda: pool.map(trivial, range(n), chunksize=1)) for _ in range(cfg.repeat)])

        log("pool: (d) payload round trip")
        out["d_payload_100mb"] = payload_roundtrip(lambda p: pool.apply(identity, (p,)), cfg)

        log("pool: (f) imap_unordered")
        n = cfg.imap_items
        out["f_imap_unordered_10k"] = throughput_summary(
            n, [timed(lambda: sum(1 for _ in pool.imap_unordered(trivial, range(n)))) for _ in range(cfg.repeat)])

        echo = echo_sweep(pool, cfg) if cfg.echo_sizes else []

        time.sleep(1)  # "about a second after the large payloads"
        memory["rss_after_payload_mb"] = [rss_mb(p) for p in pids]
        log(f"pool: idle CPU over {cfg.idle_seconds} s")
        memory["idle_cpu"] = idle_cpu(os.getpid(), pids, cfg.idle_seconds)
    return out, memory, echo


def bench_workers(cfg):
    """(a) and (c) on a new Pool of each size: how cost grows with workers (oversubscribed past the cores)."""
    out = {}
    for w in cfg.growth_workers:
        log(f"pool({w}): (a) and (c)")
        with mp.Pool(w) as pool:
            warm_up_pool(pool, w)
            n = cfg.chunk1_items
            out[str(w)] = {
                "a_apply_latency": apply_latency(lambda i: pool.apply(trivial, (i,)), cfg.calls),
                "c_map_chunksize1": throughput_summary(
                    n, [timed(lambda: pool.map(trivial, range(n), chunksize=1)) for _ in range(cfg.repeat)]),
            }
    return out


def bench_executor(cfg):
    w = cfg.workers
    out = {}
    with ProcessPoolExecutor(w) as ex:
        list(ex.map(trivial, range(w * 50)))
        log("ppe: (a) submit().result() latency")
        out["a_apply_latency"] = apply_latency(lambda i: ex.submit(trivial, i).result(), cfg.calls)
        n = cfg.map_items
        if not cfg.skip_ppe_default_map:
            log("ppe: (b) map default chunksize=1 (slow, timed once)")
            out["b_map_1m_default"] = throughput_summary(n, [timed(lambda: list(ex.map(trivial, range(n))))])
            out["b_map_1m_default"]["chunksize"] = 1
        cs = pool_chunksize(n, w)
        out["b_map_1m_pool_chunksize"] = throughput_summary(
            n, [timed(lambda: list(ex.map(trivial, range(n), chunksize=cs))) for _ in range(cfg.repeat)])
        out["b_map_1m_pool_chunksize"]["chunksize"] = cs
        log("ppe: (c) map chunksize=1")
        n = cfg.chunk1_items
        out["c_map_chunksize1"] = throughput_summary(
            n, [timed(lambda: list(ex.map(trivial, range(n), chunksize=1))) for _ in range(cfg.repeat)])
        log("ppe: (d) payload round trip")
        out["d_payload_100mb"] = payload_roundtrip(lambda p: ex.submit(identity, p).result(), cfg)
        log("ppe: (f) submit + as_completed")
        n = cfg.imap_items
        out["f_imap_unordered_10k"] = throughput_summary(
            n, [timed(lambda: sum(1 for _ in as_completed([ex.submit(trivial, i) for i in range(n)])))
                for _ in range(cfg.repeat)])
    return out


def cold_start(cfg):
    """(e) construction -> first result, per start method, for Pool and ProcessPoolExecutor."""
    out = {}
    for method in mp.get_all_start_methods():
        ctx = mp.get_context(method)
        pool_ms, ctor_ms, ppe_ms = [], [], []
        for _ in range(cfg.cold_runs):
            t0 = time.perf_counter()
            pool = ctx.Pool(cfg.workers)
            t1 = time.perf_counter()
            pool.apply(trivial, (1,))
            t2 = time.perf_counter()
            pool.terminate()
            pool.join()
            ctor_ms.append((t1 - t0) * 1000)
            pool_ms.append((t2 - t0) * 1000)
            if not cfg.no_executor:
                t0 = time.perf_counter()
                ex = ProcessPoolExecutor(cfg.workers, mp_context=ctx)
                ex.submit(trivial, 1).result()
                t1 = time.perf_counter()
                ex.shutdown(wait=True)
                ppe_ms.append((t1 - t0) * 1000)
        out[method] = {
            "runs": cfg.cold_runs,
            "pool_first_result_median_ms": round(statistics.median(pool_ms), 1),
            "pool_first_result_very_first_ms": round(pool_ms[0], 1),
            "pool_first_result_min_ms": round(min(pool_ms), 1),
            "pool_constructor_median_ms": round(statistics.median(ctor_ms), 1),
        }
        if ppe_ms:
            out[method]["ppe_first_result_median_ms"] = round(statistics.median(ppe_ms), 1)
    return out


def conditions(cfg):
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "default_start_method": mp.get_start_method(),
        "workers": cfg.workers,
        "repeat": cfg.repeat,
        "load_avg_at_start": os.getloadavg(),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def print_table(res):
    c, p = res["conditions"], res["pool"]
    e = res.get("executor", {})
    print(f"\nPython {c['python']} on {c['platform']}, {c['cpu_count']} CPUs, workers={c['workers']}, "
          f"default start method={c['default_start_method']}")

    def rate(side, key):
        return f"{side[key]['median_items_per_s']:,} items/s" if key in side else "-"

    rows = [
        ("(a) apply round trip, median / p99", f"{p['a_apply_latency']['median_us']} / {p['a_apply_latency']['p99_us']} us",
         f"{e['a_apply_latency']['median_us']} / {e['a_apply_latency']['p99_us']} us" if e else "-"),
        (f"(b) map {p['b_map_1m_default']['items']:,}, default chunksize", rate(p, "b_map_1m_default"), rate(e, "b_map_1m_default")),
        ("(b') map with Pool's chunksize", "-", rate(e, "b_map_1m_pool_chunksize")),
        (f"(c) map {p['c_map_chunksize1']['items']:,}, chunksize=1", rate(p, "c_map_chunksize1"), rate(e, "c_map_chunksize1")),
        (f"(d) {p['d_payload_100mb']['payload_mb']} MB echo, payload/round trip", f"{p['d_payload_100mb']['roundtrip_mb_per_s']:,} MB/s",
         f"{e['d_payload_100mb']['roundtrip_mb_per_s']:,} MB/s" if e else "-"),
        *[(f"(e) create -> first result [{m}]", f"{v['pool_first_result_median_ms']} ms",
           f"{v['ppe_first_result_median_ms']} ms" if "ppe_first_result_median_ms" in v else "-")
          for m, v in res["cold_start"].items()],
        (f"(f) unordered {p['f_imap_unordered_10k']['items']:,} items", rate(p, "f_imap_unordered_10k"), rate(e, "f_imap_unordered_10k")),
    ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows + [("", "multiprocessing.Pool", "")])
    print(f"{'case':<{w0}}  {'multiprocessing.Pool':<{w1}}  ProcessPoolExecutor")
    for name, a, b in rows:
        print(f"{name:<{w0}}  {a:<{w1}}  {b}")
    m = res["memory"]
    print(f"idle worker RSS {m['idle_rss_mb']} MB; 1 s after the large payloads {m['rss_after_payload_mb']} MB; "
          f"idle CPU {m['idle_cpu']['total_percent']} % of one core over {m['idle_cpu']['seconds']} s")


def int_list(text):
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="runs per throughput case")
    ap.add_argument("--calls", type=int, default=2000, help="timed calls for case (a)")
    ap.add_argument("--map-items", type=int, default=1_000_000)
    ap.add_argument("--chunk1-items", type=int, default=20_000)
    ap.add_argument("--imap-items", type=int, default=10_000)
    ap.add_argument("--payload-mb", type=int, default=100)
    ap.add_argument("--payload-runs", type=int, default=5)
    ap.add_argument("--cold-runs", type=int, default=10)
    ap.add_argument("--idle-seconds", type=float, default=5, help="length of the idle-CPU window")
    ap.add_argument("--growth-workers", type=int_list, default=[], metavar="N,N,...",
                    help="also run (a) and (c) on a Pool of each of these sizes")
    ap.add_argument("--echo-sizes", type=int_list, default=[], metavar="BYTES,...",
                    help="also time identity round trips at each of these payload sizes")
    ap.add_argument("--skip-ppe-default-map", action="store_true",
                    help="skip the slow ProcessPoolExecutor.map(chunksize=1) over --map-items")
    ap.add_argument("--no-executor", action="store_true", help="run multiprocessing.Pool only")
    ap.add_argument("--quick", action="store_true", help="small sizes for a smoke test (overrides the size flags)")
    ap.add_argument("--json", metavar="PATH", help="write results as JSON")
    cfg = ap.parse_args()
    if cfg.quick:
        cfg.repeat, cfg.calls, cfg.map_items = 1, 200, 100_000
        cfg.chunk1_items, cfg.imap_items, cfg.payload_mb = 2_000, 1_000, 10
        cfg.payload_runs, cfg.cold_runs = 2, 2
    return cfg


def main():
    cfg = parse_args()
    res = {"conditions": conditions(cfg)}
    log("(e) cold start")  # first, while this process is still small (fork copies it)
    res["cold_start"] = cold_start(cfg)
    res["pool"], res["memory"], echo = bench_pool(cfg)
    res["growth"] = {"workers": bench_workers(cfg), "echo": echo}
    if not cfg.no_executor:
        res["executor"] = bench_executor(cfg)
    res["conditions"]["load_avg_at_end"] = os.getloadavg()
    res["conditions"]["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print_table(res)
    if cfg.json:
        with open(cfg.json, "w") as f:
            json.dump(res, f, indent=2)
        log(f"wrote {cfg.json}")


if __name__ == "__main__":
    main()

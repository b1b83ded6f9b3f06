"""One round of the chaos soak (samples/Benchmarks/ChaosSoak.cs) on Python's multiprocessing.Pool(2).

Same shape: small tasks with a 2 MiB payload every 50th, every 100th task kills its worker on its first attempt
(os._exit(3), then SIGKILL of itself, in turn), and the caller SIGKILLs a worker after every 120 results. Python's
Pool has no retries: it replaces dead workers, but the tasks they held never answer, so imap_unordered waits forever.
This script stops waiting after --wait seconds of silence and prints what arrived.

    python3 samples/Benchmarks/python/soak_pool.py [--tasks 600] [--wait 30]
"""
import argparse
import multiprocessing as mp
import os
import random
import signal
import tempfile
import time


def work(args):
    task_id, payload, chaos, markers = args
    if chaos:
        try:
            os.close(os.open(os.path.join(markers, str(task_id)), os.O_CREAT | os.O_EXCL))
            first_attempt = True
        except FileExistsError:
            first_attempt = False
        if first_attempt and chaos == 1:
            os._exit(3)
        if first_attempt and chaos == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    checksum = task_id * 1_000_003
    for b in payload:
        checksum = (checksum * 31 + b) & 0xFFFFFFFFFFFFFFFF
    return task_id, checksum, os.getpid()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=600)
    parser.add_argument("--wait", type=float, default=30.0)
    options = parser.parse_args()
    markers = tempfile.mkdtemp(prefix="pool-soak-")
    tasks = []
    for task_id in range(options.tasks):
        payload = random.Random(task_id).randbytes(2 * 1024 * 1024 if task_id % 50 == 0 else 16)
        chaos = 1 + (task_id // 100) % 2 if task_id % 100 == 99 else 0
        tasks.append((task_id, payload, chaos, markers))

    received, kills, started = set(), 0, time.monotonic()
    pool = mp.Pool(2)
    results = pool.imap_unordered(work, tasks)
    try:
        while len(received) < len(tasks):
            task_id, _, pid = results.next(timeout=options.wait)
            received.add(task_id)
            if len(received) % 120 == 0:
                os.kill(pid, signal.SIGKILL)
                kills += 1
    except mp.TimeoutError:
        pass
    elapsed = time.monotonic() - started
    if len(received) < len(tasks):
        print(f"tasks {len(tasks)}, results {len(received)}, lost {len(tasks) - len(received)}, "
              f"SIGKILLs from outside {kills}; imap_unordered still waiting after {options.wait:.0f} s of silence "
              f"({elapsed:.1f} s in all)", flush=True)
    else:
        print(f"all {len(tasks)} results in {elapsed:.1f} s", flush=True)
    # Not pool.terminate(): it can hang itself after a worker died holding the result queue's lock. Its live
    # workers would outlive this process, so they are killed here, by pid.
    alive = [worker.pid for worker in pool._pool if worker.is_alive()]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    print(f"workers still alive at the end, killed by pid: {len(alive)}", flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Python twins of the pool4j comparison scenarios.

Each sub-command runs one measurement of one scenario with the same inputs, chunk sizes and
method as the Java side (io.github.pool4j.benchmarks.JavaSide) and prints one JSON line:
{"value": <number>, "unit": "<unit>"}. compare.sh / the Java runner call it once per repeat,
alternating with the Java side, so the two are measured under the same machine load.

Only the standard library is used.
"""

import argparse
import json
import multiprocessing
import multiprocessing.pool
import os
import statistics
import sys
import threading
import time

HOLD_SECONDS = 0.0


# ---- the tasks (twins of Workloads.java) -------------------------------------------------

def identity(x):
    return x


MASK = (1 << 64) - 1


def spin(iterations):
    x = iterations
    for _ in range(iterations):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
        x ^= x >> 29
    return x


def echo(payload):
    return payload


def plus_one_and_hold(numbers):
    result = [n + 1 for n in numbers]
    if HOLD_SECONDS > 0:
        time.sleep(HOLD_SECONDS)
    return result


# ---- helpers -----------------------------------------------------------------------------

def make_pool(kind, size):
    if kind == "process":
        return multiprocessing.Pool(size)
    if kind == "thread":
        return multiprocessing.pool.ThreadPool(size)
    raise SystemExit("unknown pool kind " + kind)


def chunk_arg(text):
    return None if text == "auto" else int(text)


def rss_bytes(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def pss_bytes(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def descendants(pid):
    """All descendant pids of pid, read from /proc (as ProcessHandle.descendants() does)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    result, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            result.append(child)
            todo.append(child)
    return result


def timed_loop(min_seconds, body):
    """Runs body until min_seconds passed (at least once); returns (count, seconds)."""
    count = 0
    start = time.perf_counter()
    while True:
        body()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return count, elapsed


def payload(kind, size):
    if kind == "BYTES":
        import random
        return random.Random(42).randbytes(size)
    if kind == "STRING":
        return "x" * size
    if kind == "INTS":
        return list(range(max(1, size // 4)))
    raise SystemExit("unknown payload kind " + kind)


def calibrate_spin(target_ms):
    iterations = 20000
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        spin(iterations)
        best = min(best, (time.perf_counter() - start) * 1000)
    return max(1, int(iterations * target_ms / best))


# ---- the scenarios -----------------------------------------------------------------------

def cmd_map(a):
    inputs = list(range(a.n))
    with make_pool(a.pool, a.size) as pool:
        pool.map(identity, inputs, chunk_arg(a.chunksize))
        # Warm-up as long as the measurement, as the Java side does.
        timed_loop(a.min_seconds, lambda: pool.map(identity, inputs, chunk_arg(a.chunksize)))
        count, seconds = timed_loop(a.min_seconds,
                                    lambda: pool.map(identity, inputs, chunk_arg(a.chunksize)))
    return a.n * count / seconds, "tasks/s"


def cmd_cold_map(a):
    inputs = list(range(a.n))
    with make_pool("process", a.size) as pool:
        pool.map(identity, range(2), 1)  # both workers up before the clock starts, as on the Java side
        start = time.perf_counter()
        results = pool.map(identity, inputs, chunk_arg(a.chunksize))
        seconds = time.perf_counter() - start
    if results != inputs:
        raise SystemExit("map returned wrong results")
    return a.n / seconds, "tasks/s"


def cmd_sweep(a):
    inputs = list(range(a.n))
    with make_pool(a.pool, a.size) as pool:
        pool.map(identity, inputs)
        timed_loop(a.warm_seconds, lambda: pool.map(identity, inputs))
        best = float("inf")
        for _ in range(a.best_of):
            start = time.perf_counter()
            pool.map(identity, inputs)
            best = min(best, time.perf_counter() - start)
    return best * 1000, "ms"


def cmd_submit(a):
    with make_pool(a.pool, a.size) as pool:
        for _ in range(a.warmup):
            pool.apply_async(identity, (1,)).get()
        samples = []
        for _ in range(a.calls):
            start = time.perf_counter()
            pool.apply_async(identity, (1,)).get()
            samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6, "us"


def cmd_start(a):
    start = time.perf_counter()
    pool = make_pool(a.pool, a.size)
    pool.apply_async(identity, (1,)).get()
    pool.close()
    pool.join()
    return (time.perf_counter() - start) * 1000, "ms"


def cmd_payload(a):
    data = payload(a.kind, a.bytes)
    with make_pool("process", a.size) as pool:
        result = pool.apply(echo, (data,))
        if len(result) != len(data):
            raise SystemExit("payload came back with length %d, sent %d" % (len(result), len(data)))
        timed_loop(a.min_seconds / 2, lambda: pool.apply(echo, (data,)))
        count, seconds = timed_loop(a.min_seconds, lambda: pool.apply(echo, (data,)))
    return 2 * a.bytes * count / seconds / 1e6, "MB/s"


def cmd_cpu(a):
    iterations = calibrate_spin(a.task_ms)
    inputs = [iterations + i for i in range(a.inputs)]
    start = time.perf_counter()
    serial = [spin(x) for x in inputs]
    serial_seconds = time.perf_counter() - start
    with make_pool(a.pool, a.size) as pool:
        pool.map(spin, inputs)  # warm-up, as the Java side does: the same map once
        start = time.perf_counter()
        parallel = pool.map(spin, inputs)
        pool_seconds = time.perf_counter() - start
    if parallel != serial:
        raise SystemExit("pool results differ from serial results")
    return serial_seconds / pool_seconds, "x"


def cmd_idle_rss(a):
    with make_pool("process", a.size) as pool:
        pool.map(identity, range(4 * a.size), 1)
        time.sleep(0.5)  # let the workers go idle, as the Java side does
        pids = [p.pid for p in pool._pool]
        values = [(pss_bytes if a.pss else rss_bytes)(pid) for pid in pids]
    return statistics.mean(values) / 1048576, "MiB"


def cmd_parent_peak(a):
    """The parent's own peak RSS over warm maps of identity on n integers (ParentPeak's twin)."""
    inputs = list(range(a.n))
    me = os.getpid()
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_bytes(me))
            stop.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with make_pool("process", a.size) as pool:
        pool.map(identity, range(1000))
        for _ in range(a.maps):
            results = pool.map(identity, inputs)
            if len(results) != a.n or results[-1] != inputs[-1]:
                raise SystemExit("wrong results")
    stop.set()
    sampler.join()
    return peak[0] / 1048576, "MiB"


def cmd_memory(a):
    global HOLD_SECONDS
    HOLD_SECONDS = a.hold_ms / 1000.0  # set before the pool forks, so workers inherit it
    numbers = list(range(a.n))
    me = os.getpid()
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            total = rss_bytes(me) + sum(rss_bytes(p) for p in descendants(me))
            peak[0] = max(peak[0], total)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    with make_pool(a.pool, a.size) as pool:
        sampler.start()
        results = pool.map(plus_one_and_hold, [numbers] * a.size)
        stop.set()
        sampler.join()
    if len(results) != a.size or results[0][-1] != a.n:
        raise SystemExit("wrong results")
    return peak[0] / 1048576, "MiB"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("map")
    p.add_argument("--pool", required=True)
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--chunksize", default="auto")
    p.add_argument("--min-seconds", type=float, default=1.0)
    p.set_defaults(run=cmd_map)

    p = sub.add_parser("cold-map")
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--chunksize", default="1")
    p.set_defaults(run=cmd_cold_map)

    p = sub.add_parser("sweep")
    p.add_argument("--pool", default="process")
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--best-of", type=int, required=True)
    p.add_argument("--warm-seconds", type=float, default=0.3)
    p.set_defaults(run=cmd_sweep)

    p = sub.add_parser("submit")
    p.add_argument("--pool", required=True)
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=200)
    p.set_defaults(run=cmd_submit)

    p = sub.add_parser("start")
    p.add_argument("--pool", required=True)
    p.add_argument("--size", type=int, default=2)
    p.set_defaults(run=cmd_start)

    p = sub.add_parser("payload")
    p.add_argument("--kind", required=True)
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--min-seconds", type=float, default=1.0)
    p.set_defaults(run=cmd_payload)

    p = sub.add_parser("cpu")
    p.add_argument("--pool", required=True)
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--inputs", type=int, default=40)
    p.add_argument("--task-ms", type=float, default=20.0)
    p.set_defaults(run=cmd_cpu)

    p = sub.add_parser("idle-rss")
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--pss", action="store_true")
    p.set_defaults(run=cmd_idle_rss)

    p = sub.add_parser("memory")
    p.add_argument("--pool", required=True)
    p.add_argument("--size", type=int, default=3)
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--hold-ms", type=int, default=1000)
    p.set_defaults(run=cmd_memory)

    p = sub.add_parser("parent-peak")
    p.add_argument("--size", type=int, default=2)
    p.add_argument("--n", type=int, default=4_000_000)
    p.add_argument("--maps", type=int, default=3)
    p.set_defaults(run=cmd_parent_peak)

    args = parser.parse_args(argv)
    value, unit = args.run(args)
    print(json.dumps({"value": value, "unit": unit, "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main(sys.argv[1:])

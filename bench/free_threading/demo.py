#!/usr/bin/env python3
"""Races the RUN rules report, and the single operations they do not, run for real.

Each pattern runs in several threads at once, many times, and counts what went wrong: lost
updates, exceptions a check was meant to prevent, loops broken by a concurrent change. On a
free-threaded interpreter (python3.13t, python3.14t) every compound pattern goes wrong and no
single operation does; on a GIL build the compound ones go wrong less often (the interpreter
switches threads only at some instructions), which is why they survive in code written for
it. Run with any interpreter:

    python3.14t bench/free_threading/demo.py [--rounds N]

Prints one line per pattern: the rule that reports it (or "atomic"), and how many rounds
went wrong. Exits 1 when a single operation went wrong, which the documentation rules out.
"""

import argparse
import collections
import sys
import sysconfig
import threading

THREADS = 4
STEPS = 2_000


def run_threads(work):
    barrier = threading.Barrier(THREADS)
    errors = []

    def body(index):
        barrier.wait()
        try:
            work(index)
        except Exception as error:  # the race made visible
            errors.append(type(error).__name__)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# --- compound sequences: the RUN rules report these ---

def counter_increment():
    """RUN002: `total += 1` on a shared class attribute."""

    class Box:
        total = 0

    def work(_):
        for _ in range(STEPS):
            Box.total += 1

    errors = run_threads(work)
    return errors or Box.total != THREADS * STEPS


def get_then_set():
    """RUN002: `counts[k] = counts.get(k, 0) + 1`."""
    counts = {}

    def work(_):
        for _ in range(STEPS):
            counts["k"] = counts.get("k", 0) + 1

    errors = run_threads(work)
    return errors or counts["k"] != THREADS * STEPS


def check_then_insert():
    """RUN003: `if k not in d: d[k] = []`, then append: a list can be replaced and lost."""
    lost = 0
    for _ in range(STEPS // 20):
        groups = {}

        def work(index):
            if "k" not in groups:
                groups["k"] = []
            groups["k"].append(index)

        run_threads(work)
        lost += len(groups["k"]) != THREADS
    return lost


def check_then_pop():
    """RUN003: `if queue: queue.pop()`, with several consumers."""
    failures = 0
    for _ in range(STEPS // 20):
        queue = list(range(THREADS - 1))

        def work(_):
            if queue:
                queue.pop()

        failures += len(run_threads(work))
    return failures


def iterate_while_changed():
    """RUN001: a loop over a dict another thread adds to."""
    failures = 0
    for _ in range(STEPS // 100):
        handlers = {i: i for i in range(100)}

        def work(index):
            if index == 0:
                for _ in range(50):
                    for _key in handlers:
                        pass
            else:
                for i in range(200):
                    handlers[(index, i)] = i

        failures += len(run_threads(work))
    return failures


# --- single operations: documented atomic or safe under the object's lock ---

def list_append():
    items = []

    def work(index):
        for step in range(STEPS):
            items.append((index, step))

    errors = run_threads(work)
    return errors or len(items) != THREADS * STEPS


def dict_store_and_pop():
    table = {}

    def work(index):
        for step in range(STEPS):
            table[(index, step)] = step
        for step in range(0, STEPS, 2):
            table.pop((index, step), None)

    errors = run_threads(work)
    return errors or len(table) != THREADS * STEPS // 2


def dict_setdefault_append():
    groups = {}

    def work(index):
        for step in range(STEPS):
            groups.setdefault(step % 10, []).append(index)

    errors = run_threads(work)
    return errors or sum(map(len, groups.values())) != THREADS * STEPS


def set_add():
    seen = set()

    def work(index):
        for step in range(STEPS):
            seen.add((index, step))

    errors = run_threads(work)
    return errors or len(seen) != THREADS * STEPS


def deque_popleft_without_checking():
    jobs = collections.deque(range(THREADS * STEPS))
    taken = []

    def work(_):
        while True:
            try:
                taken.append(jobs.popleft())
            except IndexError:
                return

    errors = run_threads(work)
    return errors or sorted(taken) != list(range(THREADS * STEPS))


COMPOUND = [
    ("RUN002", counter_increment),
    ("RUN002", get_then_set),
    ("RUN003", check_then_insert),
    ("RUN003", check_then_pop),
    ("RUN001", iterate_while_changed),
]
ATOMIC = [
    list_append,
    dict_store_and_pop,
    dict_setdefault_append,
    set_add,
    deque_popleft_without_checking,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    # Switch threads as often as a GIL build allows, so its races show too.
    sys.setswitchinterval(1e-6)
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"{sys.version.split()[0]} ({'free-threaded build' if free_threaded else 'GIL build'}, GIL {'on' if gil else 'off'})")
    broken_atomic = 0
    for label, patterns in (("compound", COMPOUND), ("atomic", [(None, p) for p in ATOMIC])):
        for rule, pattern in patterns:
            wrong = sum(bool(pattern()) for _ in range(args.rounds))
            if rule is None:
                broken_atomic += wrong
            print(f"  {rule or 'atomic':7} {pattern.__name__:32} went wrong in {wrong}/{args.rounds} rounds")
    return 1 if broken_atomic else 0


if __name__ == "__main__":
    sys.exit(main())

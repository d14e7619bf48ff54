"""Profile ``dayplans.problem.problem_build`` on the loaded bench day:
``python bench/plan_db/profile_build.py [--top 25]`` (after ``run.py`` loaded the day).

Prints wall and CPU seconds, the peak RSS of the process and the cProfile functions with the
most cumulative time, so a slow build can be traced to the selector or step behind it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
    import django

    django.setup()
    from bench.plan_db.load import BENCH_DAY, COORDINATOR
    from reliefops.accounts.models import User
    from reliefops.dayplans.problem import problem_build

    actor = User.objects.get(username=COORDINATOR)
    profile = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    built = problem_build(actor=actor, day=BENCH_DAY)
    profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    p = built.problem
    print(
        f"build: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
        f"{len(p.sites)} sites, {len(p.demands)} demands, {len(p.vehicles)} vehicles, "
        f"{len(p.teams)} teams, {len(p.visits)} visits; load average {os.getloadavg()}"
    )
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""zhixing — the platform's console command, a thin front to Django management.

zhixing demo       set up the SQLite demo (migrate, seed) and serve it with a worker
zhixing serve      serve the web app with gunicorn
zhixing worker     run background workers (jobs, retries, periodic sweeps, reaper)
zhixing verify     check every journal chain, the law parameters and the document archive
zhixing bench      run the benchmarks under bench/, each printing a ratio against its baseline
zhixing agencies-sim  serve the agency simulator (protocol v1 for every simulated agency) in the foreground
zhixing simulate   play the simulated city through the services (--from, --to, --scale, --seed)
zhixing <any Django management command> …
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()


def _manage(*argv: str) -> None:
    _django()
    from django.core.management import call_command

    call_command(*argv)


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    workers = args.workers or max(2, settings.WORKERS)
    argv = [
        sys.executable, "-m", "gunicorn", "zhixing.config.wsgi:application",
        "--bind", args.bind, "--workers", str(workers), "--access-logfile", "-",
        "--timeout", "60", "--graceful-timeout", "10",
    ]  # fmt: skip
    os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
    return 0  # pragma: no cover


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    _manage(
        "zhixing_worker", "--threads", str(args.threads or settings.WORKERS), "--interval", str(args.interval)
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("zhixing_verify", *(["--stream", args.stream] if args.stream else []))
    except CommandError as e:
        print(f"校验失败：{e}", file=sys.stderr)
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("ZHIXING_DEBUG", "0")
    _django()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("zhixing_demo_seed")
    call_command("documents_templates_sync", verbosity=0)
    call_command("cases_demo_seed")
    call_command("agencies_demo_seed")
    call_command("asset_control_demo_seed")
    call_command("measures_demo_seed")
    call_command("knowledge_demo_seed")
    call_command("command_demo_seed")
    if args.no_serve:
        return 0
    env = dict(os.environ)
    commands = [  # fixed argv, no shell
        [sys.executable, "-m", "zhixing.cli", "worker"],
        [sys.executable, "-m", "zhixing.cli", "serve", "--bind", args.bind],
        [sys.executable, "-m", "zhixing.cli", "agencies-sim"],
    ]
    procs = [subprocess.Popen(cmd, env=env) for cmd in commands]  # noqa: S603
    print(f"\n智执演示已启动：http://{args.bind}/   （Ctrl+C 停止）\n", flush=True)
    extra = _demo_simulation(env, args)

    def stop(*_: object) -> None:
        for p in [*procs, *extra]:
            if p.poll() is None:
                p.terminate()
        for p in [*procs, *extra]:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while all(p.poll() is None for p in procs):
        time.sleep(0.5)
    stop()
    return 1


DEMO_SIMULATED_DAYS = 90
DEMO_SIMULATION_SCALE = "0.004"  # ≈ 60 cases over 90 days: living screens within a minute, done in a few


def _demo_simulation(env: dict[str, str], args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    """The last 90 days of the simulated city, played in the background (once per installation) while
    the demo is served: the command center's screens fill as the simulated days pass."""
    import datetime as dt

    from django.conf import settings

    if args.no_simulation:
        return []
    marker = settings.VAR_DIR / "demo-simulated"
    if marker.exists():
        return []
    from django.utils import timezone

    today = timezone.localdate()
    start, end = today - dt.timedelta(days=DEMO_SIMULATED_DAYS), today - dt.timedelta(days=1)
    marker.write_text(f"{start} {end} scale {DEMO_SIMULATION_SCALE}\n", encoding="utf-8")
    log = (settings.VAR_DIR / "demo-simulation.log").open("ab")
    cmd = [
        sys.executable, "-m", "zhixing.cli", "simulate", "--from", start.isoformat(), "--to", end.isoformat(),
        "--scale", DEMO_SIMULATION_SCALE, "--quiet",
    ]  # fmt: skip
    print(
        f"模拟城市：{start} 至 {end}（比例 {DEMO_SIMULATION_SCALE}）在后台运行，日志 {log.name}", flush=True
    )
    return [subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)]  # noqa: S603


def cmd_agencies_sim(args: argparse.Namespace) -> int:
    """Serve the agency simulator with this installation's port, master secret and state file."""
    _django()
    from django.conf import settings

    from zhixing.simulation import agency_sim

    if args.port is None:
        args.port = settings.AGENCY_SIM_PORT
    if not args.master_secret:
        args.master_secret = settings.AGENCY_SIM_SECRET
    if not args.state_path:
        args.state_path = str(settings.VAR_DIR / "agency-sim.sqlite3")
    return agency_sim.run(args)


def cmd_bench(args: argparse.Namespace) -> int:
    """Run every benchmark under bench/ (each in its own process, small sizes unless --full) and end
    with a table: each benchmark's closing ratio against the baseline it measured in the same run."""
    scripts = sorted((REPO / "bench").glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if args.only in s.stem]
    results: list[tuple[str, str, str, float, int]] = []
    for script in scripts:
        print(f"== {script.stem} ==", flush=True)
        cmd = [sys.executable, str(script), *(["--full"] if args.full else [])]
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)  # noqa: S603 - our own scripts
        seconds = time.perf_counter() - started
        print(proc.stdout, end="")
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
        last = lines[-1] if lines else "(no output)"
        measure, _, ratio = last.rpartition(" = ")
        results.append((script.stem, measure or last, ratio if measure else "", seconds, proc.returncode))
    width = max((len(m) for _n, m, *_rest in results), default=20)
    size = "full" if args.full else "small"
    print(f"\n基准汇总（{size} sizes; ratio = measured / baseline of the same run）")
    print(f"{'benchmark':<18} {'measure / baseline':<{width}} {'ratio':>9} {'seconds':>8}")
    for name, measure, ratio, seconds, rc in results:
        shown = "失败" if rc else ratio
        print(f"{name:<18} {measure:<{width}} {shown:>9} {seconds:>8.1f}")
    return 1 if any(rc for *_, rc in results) else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    """Play the simulated city through the services, with a progress bar; the summary beside the seed's."""
    _django()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
    from zhixing.twin.driver import PeriodNotCovered, Progress

    def bar(p: Progress) -> None:
        width = 30
        filled = width * p.done // p.total
        print(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} 天 {p.day}  "
            f"立案 {p.filed:,}  结案 {p.closed:,}  事件 {p.events:,}（{p.events_per_second:,.0f}/秒）",
            end="",
            flush=True,
        )

    try:
        summary = _simulate(args, bar)
    except PeriodNotCovered as e:
        print(f"zhixing simulate: {e}", file=sys.stderr)
        return 2
    print("\n")
    print(summary.table())
    return 0 if summary.journal_ok else 1


def _simulate(args: argparse.Namespace, bar: Any) -> Any:
    import datetime as dt

    from zhixing.twin.driver import simulate

    return simulate(
        dt.date.fromisoformat(args.start),
        dt.date.fromisoformat(args.end),
        scale=args.scale,
        seed=args.seed,
        progress=None if args.quiet else bar,
        tail_days=args.tail_days,
        warmup_days=args.warmup_days,
        render_jobs=args.render_jobs,
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="zhixing", description="智执 — 执行工作平台")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("demo", help="set up and serve the SQLite demo")
    p.add_argument("--bind", default=os.environ.get("ZHIXING_BIND", "127.0.0.1:8000"))
    p.add_argument("--no-serve", action="store_true", help="only migrate and seed")
    p.add_argument(
        "--no-simulation", action="store_true", help="do not play the last 90 days of the simulated city"
    )
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("serve", help="serve with gunicorn")
    p.add_argument("--bind", default=os.environ.get("ZHIXING_BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=int, default=0)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("worker", help="run background workers")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--interval", type=float, default=1.0)
    p.set_defaults(func=cmd_worker)
    p = sub.add_parser("verify", help="check journal chains and parameters")
    p.add_argument("--stream")
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("bench", help="run the benchmarks under bench/ and print their ratios")
    p.add_argument("--full", action="store_true", help="full sizes instead of the small CI sizes")
    p.add_argument("--only", default="", help="only the benchmarks whose name contains this")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("simulate", help="play the simulated city through the services in simulated time")
    p.add_argument("--from", dest="start", default="2021-01-01", help="first simulated day (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", default="2021-06-30", help="last simulated day, inclusive")
    p.add_argument("--scale", type=float, default=0.01, help="share of the city's case volume (1 = Shaoxing)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--tail-days", type=int, default=0, help="keep working this many days after --to")
    p.add_argument(
        "--warmup-days",
        type=int,
        default=0,
        help="arrivals start this many days before --from (cases carried over); figures: --from..--to",
    )
    p.add_argument(
        "--render-jobs",
        type=int,
        default=0,
        help="render the documents in this many other processes (0: in the simulation's process)",
    )
    p.add_argument("--migrate", action="store_true", help="migrate the database first")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_simulate)
    p = sub.add_parser("agencies-sim", help="serve the agency simulator (protocol v1) in the foreground")
    if argv[:1] == ["agencies-sim"]:  # its flags only when asked for: the import costs ~0.1 s
        from zhixing.simulation.agency_sim import add_arguments

        add_arguments(p)
    p.set_defaults(func=cmd_agencies_sim)

    known = {"demo", "serve", "worker", "verify", "simulate", "bench", "agencies-sim", "-h", "--help"}
    if argv and argv[0] not in known:
        _django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["zhixing", *argv])
        return 0
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())

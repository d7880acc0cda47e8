"""Command line: ``python -m nudgescribe_async.testing [--host H] [--port P] [--seed demo]``.

Prints the base URL and ``export NUDGESCRIBE_...=`` lines for the demo account (including its
secret: this is a local fake server and those are its throwaway demo credentials), then serves
until Ctrl-C. A ``--host`` that is not loopback is refused (the server is loopback-only by
design), and a port already in use is reported in one line (exit status 1).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import shlex
import sys

from nudgescribe_async.testing._server import ReferenceServer, is_loopback

__all__ = ["main"]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m nudgescribe_async.testing",
        description="Run the Nudgescribe local reference server.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free port)")
    parser.add_argument(
        "--seed", choices=["demo", "none"], default="demo", help="dataset to load (default: demo)"
    )
    parser.add_argument(
        "--job-delay",
        type=float,
        default=2.0,
        help="seconds before background jobs complete (default 2)",
    )
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(
            f"--host {args.host} refused: the reference server is loopback-only by "
            "design (throwaway demo credentials, no security); use 127.0.0.1 or ::1"
        )
    return args


async def _serve(args: argparse.Namespace) -> None:
    server = ReferenceServer(
        seed=None if args.seed == "none" else args.seed,
        host=args.host,
        port=args.port,
        job_delay=args.job_delay,
    )
    async with server:
        print(f"Nudgescribe reference server listening on {server.base_url}")
        print("Point the SDK at it with:")
        for name, value in server.env().items():
            print(f"export {name}={shlex.quote(value)}")
        print("Press Ctrl-C to stop.", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Run the server until interrupted."""
    args = _parse(argv)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(args))
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        sys.exit(
            f"error: port {args.port} on {args.host} is already in use; stop the other "
            "server or pick another port with --port (0 = any free port)"
        )


if __name__ == "__main__":
    main()

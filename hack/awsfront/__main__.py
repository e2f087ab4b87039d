"""Command line: python -m awsfront --host 127.0.0.1 --port N --state-dir DIR [--real-databases] ..."""
from __future__ import annotations

import argparse
import atexit
import logging
import os
import signal
import sys
import threading
import time

T0 = time.monotonic()
log = logging.getLogger("awsfront")


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python -m awsfront",
        description="moto behind a front that counts requests, injects faults set at run time, gives RDS and EFS "
                    "realistic state durations and, optionally, a real MariaDB per DB instance. Every option has an "
                    "AWSFRONT_* environment default.")
    p.add_argument("-H", "--host", default=os.environ.get("AWSFRONT_HOST", "127.0.0.1"))
    p.add_argument("-p", "--port", type=int,
                   default=int(os.environ.get("AWSFRONT_PORT") or os.environ.get("MOTO_PORT") or 5000))
    p.add_argument("--state-dir", default=os.environ.get("AWSFRONT_STATE_DIR", ".awsfront"),
                   help="datadirs, sockets, logs and snapshot dumps (default %(default)s)")
    p.add_argument("--real-databases", action="store_true", default=env_flag("AWSFRONT_REAL_DATABASES"),
                   help="a real MariaDB behind each mysql/mariadb DB instance (AWSFRONT_REAL_DATABASES=1)")
    p.add_argument("--db-bind-address", default=os.environ.get("AWSFRONT_DB_BIND_ADDRESS", "127.0.0.1"),
                   help="address the MariaDB servers listen on (default %(default)s)")
    p.add_argument("--db-endpoint-address", default=os.environ.get("AWSFRONT_DB_ENDPOINT_ADDRESS") or None,
                   help="Endpoint.Address reported for them (default: the bind address)")
    from .config import DEFAULT_DELAYS, DEFAULT_EFS_DELAYS

    for state, seconds in DEFAULT_DELAYS.items():
        env = "AWSFRONT_RDS_DELAY_" + state.upper().replace("-", "_")
        p.add_argument(f"--rds-delay-{state}", type=float, default=float(os.environ.get(env, seconds)),
                       metavar="SECONDS", help=f"seconds an instance stays {state} (0 = instant; {env}, default %(default)s)")
    for state, seconds in DEFAULT_EFS_DELAYS.items():
        env = "AWSFRONT_EFS_DELAY_" + state.upper()
        p.add_argument(f"--efs-delay-{state}", type=float, default=float(os.environ.get(env, seconds)),
                       metavar="SECONDS",
                       help=f"seconds an EFS file system or mount target stays {state} ({env}, default %(default)s)")
    p.add_argument("--no-strict-states", dest="strict_states", action="store_false",
                   default=env_flag("AWSFRONT_STRICT_STATES", True),
                   help="let ModifyDBInstance/CreateDBSnapshot through in any state, as bare moto (AWSFRONT_STRICT_STATES=0)")
    from .config import DEFAULT_CLOUDFRONT_DEPLOYING

    p.add_argument("--cloudfront-deploying", type=float, metavar="SECONDS",
                   default=float(os.environ.get("AWSFRONT_CLOUDFRONT_DEPLOYING", DEFAULT_CLOUDFRONT_DEPLOYING)),
                   help="seconds a created or updated CloudFront distribution stays InProgress "
                        "(0 = instant; AWSFRONT_CLOUDFRONT_DEPLOYING, default %(default)s)")
    p.add_argument("--quiet", action="store_true", default=env_flag("AWSFRONT_QUIET"),
                   help="no line per request")
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    if args.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # As moto_server does: moto sends some requests to itself on this port.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from .config import DEFAULT_DELAYS, DEFAULT_EFS_DELAYS, Config
    from .efs import EfsLifecycle
    from .front import Front, make_front_server
    from .cloudfront import CloudFrontDeployments
    from .rds import RdsLifecycle
    from .route53 import Route53HealthChecks

    delays = {state: getattr(args, "rds_delay_" + state.replace("-", "_")) for state in DEFAULT_DELAYS}
    efs_delays = {state: getattr(args, "efs_delay_" + state) for state in DEFAULT_EFS_DELAYS}
    config = Config(delays, args.strict_states, efs_delays, args.cloudfront_deploying)
    databases = None
    if args.real_databases:
        from .mariadb import Manager

        databases = Manager(state_dir, args.db_bind_address, args.db_endpoint_address)
    rds_lock = threading.RLock()
    lifecycle = RdsLifecycle(config, rds_lock, databases, state_dir)
    lifecycle.install()
    efs_lock = threading.RLock()
    EfsLifecycle(config, efs_lock, lifecycle.scheduler).install()
    CloudFrontDeployments(config).install()
    Route53HealthChecks().install()

    moto_app = DomainDispatcherApplication(create_backend_app)
    front = Front(moto_app, rds_lock)
    front.serialize("efs", efs_lock)
    front.control("/config", "GET", config.control_get)
    front.control("/config", "POST", config.control_post)
    front.control("/databases", "GET", lifecycle.control_databases)
    front.hook("moto-api", "/moto-api/reset", lifecycle.before_moto_reset)

    stopped = threading.Event()

    def stop_databases():
        if databases is not None and not stopped.is_set():
            stopped.set()
            n = len(databases.servers())
            databases.stop_all()
            log.info("stopped %d MariaDB server(s)", n)

    atexit.register(stop_databases)

    server = make_front_server(args.host, args.port, front)
    signalled = []

    def on_signal(signum, frame):
        # The first signal ends serve_forever (from another thread, as it must); a second one exits at once.
        if signalled:
            raise SystemExit(128 + signum)
        signalled.append(signum)
        log.info("signal %d: stopping", signum)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("serving moto on http://%s:%d (ready in %.2fs); real databases %s%s; RDS delays %s; EFS delays %s; "
             "state in %s", args.host, args.port, time.monotonic() - T0, "on" if databases else "off",
             f" (bind {args.db_bind_address})" if databases else "", delays, efs_delays, state_dir)
    try:
        server.serve_forever()
    finally:
        stop_databases()


if __name__ == "__main__":
    main()

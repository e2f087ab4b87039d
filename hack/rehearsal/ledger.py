#!/usr/bin/env python3
"""The peak rehearsal's donation ledger: every donation the load generator sends carries an idempotency
key, and after the run the keys that got a 201 are matched against the rows the database holds.

    ledger.py targets --run RUN --phase PHASE --count N --url URL --host HOST [--amount-cents 500]
        vegeta JSON targets (one line a request, `vegeta attack -format json -lazy`), each with its own key
        RUN:PHASE:SEQUENCE and the donor "rehearsal:RUN:PHASE"
    ledger.py check --run RUN --phase PHASE RESULTS.jsonl DB_ROWS.tsv
        the ledger of one phase as JSON: vegeta's results (`vegeta encode --to json`) and the database's
        rows (`SELECT idempotency_key, donor, COUNT(*) ... GROUP BY idempotency_key, donor`, tab-separated,
        NULL for no key)

Figures, per phase:
  confirmed                 keys that got a 201 (the key is read from the 201's body)
  lost                      a 201 whose key has no row: the donor was told "thank you" and the money is gone
  duplicates                extra rows: a key with more than one row counts n - 1, a row of the phase
                            without a key counts 1 (the plugin writes one only when no key was sent)
  recorded_without_201      a row whose request got no 201: the donor saw an error or the fallback page,
                            the donation is recorded; a retry with the same key would answer 201, not
                            record it twice
  confirmed_without_key     201s whose body names no key (a site without idempotency keys): the ledger
                            cannot check them

Standard library only.
"""
import argparse
import base64
import json
import re
import sys
from datetime import datetime, timedelta, timezone

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")  # the site's alphabet (donations.php)
DONOR_PREFIX = "rehearsal"


def key(run, phase, seq):
    """The idempotency key of request SEQ of PHASE in RUN; sortable, unique per run."""
    k = f"{run}:{phase}:{seq:07d}"
    if not KEY_PATTERN.match(k):
        raise ValueError(f"not a valid idempotency key: {k!r} (run and phase: A-Z a-z 0-9 _ . -)")
    return k


def key_prefix(run, phase):
    return f"{run}:{phase}:"


def donor(run, phase):
    return f"{DONOR_PREFIX}:{run}:{phase}"


def targets(run, phase, count, url, host, amount_cents=500):
    """COUNT vegeta JSON targets, one a line, each with its own idempotency key."""
    for seq in range(1, count + 1):
        k = key(run, phase, seq)
        body = json.dumps({"amount_cents": amount_cents, "currency": "EUR", "donor": donor(run, phase)})
        yield json.dumps({
            "method": "POST",
            "url": url,
            "body": base64.b64encode(body.encode()).decode(),
            "header": {"Host": [host], "Content-Type": ["application/json"], "Idempotency-Key": [k]},
        }, separators=(",", ":"))


_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def parse_time(s):
    """vegeta's RFC 3339 timestamp (nanoseconds, Z or an offset) as seconds since the epoch."""
    m = _TIME.match(s)
    if not m:
        raise ValueError(f"not an RFC 3339 time: {s!r}")
    base, frac, zone = m.groups()
    t = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S")
    if zone == "Z":
        tz = timezone.utc
    else:
        sign = 1 if zone[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return t.replace(tzinfo=tz).timestamp() + (int(frac) / 10 ** len(frac) if frac else 0.0)


def body_key(body):
    """The idempotency_key a 201's JSON body names, else None."""
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    k = doc.get("idempotency_key") if isinstance(doc, dict) else None
    return k if isinstance(k, str) else None


def read_results(lines):
    """vegeta results (`vegeta encode --to json`, one object a line) as dicts: t (sent, epoch seconds),
    latency and done (answered) in seconds, code, error, body (text) and key (from a 201's body)."""
    rows = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        body = base64.b64decode(r.get("body") or "").decode("utf-8", "replace")
        t = parse_time(r["timestamp"])
        latency = r.get("latency", 0) / 1e9
        code = int(r.get("code", 0))
        rows.append({
            "t": t, "latency": latency, "done": t + latency, "code": code, "error": r.get("error", ""),
            "body": body, "key": body_key(body) if code == 201 else None,
        })
    rows.sort(key=lambda x: x["t"])
    return rows


def read_db_rows(lines):
    """The database's rows grouped by key and donor: [(key or None, donor or None, count)]."""
    out = []
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        k, d, n = line.split("\t")
        out.append((None if k == "NULL" else k, None if d == "NULL" else d, int(n)))
    return out


def check(run, phase, results, db_rows):
    """The ledger of one phase: see the module's docstring."""
    prefix, phase_donor = key_prefix(run, phase), donor(run, phase)
    confirmed = {}
    confirmed_without_key = 0
    for r in results:
        if r["code"] != 201:
            continue
        if r["key"] is None:
            confirmed_without_key += 1
        else:
            confirmed[r["key"]] = confirmed.get(r["key"], 0) + 1
    rows = {}
    keyless = 0
    for k, d, n in db_rows:
        if k is None:
            if d == phase_donor:
                keyless += n
        elif k.startswith(prefix):
            rows[k] = rows.get(k, 0) + n
    lost = sorted(k for k in confirmed if k not in rows)
    unconfirmed = sorted(k for k in rows if k not in confirmed)
    return {
        "phase": phase,
        "confirmed": len(confirmed),
        "confirmed_twice": sum(1 for n in confirmed.values() if n > 1),
        "confirmed_without_key": confirmed_without_key,
        "rows": sum(rows.values()) + keyless,
        "lost": len(lost),
        "duplicates": sum(n - 1 for n in rows.values() if n > 1) + keyless,
        "duplicate_keys": sum(1 for n in rows.values() if n > 1),
        "keyless_rows": keyless,
        "recorded_without_201": len(unconfirmed),
        "examples": {"lost": lost[:5], "recorded_without_201": unconfirmed[:5]},
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("targets")
    t.add_argument("--run", required=True)
    t.add_argument("--phase", required=True)
    t.add_argument("--count", type=int, required=True)
    t.add_argument("--url", required=True)
    t.add_argument("--host", required=True)
    t.add_argument("--amount-cents", type=int, default=500)
    c = sub.add_parser("check")
    c.add_argument("--run", required=True)
    c.add_argument("--phase", required=True)
    c.add_argument("results")
    c.add_argument("db_rows")
    a = p.parse_args(argv)
    if a.cmd == "targets":
        for line in targets(a.run, a.phase, a.count, a.url, a.host, a.amount_cents):
            sys.stdout.write(line + "\n")
    else:
        with open(a.results) as f:
            results = read_results(f)
        with open(a.db_rows) as f:
            db_rows = read_db_rows(f)
        json.dump(check(a.run, a.phase, results, db_rows), sys.stdout, indent=1)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()

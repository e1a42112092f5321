"""Turns the runs of scripts/bench into the table, the targets and their
verdicts. Prints the table, writes bench.json and bench.md to the output
folder, and exits 1 when any target fails.

Usage: report.py META.ndjson RUNS.ndjson OUT_DIR
"""

import json
import os
import sys

RSS_LIMIT_MB = 150
IMPORT_LIMIT_S = 10
VIEW_SHARE_OF_BARE = 0.5
VIEW_P99_LIMIT_MS = 25
LOGIN_SHARE_OF_BCRYPT = 0.9
MIXED_P99_FACTOR = 2


def read_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def ms(us):
    return us / 1000


def main(meta_path, runs_path, out_dir):
    meta = read_lines(meta_path)
    runs = read_lines(runs_path)
    bcrypt = next(m["bcrypt"] for m in meta if "bcrypt" in m)
    host = next(m["host"] for m in meta if "host" in m)
    host_end = next((m["host_end"] for m in meta if "host_end" in m), {})
    engines = {}
    for m in meta:
        if "engine" in m:
            engines.setdefault(m["engine"], {}).update({k: v for k, v in m.items() if k != "engine"})

    def run(engine, scenario, conns):
        for r in runs:
            if (r["engine"], r["scenario"], r["connections"]) == (engine, scenario, conns):
                return r
        return None

    rows = []
    for r in runs:
        w = r["wrk"]
        requests = w["requests"] + (r["storm"]["requests"] if r["storm"] else 0)
        in_flight = r["connections"] + r["storm_connections"]
        added = r["rows_after"] - r["rows_before"]
        rows.append({
            "engine": r["engine"],
            "scenario": r["scenario"],
            "connections": r["connections"],
            "rps": w["rps"],
            "p50_ms": ms(w["p50_us"]),
            "p99_ms": ms(w["p99_us"]),
            "requests": w["requests"],
            "non_2xx": w["non_2xx"],
            "socket_errors": w["connect_errors"] + w["read_errors"] + w["write_errors"] + w["timeouts"],
            "storm_logins": r["storm"]["requests"] if r["storm"] else None,
            "storm_login_rps": r["storm"]["rps"] if r["storm"] else None,
            "rows_added": added,
            "requests_counted": requests,
            # Requests still in flight when wrk stops are answered and
            # audited after wrk has stopped counting: at most one per
            # connection. Fewer rows than requests would be a lost row.
            "rows_match": requests <= added <= requests + in_flight,
            "rss_peak_mb": r["rss_peak_kb"] / 1024,
            "load": r["load"],
        })

    targets = []

    def target(name, engine, measured, limit, passed, conns=None):
        targets.append({
            "target": name,
            "engine": engine,
            "connections": conns,
            "measured": measured,
            "limit": limit,
            "pass": bool(passed),
        })

    for engine, info in engines.items():
        bare64, view64 = run(engine, "bare", 64), run(engine, "view", 64)
        if bare64 and view64:
            share = view64["wrk"]["rps"] / bare64["wrk"]["rps"] if bare64["wrk"]["rps"] else 0
            target("patient read >= 50% of the bare read (req/s)", engine,
                   f"{share:.0%} ({view64['wrk']['rps']:.0f} of {bare64['wrk']['rps']:.0f})",
                   ">= 50%", share >= VIEW_SHARE_OF_BARE, 64)
            p99 = ms(view64["wrk"]["p99_us"])
            target("patient read p99 < 25 ms", engine, f"{p99:.1f} ms", "< 25 ms",
                   p99 < VIEW_P99_LIMIT_MS, 64)
        for r in runs:
            if r["engine"] != engine:
                continue
            conns = r["connections"]
            if r["scenario"] == "login":
                # Compared with the raw rate measured right before this run.
                raw = (r.get("bcrypt") or bcrypt)["per_second"]
                share = r["wrk"]["rps"] / raw
                target("sign-in rate >= 90% of raw bcrypt", engine,
                       f"{share:.0%} ({r['wrk']['rps']:.2f} of {raw:.2f}/s)",
                       ">= 90%", share >= LOGIN_SHARE_OF_BCRYPT, conns)
            if r["scenario"] == "mixed":
                idle = run(engine, "view", conns)
                if idle:
                    factor = r["wrk"]["p99_us"] / idle["wrk"]["p99_us"]
                    target("read p99 during a login storm <= 2x idle p99", engine,
                           f"{factor:.2f}x ({ms(r['wrk']['p99_us']):.1f} vs {ms(idle['wrk']['p99_us']):.1f} ms)",
                           "<= 2x", factor <= MIXED_P99_FACTOR, conns)
        if "server_rss_peak_kb" in info:
            mb = info["server_rss_peak_kb"] / 1024
            target("server resident memory peak < 150 MB", engine, f"{mb:.0f} MB", "< 150 MB",
                   mb < RSS_LIMIT_MB)
        if "import_seconds" in info:
            target(f"import of the {info['bundles']} shared bundles < 10 s", engine,
                   f"{info['import_seconds']:.1f} s", "< 10 s",
                   info["import_seconds"] < IMPORT_LIMIT_S)
        audited = [r for r in rows if r["engine"] == engine and r["scenario"] != "bare"]
        if audited:
            bad = [f"{r['scenario']}/{r['connections']}" for r in audited if not r["rows_match"]]
            target("audit rows = audited requests after every run", engine,
                   "all runs match" if not bad else "mismatch: " + ", ".join(bad),
                   "none lost", not bad)

    lines = [
        f"Host: {host['cores']} cores, load average {host['load_before']} at the start, "
        f"{host_end.get('load_after', '?')} at the end; {host['started']} to {host_end.get('finished', '?')}; "
        f"wrk {host['wrk']}.",
        f"Raw bcrypt at cost {bcrypt['cost']} on {bcrypt['threads']} threads: "
        f"{bcrypt['per_second']:.2f} verifications/s.",
        "",
        "| engine | scenario | conns | req/s | p50 ms | p99 ms | requests | non-2xx | socket errors "
        "| rows added | rows = requests | RSS peak MB | load avg |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for r in rows:
        scenario = r["scenario"]
        if r["storm_logins"] is not None:
            scenario += f" (+{r['storm_logins']} logins, {r['storm_login_rps']:.1f}/s)"
        lines.append(
            f"| {r['engine']} | {scenario} | {r['connections']} | {r['rps']:.1f} | {r['p50_ms']:.1f} "
            f"| {r['p99_ms']:.1f} | {r['requests']} | {r['non_2xx']} | {r['socket_errors']} "
            f"| {r['rows_added']} | {'yes' if r['rows_match'] else 'NO'} | {r['rss_peak_mb']:.0f} "
            f"| {r['load']} |")
    lines += ["", "| target | engine | conns | measured | limit | verdict |",
              "| --- | --- | ---: | --- | --- | --- |"]
    for t in targets:
        lines.append(
            f"| {t['target']} | {t['engine']} | {t['connections'] or ''} | {t['measured']} "
            f"| {t['limit']} | {'pass' if t['pass'] else 'FAIL'} |")
    for engine, info in engines.items():
        if "audit_verify" in info:
            lines.append(f"\n{engine}: `healthsecure audit verify` after the runs: {info['audit_verify']}")
        if "multiply" in info:
            m = info["multiply"]
            lines.append(f"{engine}: {m['patients_before']} imported patients multiplied by "
                         f"{m['copies']} copies ({m['records_created']} records) in {m['seconds']} s")
    table = "\n".join(lines)
    print(table)

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "bench.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(out_dir, "bench.json"), "w") as f:
        json.dump({"host": host, "host_end": host_end, "bcrypt": bcrypt, "engines": engines,
                   "runs": rows, "targets": targets}, f, indent=2)
        f.write("\n")
    failed = [t for t in targets if not t["pass"]]
    print(f"\n{len(targets) - len(failed)} of {len(targets)} targets met; "
          f"written to {out_dir}/bench.json and bench.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))

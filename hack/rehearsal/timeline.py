"""The kill phase's timeline, from vegeta's results and the replica samples (every 2 s) of the peak
rehearsal: when the fallback page started and stopped, when site pods were ready again, and when the
first donation after the outage was answered. Times are seconds since the kill.

The Deployment's ready count lags the kill (the sample right after it may still say 6/6), so "ready
again" is only looked for after the ready count has fallen to its lowest. Standard library only.
"""


def kill_timeline(results, samples, kill):
    """results: dicts with done (answered, epoch s), code and kind (donation, fallback, error), sorted or
    not; samples: dicts with t, replicas and ready (None when unknown); kill: epoch seconds."""
    after = sorted((r for r in results if r["done"] >= kill), key=lambda r: r["done"])
    fallbacks = [r for r in after if r["kind"] == "fallback"]
    outage_start = next((r["done"] for r in after if r["kind"] != "donation"), None)
    first_donation = None
    if outage_start is not None:
        first_donation = next((r["done"] for r in after if r["kind"] == "donation" and r["done"] > outage_start), None)

    later = sorted((s for s in samples if s["t"] > kill and s["ready"] is not None), key=lambda s: s["t"])
    lowest = min((s["ready"] for s in later), default=None)
    lowest_at = next((s["t"] for s in later if s["ready"] == lowest), None)
    first_ready = None
    all_ready = None
    if lowest is not None:
        tail = [s for s in later if s["t"] >= lowest_at]
        if lowest == 0:
            first_ready = next((s["t"] for s in tail if s["ready"] >= 1), None)
        all_ready = next((s["t"] for s in tail if s["replicas"] and s["ready"] >= s["replicas"]), None)

    def since(t):
        return None if t is None else t - kill

    return {
        "first_fallback": since(fallbacks[0]["done"]) if fallbacks else None,
        "last_fallback": since(fallbacks[-1]["done"]) if fallbacks else None,
        "fallback_period": (fallbacks[-1]["done"] - fallbacks[0]["done"]) if fallbacks else 0.0,
        "fallback_pages": len(fallbacks),
        "outage_start": since(outage_start),
        "lowest_ready": lowest,
        "lowest_ready_at": since(lowest_at),
        "first_ready": since(first_ready),
        "all_ready": since(all_ready),
        "first_donation": since(first_donation),
        "first_ready_to_first_donation": (first_donation - first_ready) if first_donation is not None and first_ready is not None else None,
    }


def describe(tl):
    """One paragraph for the report; says what was not observed instead of inventing a figure."""
    def s(x):
        return f"{x:.1f} s"

    parts = []
    if tl["fallback_pages"]:
        parts.append(f"The first fallback page was answered {s(tl['first_fallback'])} after the kill and the last "
                     f"{s(tl['last_fallback'])} after it: a fallback period of {s(tl['fallback_period'])} "
                     f"({tl['fallback_pages']} pages).")
    else:
        parts.append("No fallback page was served after the kill.")
    if tl["lowest_ready"] is None:
        parts.append("No replica sample was taken after the kill.")
    elif tl["lowest_ready"] == 0:
        parts.append(f"Sampled every 2 s, the ready site pods fell to 0 at {s(tl['lowest_ready_at'])}; the first was "
                     + (f"ready again at {s(tl['first_ready'])}" if tl["first_ready"] is not None else "not ready again before the end")
                     + (f" and every replica at {s(tl['all_ready'])}." if tl["all_ready"] is not None else "."))
    else:
        parts.append(f"Sampled every 2 s, the fewest ready site pods after the kill was {tl['lowest_ready']} "
                     f"(at {s(tl['lowest_ready_at'])}); the samples never saw 0.")
    if tl["outage_start"] is None:
        parts.append("Every answer after the kill was a donation.")
    elif tl["first_donation"] is None:
        parts.append(f"From {s(tl['outage_start'])} on no donation was answered again before the end.")
    else:
        parts.append(f"The first donation (201) after the outage began was answered at {s(tl['first_donation'])}"
                     + (f", {s(tl['first_ready_to_first_donation'])} after the first ready site pod"
                        if tl["first_ready_to_first_donation"] is not None else "") + ".")
    return " ".join(parts)

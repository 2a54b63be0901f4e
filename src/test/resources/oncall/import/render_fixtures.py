#!/usr/bin/env python3
"""Writes the rendered final schedules into the importer fixtures (pagerduty-schedule.json, opsgenie-timeline.json).

Neither PagerDuty nor Opsgenie can be called from here, so the "source's own rendered schedule" in each fixture is
computed by this script, minute by minute, from the rules the vendors document (see README.md), independently of
Tocsin's Java resolver (different language, per-minute wall-clock rules, Python's zoneinfo). Run it from this folder
with python3 (3.9+) after changing a fixture's configuration; the Java test only reads the result.
"""
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


def local(t, zone):
    return t.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def entries(since, until, who, fmt):
    """Coalesce a per-minute assignment into [start, end) entries of the same person."""
    out, current, start = [], None, None
    t = since
    while t <= until:
        person = who(t) if t < until else None
        if person != current or t == until:
            if current is not None:
                out.append(fmt(start, t, current))
            current, start = person, t
        t += timedelta(minutes=1)
    return out


def pagerduty():
    with open("pagerduty-schedule.json") as f:
        doc = json.load(f)
    s = doc["schedule"]
    zone = s["time_zone"]
    users = {"PUSR001": "Ann Example", "PUSR002": "Bob Example", "PUSR003": "Cat Example"}
    override = [(datetime.fromisoformat(o["start"]), datetime.fromisoformat(o["end"]), o["user"]["id"])
                for o in s["overrides_subschedule"]["rendered_schedule_entries"]]

    def who(t):
        for a, b, u in override:
            if a <= t < b:
                return u
        l = local(t, zone)
        # Layer 2 (listed first by GET): weekly from Monday 2026-01-05 09:00, only Monday-Friday 09:00-17:00
        if l.weekday() < 5 and 9 <= l.hour < 17:
            weeks = (l.date() - datetime(2026, 1, 5).date()).days // 7
            return ["PUSR002", "PUSR003"][weeks % 2]
        # Layer 1: daily at 18:00 local (86400 s turns keep the schedule's wall-clock handoff)
        d = l.date() if l.hour >= 18 else (l - timedelta(days=1)).date()
        return ["PUSR001", "PUSR002", "PUSR003"][(d - datetime(2026, 1, 1).date()).days % 3]

    def fmt(a, b, u):
        return {"start": a.astimezone(ZoneInfo(zone)).isoformat(), "end": b.astimezone(ZoneInfo(zone)).isoformat(),
                "user": {"id": u, "type": "user_reference", "summary": users[u]}}

    since = datetime(2026, 2, 25, 5, 0, tzinfo=UTC)
    until = since + timedelta(days=30)
    s["final_schedule"]["rendered_schedule_entries"] = entries(since, until, who, fmt)
    with open("pagerduty-schedule.json", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def opsgenie():
    with open("opsgenie-schedule.json") as f:
        zone = json.load(f)["data"]["timezone"]
    names = {"u1": "ann@example.com", "u2": "bob@example.com", "u3": "cat@example.com", "u4": "dan@example.com"}
    with open("opsgenie-overrides.json") as f:
        overrides = [(datetime.fromisoformat(o["startDate"].replace("Z", "+00:00")),
                      datetime.fromisoformat(o["endDate"].replace("Z", "+00:00")), o["user"]["id"])
                     for o in json.load(f)["data"]]

    def overridden(t):
        return next((u for a, b, u in overrides if a <= t < b), None)

    def who(t):
        if overridden(t):
            return overridden(t) + "*"
        l = local(t, zone)
        # "Days": daily, Monday-Friday 08:00-18:00; handoff at 08:00 local, starting Monday 2026-01-05
        if l.weekday() < 5 and 8 <= l.hour < 18:
            return ["u1", "u2"][(l.date() - datetime(2026, 1, 5).date()).days % 2]
        # "Nights and weekends": weekly, handoff Monday 08:00 local
        monday = (l - timedelta(hours=8)).date()
        monday = monday - timedelta(days=monday.weekday())
        return ["u3", "u4"][((monday - datetime(2026, 1, 5).date()).days // 7) % 2]

    def fmt(a, b, u):
        kind = "override" if u.endswith("*") else "default"
        u = u.rstrip("*")
        return {"startDate": a.strftime("%Y-%m-%dT%H:%M:%SZ"), "endDate": b.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "type": kind, "recipient": {"id": u, "type": "user", "name": names[u]}}

    since = datetime(2026, 3, 15, 0, 0, tzinfo=UTC)
    until = since + timedelta(days=30)
    periods = entries(since, until, who, fmt)
    days = [p for p in periods if p["recipient"]["id"] in ("u1", "u2")]
    rest = [p for p in periods if p["recipient"]["id"] in ("u3", "u4")]
    timeline = {"data": {"_parent": {"id": "sched-1", "name": "ops_team_schedule", "enabled": True},
                         "startDate": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "endDate": until.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "finalTimeline": {"rotations": [
                             {"id": "rot-days", "name": "Days", "order": 1.0, "periods": days},
                             {"id": "rot-nights", "name": "Nights and weekends", "order": 2.0, "periods": rest}]}},
                "took": 0.05, "requestId": "fixture"}
    with open("opsgenie-timeline.json", "w") as f:
        json.dump(timeline, f, indent=2)
        f.write("\n")


pagerduty()
opsgenie()

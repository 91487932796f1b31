"""Reads paperclub's feeds and calendar files with independent parsers, as
other tools would: feedparser for the Atom feeds, the `icalendar` package for
the .ics files (every TZID used has its VTIMEZONE, METHOD:PUBLISH).

Usage: check-open-data.py BASE_URL  (scripts/test.sh runs it against the
browser tests' server). Exits non-zero with what is wrong."""

import sys
import urllib.request

import feedparser
import icalendar

base = sys.argv[1].rstrip("/")
problems = []


def get(path):
    with urllib.request.urlopen(base + path) as response:
        return response.read()


for path in ["/feed.atom", "/series/reading-group/feed.atom"]:
    feed = feedparser.parse(get(path))
    if feed.bozo:
        problems.append(f"{path}: feedparser could not read it: {feed.bozo_exception}")
        continue
    if feed.version != "atom10":
        problems.append(f"{path}: read as {feed.version!r}, not Atom 1.0")
    if not feed.entries:
        problems.append(f"{path}: no entries")
    for entry in feed.entries:
        for field in ["id", "title", "link", "updated_parsed", "summary"]:
            if not entry.get(field):
                problems.append(f"{path}: an entry without {field}: {entry.get('id')}")
    print(f"{path}: {len(feed.entries)} entries, Atom 1.0")

event_paths = []
for path in ["/calendar.ics", "/series/reading-group/calendar.ics"]:
    calendar = icalendar.Calendar.from_ical(get(path))
    if str(calendar.get("METHOD")) != "PUBLISH":
        problems.append(f"{path}: METHOD is {calendar.get('METHOD')!r}")
    used, defined = set(), set()
    for component in calendar.walk():
        if component.name == "VEVENT":
            for name in ["DTSTART", "DTEND"]:
                tzid = component[name].params.get("TZID")
                if tzid:
                    used.add(str(tzid))
            url = str(component.get("URL", ""))
            if "/events/" in url:
                event_paths.append(url[url.index("/events/"):] + "/calendar.ics")
        elif component.name == "VTIMEZONE":
            defined.add(str(component["TZID"]))
            if not any(sub.name in ("STANDARD", "DAYLIGHT") for sub in component.subcomponents):
                problems.append(f"{path}: VTIMEZONE {component['TZID']} has no STANDARD or DAYLIGHT")
    if used != defined:
        problems.append(f"{path}: TZIDs used {sorted(used)} but defined {sorted(defined)}")
    print(f"{path}: zones {sorted(used)}, each with its VTIMEZONE")

for path in event_paths[:3]:
    calendar = icalendar.Calendar.from_ical(get(path))
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    zones = [c for c in calendar.walk() if c.name == "VTIMEZONE"]
    if len(events) != 1 or not zones:
        problems.append(f"{path}: {len(events)} events, {len(zones)} time zones")

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print("feeds and calendar files read back by feedparser and icalendar")

#!/usr/bin/env python3
"""Validates iCalendar files that cairn wrote (saved by the tests when CAIRN_SAVE_ICS is set)
with a standard parser (Python's icalendar), and checks what RFC 5545/5546 require that a
lenient parser would let pass: CRLF line ends, lines folded at 75 octets, the calendar's and
each event's required properties, and an organiser and attendee in an invitation.

    python3 scripts/check-ics.py FILE.ics...
"""
import sys

import icalendar


def check(path):
    raw = open(path, "rb").read()
    problems = []
    if b"\n" in raw.replace(b"\r\n", b""):
        problems.append("a line ends without CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 75:
            problems.append(f"line {number} is {len(line)} octets (at most 75)")
    calendar = icalendar.Calendar.from_ical(raw)
    for required in ("VERSION", "PRODID"):
        if calendar.get(required) is None:
            problems.append(f"the calendar has no {required}")
    method = str(calendar.get("METHOD", ""))
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    if not events:
        problems.append("no events")
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if event.get(required) is None:
                problems.append(f"an event has no {required}")
        if event.decoded("DTEND") <= event.decoded("DTSTART"):
            problems.append("an event ends before it starts")
        if method in ("REQUEST", "CANCEL"):
            for required in ("ORGANIZER", "ATTENDEE", "SEQUENCE"):
                if event.get(required) is None:
                    problems.append(f"an invitation ({method}) has no {required}")
    return problems, method, len(events)


def main(paths):
    if not paths:
        print("check-ics: no files given (were the tests run with CAIRN_SAVE_ICS?)")
        return 1
    failed = 0
    for path in paths:
        problems, method, count = check(path)
        if problems:
            failed += 1
            print(f"{path}: " + "; ".join(problems))
        else:
            print(f"{path}: valid ({method or 'no method'}, {count} event(s))")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

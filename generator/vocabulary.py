"""The project's fixed vocabularies, defined once: kinds, ratings, labels and dates.

`schema`/`check` validate against these tables, and the renderers and `scaffold`
read their labels from here, so a new briefing kind or source kind is added in
one place (plus its template).
"""

from __future__ import annotations

import datetime as dt

# Site engines that `engine:` in site_config.yml may name.
ENGINES: tuple[str, ...] = ("material", "zensical")

# How the website shows citations (`citations:` in site_config.yml); print always shows them in full.
CITATION_DISPLAYS: tuple[str, ...] = ("full", "compact")

# Evidence ratings, strongest first: a four-level scale of confidence in the manner of GRADE.
RATINGS: tuple[str, ...] = ("high", "moderate", "low", "very low")

# Source kinds: id -> label shown on the source's page.
SOURCE_KINDS: dict[str, str] = {
    "evidence-overview": "Evidence overview",
    "inquiry-report": "Inquiry report",
    "event-briefing": "Event briefing",
    "priorities": "Shared priorities",
    "summary-briefing": "Summary briefing",
    "other": "Document",
}

# Briefing kinds: id -> (label of one, heading of a group on the downloads page).
BRIEFING_KINDS: dict[str, tuple[str, str]] = {
    "route-handout": ("Route handout", "Route handouts"),
    "summary": ("Summary briefing", "Summary briefings"),
    "event": ("Event briefing", "Event briefings"),
    "recommendations": ("Recommendations", "Recommendations briefings"),
}

# The sections every route body has, in order, and the slug each gets.
ROUTE_SECTIONS: tuple[str, ...] = ("What the research says", "What helps", "What needs to change")
WHAT_HELPS = "what-helps"

# How many recommendations a route may mark `main: true`, and how many a handout
# takes when neither the briefing nor the route chooses.
MAIN_RECOMMENDATIONS = 6
HANDOUT_RECOMMENDATIONS = 5

# Columns of the compare-routes table: field -> heading.
COMPARE_COLUMNS: dict[str, str] = {
    "who": "Who it serves",
    "legal_basis": "Legal basis",
    "stability": "Stability and breakdown",
    "support": "Support",
}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: dt.date) -> str:
    """A date as printed everywhere, e.g. "22 November 2026", whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def epoch(day: dt.date) -> int:
    """Seconds since 1970 at midnight UTC of `day`: the timestamp of reproducible output."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())

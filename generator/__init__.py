"""Permanence Briefings: evidence briefings on routes to permanence, for the web and for print."""

__version__ = "0.1.0"

"""Print briefings: PDF (pandoc -> Typst) and DOCX (pandoc) from the resolved model."""

from generator.printing.render import PrintError, render_briefings

__all__ = ["PrintError", "render_briefings"]

"""Print briefings: PDF (pandoc -> Typst) and DOCX (pandoc) from the resolved model."""

from generator.printing.failures import PrintError
from generator.printing.layout import check_page_limits
from generator.printing.render import render_briefings

__all__ = ["PrintError", "check_page_limits", "render_briefings"]

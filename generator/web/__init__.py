"""The website renderer: the model as a docs tree and mkdocs.yml, built by Material for MkDocs.

Everything is resolved before the engine sees a page (citations, cross-references,
back-links), so the tree needs no MkDocs plugin beyond Material's own.
"""

from generator.web.render import render_site

__all__ = ["render_site"]

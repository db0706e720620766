"""Site engines: each turns page records into a static site. Only this package knows them.

Both engines read the same docs tree and ``mkdocs.yml`` (`engines.mkdocs`); they differ
in how they are run (`engines.run`) and in a few settings (docs/engines.md).
"""

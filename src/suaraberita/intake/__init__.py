"""Intake: reading an article.

Takes the text of a Markdown file (with optional front matter) or of a pasted news
page and gives an `Article` (title, subtitle, intro, sections, metadata), with the
publisher noise the rules in ``data/noise.toml`` describe left out.
"""

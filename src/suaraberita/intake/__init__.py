"""Intake: reading an article.

Takes the text of a Markdown file (with optional front matter) or of a pasted news
page and gives an `Article` (title, subtitle, intro, sections, metadata), with the page
clutter that the rules in ``data/noise/`` and the page's shape reveal left out, and a
report of every line left out (`Article.dropped`).
"""

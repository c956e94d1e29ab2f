"""Publish: from episodes to a podcast.

Takes finished episodes and gives the episode store (SQLite), the RSS feed and its
check, the static web pages with their templates and assets, and `serve`.
"""

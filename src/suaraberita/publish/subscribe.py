"""Links that open the show's feed in a listener's podcast app, for the subscribe page.

Each app documents its own way in: most take the feed's address without its scheme
after a scheme of their own, some take the whole address as a query parameter
(percent-encoded). Only an absolute http(s) feed address is linked; it is put in a
canonical form first (non-ASCII host as IDNA, spaces and other characters a URL may not
carry percent-encoded, the fragment dropped), so every app reads the same address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

# what may stay as it is in a path or a query (RFC 3986 unreserved, sub-delims, ':' '@')
_PATH_SAFE = "-._~!$&'()*+,;=:@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class AppLink:
    """A link that opens the feed in one app (or in any app that takes the scheme)."""

    name: str  # the app, as the page names it
    href: str
    where: str  # the systems it runs on, in Indonesian


def feed_address(url: str) -> str | None:
    """The feed's address in canonical form, or None when it is not absolute http(s).

    >>> feed_address("https://Contoh.id/siaran berita/umpan.xml?a=1&b=é#x")
    'https://contoh.id/siaran%20berita/umpan.xml?a=1&b=%C3%A9'
    >>> feed_address("https://bérita.id:8443/50%/feed%20.xml")
    'https://xn--brita-bsa.id:8443/50%25/feed%20.xml'
    >>> feed_address("javascript:alert(1)"), feed_address("/feed.xml"), feed_address("")
    (None, None, None)
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    path = _encode(parts.path or "/", _PATH_SAFE)
    query = f"?{_encode(parts.query, _QUERY_SAFE)}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{path}{query}"


def app_links(feed_url: str, title: str) -> tuple[AppLink, ...]:
    """Links that open the feed in common podcast apps, then the generic podcast: and
    feed: schemes; none when the feed address is not http(s).

    >>> [link.href for link in app_links("https://contoh.id/p/feed.xml?a=1&b=2", "Kabar")]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['podcasts://contoh.id/p/feed.xml?a=1&b=2',
     'pktc://subscribe/contoh.id/p/feed.xml?a=1&b=2',
     'https://antennapod.org/deeplink/subscribe?url=https%3A%2F%2Fcontoh.id%2Fp%2Ffeed.xml%3Fa%3D1%26b%3D2&title=Kabar',
     'podcastaddict://contoh.id/p/feed.xml?a=1&b=2',
     'overcast://x-callback-url/add?url=https%3A%2F%2Fcontoh.id%2Fp%2Ffeed.xml%3Fa%3D1%26b%3D2',
     'castros://subscribe/contoh.id/p/feed.xml?a=1&b=2',
     'podcast://contoh.id/p/feed.xml?a=1&b=2',
     'feed:https://contoh.id/p/feed.xml?a=1&b=2']
    >>> app_links("ftp://contoh.id/feed.xml", "Kabar")
    ()
    """
    address = feed_address(feed_url)
    if address is None:
        return ()
    bare = address.split("://", 1)[1]  # what most apps take: the address without scheme
    whole = quote(address, safe="")  # the address as a query parameter
    return (
        AppLink("Apple Podcasts", f"podcasts://{bare}", "iPhone, iPad, Mac"),
        AppLink("Pocket Casts", f"pktc://subscribe/{bare}", "Android, iPhone"),
        AppLink(
            "AntennaPod",
            f"https://antennapod.org/deeplink/subscribe?url={whole}&title={quote(title, safe='')}",
            "Android",
        ),
        AppLink("Podcast Addict", f"podcastaddict://{bare}", "Android"),
        AppLink("Overcast", f"overcast://x-callback-url/add?url={whole}", "iPhone, iPad"),
        AppLink("Castro", f"castros://subscribe/{bare}", "iPhone"),
        AppLink("Aplikasi podcast lain", f"podcast://{bare}", "tautan podcast://"),
        AppLink("Pembaca feed", f"feed:{address}", "tautan feed:"),
    )


def _encode(text: str, safe: str) -> str:
    """Percent-encode what a URL may not carry, keeping escapes already there; a '%'
    that starts no escape is itself encoded."""
    return quote(_LONE_PERCENT.sub("%25", text), safe=safe + "%")

"""Page weight: what a first visit to each page downloads, gzipped.

The page's HTML plus every stylesheet (<link rel=stylesheet href>) and script
(<script src>) it names, fetched from the running server. Each body is
gzipped here at level 6, the usual setting of a compressing proxy, so pages
are compared on the same terms whatever the server compresses itself.
"""

import gzip
from html.parser import HTMLParser
from urllib.parse import urljoin

from bench.load import fetch


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split() and attributes.get("href"):
            self.css.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.js.append(attributes["src"])


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def assets_of(html: bytes) -> tuple[list[str], list[str]]:
    parser = _Assets()
    parser.feed(html.decode("utf-8", errors="replace"))
    return parser.css, parser.js


def weigh(base: str, path: str, cookie: str, cache: dict) -> dict:
    status, html, _ = fetch(base + path, cookie)
    if status != 200:
        return {"status": status}
    css, js = assets_of(html)
    sizes = {"html": gzipped(html), "css": 0, "js": 0}
    for kind, urls in (("css", css), ("js", js)):
        for url in dict.fromkeys(urls):
            full = urljoin(base + path, url)
            if full not in cache:
                asset_status, body, _ = fetch(full)
                cache[full] = gzipped(body) if asset_status == 200 else 0
            sizes[kind] += cache[full]
    sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"]
    return {f"{name}_kb": round(value / 1024, 1) for name, value in sizes.items()} | {"assets": len(css) + len(js)}

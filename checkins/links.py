"""Links to a couple's check-in pages, each reversed once per process
(trustwork.links). Codes are in every link the couple's pages show anyway."""

from trustwork.links import link


def couple_links(relationship) -> dict[str, str]:
    """The pages of the couple's check-ins, for templates: `links.history`, ..."""
    code = relationship.code
    return {page: link(f"checkins:{page}", code) for page in ("checkin", "draft", "history", "rhythm")}

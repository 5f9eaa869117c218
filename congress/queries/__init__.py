"""Read-side querysets of the congress app (core, and calls for participation in cfp.py)."""

from congress.queries.core import congress_with_tracks, published_congresses

__all__ = ["congress_with_tracks", "published_congresses"]

"""A reportlab canvas for long documents: each page is compressed as soon as it is finished.

reportlab keeps every page of a document in memory until ``save()`` and, with
``pageCompression``, compresses them all at the end through ASCII85 + Flate in pure Python
(ASCII85 alone is ~2 ms a page and makes streams 25% larger). ``CompactCanvas`` Flate-
compresses each page's content stream (binary, no ASCII85) when the page is shown, so a
document of N pages holds N compressed streams (typically 1-2 KB a badge) instead of N raw
ones, and ``save()`` only has to write them out. Memory still grows with the page count (the
PDF cross-reference table needs every object before it is written); see docs/badges.md for
measured figures.

Relies on reportlab internals (``Canvas._doc.Pages.pages``, ``PDFPage.Contents``); reportlab is
pinned, and tests render and parse documents made with it.
"""

from __future__ import annotations

import zlib

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

# zlib level 6 (the default) costs ~2x level 1 for ~10% smaller badge pages.
COMPRESSION_LEVEL = 6


class CompactCanvas(Canvas):
    """A Canvas whose finished pages are kept Flate-compressed (no ASCII85).

    Same API as ``reportlab.pdfgen.canvas.Canvas``; ``pageCompression`` is ignored (always on).
    """

    def __init__(self, *args, compression_level: int = COMPRESSION_LEVEL, **kwargs):
        kwargs["pageCompression"] = 0
        self._compression_level = compression_level
        super().__init__(*args, **kwargs)

    def showPage(self):
        super().showPage()
        page = self._doc.Pages.pages[-1]
        stream = page.stream
        if isinstance(stream, str):
            stream = stream.encode("utf8")
        dictionary = pdfdoc.PDFDictionary(
            {"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}
        )
        page.Contents = pdfdoc.PDFStream(
            dictionary=dictionary, content=zlib.compress(stream, self._compression_level)
        )
        page.Contents.__Comment__ = "page stream"
        page.stream = None

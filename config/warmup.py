"""Heavy state loaded once, before the web workers fork (gunicorn.conf.py, `preload_app`).

The first badge a fresh worker drew used to cost 130-250 ms more than the next: reportlab
parsed the fonts (the CJK ones are ~10 MB each), the text shaper and the QR encoder filled
their caches. `warm_up()` draws one badge with names in every script the PDFs support, in
the gunicorn master; the forked workers share the result (copy-on-write). It touches no
database or cache, so no connection is opened before the fork.
"""

import io
import logging
import time

logger = logging.getLogger("config.warmup")

# One name per font family the PDFs fall back to (common.pdf.fonts.WARM_FAMILIES).
SAMPLE_NAMES = ("Amal Ñúñez", "أمل حداد", "王小明", "山田花子", "김민준", "Нина Петрова")


def warm_up() -> float:
    """Load the PDF fonts and draw a sample badge in this process; return the seconds taken."""
    from badges.rendering import BadgeData, BadgeStyle, render_badges
    from common.pdf import fonts

    started = time.monotonic()
    for family in fonts.WARM_FAMILIES:
        for weight in fonts.WEIGHTS:
            fonts.register(family, weight)
    badges = [
        BadgeData(
            registration_id=index,
            token=f"warmup{index:026d}",
            name=name,
            latin_name="",
            organisation="Warm-up",
            country="FR",
            category_id=1,
            category="Participant",
            role="",
            language="en",
            colour="#1F4E79",
        )
        for index, name in enumerate(SAMPLE_NAMES)
    ]
    style = BadgeStyle(congress_name="Warm-up", colour="#1F4E79")
    render_badges(badges=badges, style_for=lambda _id: style, size=style.size, out=io.BytesIO())
    seconds = time.monotonic() - started
    logger.info("warm-up: fonts and badge renderer loaded in %.0f ms", seconds * 1000)
    return seconds

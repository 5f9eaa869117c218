"""Charts as inline SVG built on the server: no JavaScript, no CDN, nothing for the CSP to
block. Colours come from CSS classes in static/attendance/reports.css."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 14
ROW_HEIGHT = 40
LABEL_WIDTH = 220
CHART_WIDTH = 640


def paired_bar_chart(
    *, title: str, rows: list[tuple[str, int, int]], first_label: str, second_label: str
) -> SafeString:
    """Horizontal bars, two per row (e.g. registered and checked in), scaled to the maximum."""
    rows = rows[:25]
    maximum = max([max(a, b) for _label, a, b in rows] + [1])
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    height = ROW_HEIGHT * len(rows) + 36
    parts = [
        format_html(
            '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
            'aria-label="{}" xmlns="http://www.w3.org/2000/svg">',
            CHART_WIDTH,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
        _legend(first_label, second_label),
    ]
    for index, (label, first, second) in enumerate(rows):
        y = 30 + index * ROW_HEIGHT
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT,
                label[:40],
            )
        )
        for offset, value, css in ((0, first, "bar-a"), (BAR_HEIGHT + 2, second, "bar-b")):
            width = round(plot * value / maximum, 1)
            parts.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>'
                    '<text class="chart-value" x="{}" y="{}">{}</text>',
                    css,
                    LABEL_WIDTH,
                    y + offset,
                    width,
                    BAR_HEIGHT,
                    LABEL_WIDTH + width + 4,
                    y + offset + BAR_HEIGHT - 3,
                    value,
                )
            )
    parts.append(mark_safe("</svg>"))
    # Every part above was escaped by format_html; joining keeps it safe.
    return mark_safe("".join(parts))  # noqa: S308


def _legend(first_label: str, second_label: str) -> SafeString:
    return format_html(
        '<rect class="bar-a" x="{}" y="4" width="12" height="12"></rect>'
        '<text class="chart-label" x="{}" y="15">{}</text>'
        '<rect class="bar-b" x="{}" y="4" width="12" height="12"></rect>'
        '<text class="chart-label" x="{}" y="15">{}</text>',
        LABEL_WIDTH,
        LABEL_WIDTH + 16,
        first_label,
        LABEL_WIDTH + 200,
        LABEL_WIDTH + 216,
        second_label,
    )


def trend_chart(*, title: str, points: list[tuple[str, float | None]]) -> SafeString:
    """A line of shares (0..1) across editions, oldest first, with a label per point."""
    width, height, margin = CHART_WIDTH, 260, 50
    plot_width, plot_height = width - 2 * margin, height - 2 * margin
    step = plot_width / max(len(points) - 1, 1)
    coordinates = []
    parts = [
        format_html(
            '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg">',
            width,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for tick in (0, 0.5, 1):
        y = margin + plot_height * (1 - tick)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}%</text>',
                margin,
                y,
                width - margin,
                y,
                margin - 6,
                y + 4,
                round(tick * 100),
            )
        )
    for index, (label, share) in enumerate(points):
        x = margin + index * step
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                height - margin + 20,
                label[:24],
            )
        )
        if share is None:
            continue
        y = round(margin + plot_height * (1 - share), 1)
        coordinates.append(f"{x:.1f},{y}")
        parts.append(
            format_html(
                '<circle class="chart-point" cx="{}" cy="{}" r="5"></circle>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}%</text>',
                round(x, 1),
                y,
                round(x, 1),
                y - 10,
                round(share * 100),
            )
        )
    if len(coordinates) > 1:
        parts.insert(
            2,
            format_html(
                '<polyline class="chart-line" points="{}"></polyline>', " ".join(coordinates)
            ),
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - parts escaped above


__all__ = ["escape", "paired_bar_chart", "trend_chart"]

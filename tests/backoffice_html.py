"""Reading organiser pages in tests: table cells and form errors as a user sees them."""

import lxml.html


def _text(element) -> str:
    return " ".join(element.text_content().split())


def table_rows(response, table_id: str) -> list[list[str]]:
    """The body rows of table `table_id`, each a list of its cells' visible text."""
    document = lxml.html.fromstring(response.content.decode())
    rows = document.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    return [[_text(cell) for cell in row.xpath("./td|./th")] for row in rows]


def errors(response) -> list[str]:
    """Every error message shown on the page, in page order."""
    document = lxml.html.fromstring(response.content.decode())
    return [_text(item) for item in document.xpath('//ul[@class="errorlist"]/li')]


def input_value(response, name: str) -> str:
    document = lxml.html.fromstring(response.content.decode())
    return document.xpath(f'//input[@name="{name}"]/@value')[0]


def texts(response, xpath: str) -> list[str]:
    document = lxml.html.fromstring(response.content.decode())
    return [
        " ".join(str(element).split()) if isinstance(element, str) else _text(element)
        for element in document.xpath(xpath)
    ]

"""The dashboard's registrations panel counts registrations on site and online apart when
the congress has online categories."""

import pytest

from registrations.models import Registration
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def panel_html(client, congress) -> str:
    html = client.get(f"/en/congresses/{congress.slug}/manage/").content.decode()
    return html.split('id="registrations-by-category"')[1].split("</table>")[0]


def cells(html: str, row_id: str) -> list[str]:
    row = html.split(f'<tr id="{row_id}">')[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


def test_registrations_panel_totals_on_site_and_online_apart(client, congress, organiser):
    delegates = RegistrationCategoryFactory(congress=congress, name="Delegates", position=0)
    remote = RegistrationCategoryFactory(
        congress=congress, name="Remote", position=1, is_online=True
    )
    RegistrationFactory(congress=congress, category=delegates)
    RegistrationFactory(
        congress=congress, category=delegates, status=Registration.Status.PENDING_PAYMENT
    )
    RegistrationFactory(congress=congress, category=remote)
    client.force_login(organiser)

    html = panel_html(client, congress)

    assert (
        cells(html, "registrations-on-site"),
        cells(html, "registrations-online"),
        '<th scope="row">Remote <span class="badge">online</span></th>' in html,
    ) == (["1", "0", "1", "0", "0", "0", "2"], ["0", "0", "1", "0", "0", "0", "1"], True)


def test_registrations_panel_without_online_categories_has_no_split(client, congress, organiser):
    RegistrationFactory(congress=congress, category__congress=congress)
    client.force_login(organiser)

    html = panel_html(client, congress)

    assert ('id="registrations-on-site"' in html, 'id="registrations-online"' in html) == (
        False,
        False,
    )

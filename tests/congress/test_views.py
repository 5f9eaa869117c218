import lxml.html
import pytest

from congress.models import Congress
from tests.factories.congress import CongressFactory, TrackFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_congresses_only(client):
    CongressFactory(name="Published Congress")
    CongressFactory(name="Hidden Draft", status=Congress.Status.DRAFT)

    response = client.get("/en/")

    body = response.content.decode()
    assert "Published Congress" in body
    assert "Hidden Draft" not in body


def test_home_in_arabic_is_right_to_left(client):
    response = client.get("/ar/")

    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body


def test_home_in_french_is_left_to_right_and_translated(client):
    response = client.get("/fr/")

    body = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in body
    assert "Congrès" in body


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_congress_page_shows_tracks_with_translated_names(client, congress):
    TrackFactory(
        congress=congress, name="Drug policy", name_translations={"fr": "Politique des drogues"}
    )

    response = client.get(f"/fr/congresses/{congress.slug}/")

    assert "Politique des drogues" in response.content.decode()


def test_congress_page_dates_are_localised(client):
    congress = CongressFactory(starts_on="2027-06-15", ends_on="2027-06-17")

    response = client.get(f"/fr/congresses/{congress.slug}/")

    assert "15 juin 2027" in response.content.decode()


def test_language_switcher_links_to_this_page_in_each_language(client, congress):
    response = client.get(f"/fr/congresses/{congress.slug}/?tab=programme")

    document = lxml.html.fromstring(response.content.decode())
    links = [
        (link.get("lang"), link.get("href"), link.get("aria-current"), link.text_content())
        for link in document.xpath('//ul[@class="language-switcher"]//a')
    ]
    assert links == [
        ("en", f"/en/congresses/{congress.slug}/?tab=programme", None, "English"),
        ("fr", f"/fr/congresses/{congress.slug}/?tab=programme", "page", "français"),
        ("ar", f"/ar/congresses/{congress.slug}/?tab=programme", None, "العربيّة"),
    ]
    assert response.content.decode().count("csrfmiddlewaretoken") == 0


def test_page_without_a_language_prefix_keeps_the_language_form(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/accounts/two-factor/setup/")

    document = lxml.html.fromstring(response.content.decode())
    assert document.xpath('//ul[@class="language-switcher"]') == []
    assert document.xpath('//form[@class="language-switcher"]/@action') == ["/i18n/setlang/"]


def test_language_switcher_posts_to_set_language(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/en/"})

    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_pages_have_no_inline_scripts_and_send_csp(client, congress):
    response = client.get(f"/en/congresses/{congress.slug}/")

    assert "<script>" not in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_static_stylesheet_uses_logical_properties_only():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_text()

    for physical in (
        "margin-left",
        "margin-right",
        "padding-left",
        "padding-right",
        "text-align: left",
        "text-align: right",
    ):
        assert physical not in css

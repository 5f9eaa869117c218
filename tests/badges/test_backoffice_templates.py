"""The organisers' badge template editor and its live preview (issue 12)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from badges.models import BadgeTemplate
from congress.models import AuditEvent, CongressRole
from registrations.models import RegistrationCategory
from tests.factories.congress import CongressRoleFactory
from tests.factories.registrations import RegistrationCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#c00000").save(buffer, format="PNG")
    return buffer.getvalue()


def _url(name, congress, **kwargs) -> str:
    return reverse(f"badges:{name}", kwargs={"slug": congress.slug, **kwargs})


def _data(**overrides) -> dict:
    data = {
        "name": "Delegates",
        "category": "",
        "size": "a4_4",
        "fields": ["name", "organisation", "country", "category"],
        "text_colour": "#222222",
    }
    data.update(overrides)
    return data


def test_preview_pdf_before_any_registration_has_every_script(
    client, congress, organiser, pdf_text
):
    RegistrationCategoryFactory(congress=congress, name="Delegate")
    client.force_login(organiser)

    response = client.get(
        _url("template_preview_pdf", congress),
        {"size": "a6", "fields": ["name", "latin_name", "organisation"], "text_colour": "#111111"},
    )

    text = pdf_text(response.content)
    assert response["Content-Type"] == "application/pdf"
    found = [
        name
        for name in ["Hélène Dubois-Ngọc", "ليلى عبد الرحمن", "Мария Иванова", "王小明"]
        if name in text
    ]
    assert found == ["Hélène Dubois-Ngọc", "ليلى عبد الرحمن", "Мария Иванова", "王小明"]


def test_preview_pdf_prints_only_the_chosen_fields(client, congress, organiser, pdf_text):
    client.force_login(organiser)

    response = client.get(
        _url("template_preview_pdf", congress), {"size": "a6", "fields": ["name"]}
    )

    text = pdf_text(response.content)
    assert ("王小明" in text, "人权律师网络" in text, "Wang Xiaoming" in text) == (
        True,
        False,
        False,
    )


def test_preview_frame_points_at_the_pdf_with_the_editor_values(client, congress, organiser):
    client.force_login(organiser)

    html = client.get(
        _url("template_preview", congress),
        {"size": "cr80", "fields": ["name", "country"], "csrfmiddlewaretoken": "x"},
        headers={"HX-Request": "true"},
    ).content.decode()

    assert re.findall(r'<iframe [^>]*src="([^"]+)"', html) == [
        _url("template_preview_pdf", congress) + "?size=cr80&amp;fields=name&amp;fields=country"
    ]


def test_preview_bad_size_shows_a_message(client, congress, organiser):
    client.force_login(organiser)

    response = client.get(_url("template_preview_pdf", congress), {"size": "a0"})

    assert (response.status_code, re.findall(r"<p>([^<]*)</p>", response.content.decode())) == (
        400,
        ["Select a valid choice. a0 is not one of the available choices."],
    )


def test_template_form_saves_size_field_order_colours_and_logo(client, congress, organiser, media):
    delegate = RegistrationCategoryFactory(congress=congress, name="Delegate", colour="#1f6f8b")
    client.force_login(organiser)
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")

    response = client.post(
        _url("template_create", congress),
        _data(
            fields=["country", "name", "organisation"],
            logo=logo,
            **{f"colour_{delegate.pk}": "#aa3300"},
        ),
    )

    template = BadgeTemplate.objects.get()
    delegate.refresh_from_db()
    assert response["Location"] == _url("templates", congress)
    assert (template.size, template.fields, template.text_colour, template.category) == (
        "a4_4",
        ["country", "name", "organisation"],
        "#222222",
        None,
    )
    assert (template.logo.name.startswith("badges/logos/logo"), delegate.colour) == (
        True,
        "#aa3300",
    )
    event = AuditEvent.objects.get(action="badge_template.created")
    assert (event.actor, event.detail["colours"]) == (organiser, [delegate.pk])


def test_template_form_refuses_a_logo_that_is_not_an_image(client, congress, organiser, media):
    client.force_login(organiser)
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", content_type="image/png")

    response = client.post(_url("template_create", congress), _data(logo=fake))

    assert response.context["form"].errors == {"logo": ["The logo must be a PNG or JPEG image."]}
    assert re.findall(r'name="name"[^>]*value="([^"]*)"', response.content.decode()) == [
        "Delegates"
    ]
    assert BadgeTemplate.objects.count() == 0


def test_template_form_refuses_a_logo_over_one_megabyte(client, congress, organiser, media):
    client.force_login(organiser)
    big = SimpleUploadedFile("logo.png", _png() + b"\0" * (1024 * 1024), content_type="image/png")

    response = client.post(_url("template_create", congress), _data(logo=big))

    assert response.context["form"].errors == {"logo": ["The logo is too large: at most 1 MB."]}


def test_template_form_refuses_a_category_of_another_congress(
    client, congress, other_congress, organiser
):
    foreign = RegistrationCategoryFactory(congress=other_congress)
    client.force_login(organiser)

    response = client.post(_url("template_create", congress), _data(category=foreign.pk))

    assert response.context["form"].errors == {
        "category": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_template_form_in_french_shows_translated_error(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/manage/badges/templates/new/",
        _data(text_colour="red"),
    )

    assert response.context["form"].errors == {
        "text_colour": ["Saisissez une couleur au format #RRGGBB, par exemple #1f6f8b."]
    }


def test_template_form_shows_fields_in_saved_order_first(client, congress, organiser):
    template = BadgeTemplate.objects.create(
        congress=congress, name="Default", fields=["country", "name"]
    )
    client.force_login(organiser)

    html = client.get(_url("template_edit", congress, pk=template.pk)).content.decode()

    values = re.findall(r'<input type="checkbox" name="fields" value="([a-z_]+)"', html)
    assert values[:2] == ["country", "name"]
    assert len(values) == len(BadgeTemplate.Field.choices)


@pytest.mark.parametrize("role", ["other_organiser", "reviewer", "checkin_staff"])
def test_badge_pages_are_not_found_for_anyone_but_organisers(
    client, congress, other_congress, role
):
    if role == "other_organiser":
        user = CongressRoleFactory(congress=other_congress, role=CongressRole.Role.ORGANISER).user
    else:
        user = CongressRoleFactory(congress=congress, role=role).user
    client.force_login(user)

    codes = [
        client.get(_url(name, congress)).status_code
        for name in ["templates", "template_create", "template_preview", "template_preview_pdf"]
    ]

    assert codes == [404, 404, 404, 404]


@pytest.mark.parametrize("count", [1, 5])
def test_template_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for index in range(count):
        category = RegistrationCategoryFactory(congress=congress, name=f"Category {index}")
        BadgeTemplate.objects.create(congress=congress, category=category, name=f"T{index}")
    client.force_login(organiser)

    # session, user, congress, role, templates with categories, categories: 6; the shell's
    # menu reads the user's roles once: 7.
    with django_assert_num_queries(7):
        response = client.get(_url("templates", congress))

    assert len(re.findall(r"<tr><td><a ", response.content.decode())) == count
    assert RegistrationCategory.objects.count() == count

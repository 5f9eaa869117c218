"""Every backoffice page of the demo world congress: no field expects JSON, no help text
mentions JSON, and no link leads to the Django admin (issue 12)."""

import html
import io
import json
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.management import call_command

from congress.demo import DEMO_NETWORK_ADMIN_USERNAME, DEMO_ORGANISER_USERNAME, WORLD_SLUG
from congress.models import Congress, CongressRole
from congress.navigation import Audience, links_for
from members.models import NetworkAdministrator

pytestmark = pytest.mark.django_db

VALUE = re.compile(r'<input[^>]*\bvalue="([^"]*)"', re.S)
TEXTAREA = re.compile(r"<textarea[^>]*>(.*?)</textarea>", re.S)
FORM = re.compile(r"<form\b.*?</form>", re.S)
ADMIN_LINK = re.compile(r'(?:href|action)="([^"]*/admin/[^"]*)"')


def _is_json_structure(text: str) -> bool:
    try:
        return isinstance(json.loads(html.unescape(text)), list | dict)
    except ValueError:
        return False


def _forms_in(context) -> list[forms.BaseForm]:
    found = []
    for layer in context or []:
        for value in layer.values() if isinstance(layer, dict) else []:
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def _problems(url: str, response) -> list[str]:
    body = response.content.decode()
    problems = [f"{url}: links to {link}" for link in ADMIN_LINK.findall(body)]
    for form_html in FORM.findall(body):
        values = VALUE.findall(form_html) + TEXTAREA.findall(form_html)
        problems += [
            f"{url}: a field holds JSON {v[:40]!r}" for v in values if _is_json_structure(v)
        ]
        if re.search(r"\bjson\b", re.sub(r"<[^>]+>", " ", form_html), re.I):
            problems.append(f"{url}: a form mentions JSON")
    for form in _forms_in(response.context):
        for name, field in form.fields.items():
            if isinstance(field, forms.JSONField):
                problems.append(f"{url}: field {name} expects JSON")
            if "json" in str(field.help_text).lower():
                problems.append(f"{url}: help text of {name} mentions JSON")
    return problems


def test_no_backoffice_page_asks_for_json_or_links_to_the_admin(client):
    call_command("demo", "--allow-production", stdout=io.StringIO())
    congress = Congress.objects.get(slug=WORLD_SLUG)
    organiser = get_user_model().objects.get(username=DEMO_ORGANISER_USERNAME)
    for role in CongressRole.Role.values:  # every menu entry, whatever role it needs
        CongressRole.objects.get_or_create(congress=congress, user=organiser, role=role)
    network_admin = get_user_model().objects.get(username=DEMO_NETWORK_ADMIN_USERNAME)
    network = congress.network
    client.force_login(organiser)
    menu = [
        link["url"]
        for link in links_for(audience=Audience.STAFF, congress=congress, user=organiser)
    ]
    visited, problems = [], []

    for url in menu:
        response = client.get(url, follow=True)
        visited.append((url, response.status_code))
        problems += _problems(url, response)
    client.force_login(network_admin)
    for url in (
        "/en/backoffice/",
        f"/en/networks/{network.slug}/congresses/new/",
        f"/en/networks/{network.slug}/organisations/",
        f"/en/networks/{network.slug}/staff/",
    ):
        response = client.get(url)
        visited.append((url, response.status_code))
        problems += _problems(url, response)

    assert problems == []
    assert [url for url, status in visited if status != 200] == []
    assert f"/en/congresses/{WORLD_SLUG}/manage/team/" in menu
    assert len(menu) >= 12


def test_the_demo_network_administrator_is_no_superuser_and_administers_both_networks():
    call_command("demo", "--allow-production", stdout=io.StringIO())

    user = get_user_model().objects.get(username=DEMO_NETWORK_ADMIN_USERNAME)

    assert (user.is_superuser, user.is_staff) == (False, False)
    assert sorted(
        NetworkAdministrator.objects.filter(user=user).values_list("network__slug", flat=True)
    ) == ["asia-pacific-abolitionist-network", "world-abolitionist-coalition"]

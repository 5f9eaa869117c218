import pytest
from django.urls import reverse

from congress.models import Congress, CongressRole, Track
from congress.permissions import congresses_for, has_congress_role
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_congresses_for_organiser_lists_only_their_congress(organiser, congress, other_congress):
    assert list(congresses_for(organiser)) == [congress]


def test_has_congress_role_for_other_congress_is_false(organiser, other_congress):
    assert has_congress_role(organiser, other_congress) is False


def test_has_congress_role_checkin_staff_is_not_organiser(checkin_staff, congress):
    assert has_congress_role(checkin_staff, congress, CongressRole.Role.ORGANISER) is False


def test_has_congress_role_inactive_user_is_false(organiser, congress):
    organiser.is_active = False
    organiser.save()

    assert has_congress_role(organiser, congress) is False


def test_congresses_for_superuser_lists_every_congress(congress, other_congress):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert set(congresses_for(superuser)) == {congress, other_congress}


def test_admin_congress_changelist_shows_only_own_congress(
    client, organiser, congress, other_congress
):
    client.force_login(organiser)

    response = client.get(reverse("admin:congress_congress_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [congress]


def test_admin_change_view_of_other_congress_is_refused(client, organiser, other_congress):
    client.force_login(organiser)

    response = client.get(reverse("admin:congress_congress_change", args=[other_congress.pk]))

    # The admin answers a refused object with a redirect to the index and a message.
    assert response.status_code == 302
    assert Congress.objects.get(pk=other_congress.pk).name == other_congress.name


def test_admin_post_to_other_congress_track_changes_nothing(client, organiser, other_congress):
    track = TrackFactory(congress=other_congress, name="Original")
    client.force_login(organiser)

    response = client.post(
        reverse("admin:congress_track_change", args=[track.pk]),
        {
            "congress": other_congress.pk,
            "slug": track.slug,
            "name": "Hijacked",
            "theme": "media",
            "colour": "#000000",
            "position": 0,
        },
    )

    assert response.status_code in {302, 403}
    assert Track.objects.get(pk=track.pk).name == "Original"


def test_admin_track_form_offers_only_own_congresses(client, organiser, congress, other_congress):
    client.force_login(organiser)

    response = client.get(reverse("admin:congress_track_add"))

    choices = list(response.context["adminform"].form.fields["congress"].queryset)
    assert choices == [congress]


def test_admin_checkin_staff_cannot_open_admin(client, congress):
    door = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    client.force_login(door)

    response = client.get(reverse("admin:congress_congress_changelist"))

    assert response.status_code == 403


def test_manage_page_of_other_congress_is_not_found(client, organiser, other_congress):
    client.force_login(organiser)

    response = client.get(reverse("congress:manage", args=[other_congress.slug]))

    assert response.status_code == 404


def test_manage_page_of_own_congress_shows_dashboard(client, organiser, congress):
    client.force_login(organiser)

    response = client.get(reverse("congress:manage", args=[congress.slug]))

    assert response.status_code == 200
    assert congress.name in response.content.decode()


def test_draft_congress_page_hidden_from_organiser_of_another_congress(client, organiser):
    draft = CongressFactory(status=Congress.Status.DRAFT)
    client.force_login(organiser)

    response = client.get(reverse("congress:detail", args=[draft.slug]))

    assert response.status_code == 404


def test_draft_congress_page_visible_to_its_own_organiser(client):
    draft = CongressFactory(status=Congress.Status.DRAFT, name="Secret Draft Congress")
    user = CongressRoleFactory(congress=draft).user
    client.force_login(user)

    response = client.get(reverse("congress:detail", args=[draft.slug]))

    assert response.status_code == 200
    assert "Secret Draft Congress" in response.content.decode()


def test_admin_own_congress_change_page_lets_organiser_edit_tracks_inline(
    client, organiser, congress
):
    TrackFactory(congress=congress, name="Media track")
    client.force_login(organiser)

    response = client.get(reverse("admin:congress_congress_change", args=[congress.pk]))

    formsets = response.context["inline_admin_formsets"]
    assert [formset.formset.model for formset in formsets] == [Track]
    assert formsets[0].has_add_permission is True
    assert "Media track" in response.content.decode()

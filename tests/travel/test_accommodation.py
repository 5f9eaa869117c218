import datetime
import io

import openpyxl
import pytest

from tests.factories.registrations import RegistrationFactory
from tests.factories.travel import HotelFactory, RoomTypeFactory
from travel import services
from travel.exceptions import NoRoomAvailable
from travel.models import AccommodationRequest, RoomAllocation

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2027, 6, 1)


def _night(day: int) -> datetime.date:
    return JUNE.replace(day=day)


def _request(congress, name, sharing="alone", gender="", share_with="", first=14, last=16):
    registration = RegistrationFactory(congress=congress, person__name=name)
    services.save_accommodation_request(
        registration=registration,
        first_night=_night(first),
        last_night=_night(last),
        sharing=sharing,
        share_with=share_with,
        gender=gender,
    )
    return registration


def _rooms(congress) -> list[list[str]]:
    return sorted(
        sorted(occupant.registration.person.name for occupant in allocation.occupants.all())
        for allocation in RoomAllocation.objects.filter(room_type__hotel__congress=congress)
    )


def test_allocate_room_never_books_more_rooms_than_the_block(congress):
    room_type = RoomTypeFactory(hotel__congress=congress, rooms=1, beds=1)
    first, second = RegistrationFactory.create_batch(2, congress=congress)
    services.allocate_room(
        room_type=room_type, registrations=[first], first_night=_night(14), last_night=_night(15)
    )

    with pytest.raises(NoRoomAvailable):
        services.allocate_room(
            room_type=room_type,
            registrations=[second],
            first_night=_night(15),
            last_night=_night(16),
        )

    assert RoomAllocation.objects.count() == 1


def test_auto_allocate_pairs_by_chosen_gender_and_mutual_names(congress):
    RoomTypeFactory(hotel__congress=congress, name="Double", beds=2, rooms=10)
    RoomTypeFactory(hotel__congress=congress, name="Single", beds=1, rooms=10)
    _request(congress, "Amina", "same_gender", gender="woman")
    _request(congress, "Binta", "same_gender", gender="woman")
    _request(congress, "Carlos", "same_gender", gender="man")
    _request(congress, "Dalia", "named", share_with="Elif")
    _request(congress, "Elif", "named", share_with="dalia")
    _request(congress, "Farid", "alone")

    result = services.auto_allocate_rooms(congress=congress)

    assert (result.allocated, result.unplaced) == (6, 0)
    assert _rooms(congress) == [["Amina", "Binta"], ["Carlos"], ["Dalia", "Elif"], ["Farid"]]


def test_auto_allocate_gives_singles_to_people_alone(congress):
    RoomTypeFactory(
        hotel__congress=congress, name="Double", beds=2, rooms=10, price_per_night_minor=9000
    )
    RoomTypeFactory(
        hotel__congress=congress, name="Single", beds=1, rooms=10, price_per_night_minor=11000
    )
    registration = _request(congress, "Farid", "alone")

    services.auto_allocate_rooms(congress=congress)

    assert registration.room.allocation.room_type.name == "Single"


def test_rooming_list_xlsx_lists_each_room_with_its_occupants(client, organiser, congress):
    hotel = HotelFactory(congress=congress, name="Hôtel du Lac")
    room_type = RoomTypeFactory(hotel=hotel, name="Double", beds=2, price_per_night_minor=12000)
    amina = _request(congress, "Amina", "same_gender", gender="woman")
    binta = _request(congress, "بنتا", "same_gender", gender="woman")
    services.allocate_room(
        room_type=room_type,
        registrations=[amina, binta],
        first_night=_night(14),
        last_night=_night(16),
    )
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/manage/travel/accommodation/{hotel.pk}/rooming.xlsx"
    )

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows == [
        ("Room", "Occupants", "First night", "Last night", "Nights", "Price"),
        ("Double 1", "Amina, بنتا", "06/14/2027", "06/16/2027", 3, "€360.00"),
    ]


def test_rooming_list_pdf_has_the_arabic_name(client, organiser, congress, pdf_text):
    hotel = HotelFactory(congress=congress)
    room_type = RoomTypeFactory(hotel=hotel)
    person = _request(congress, "بنتا")
    services.allocate_room(
        room_type=room_type, registrations=[person], first_night=_night(14), last_night=_night(15)
    )
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/manage/travel/accommodation/{hotel.pk}/rooming.pdf"
    )

    assert response["Content-Type"] == "application/pdf"
    assert "بنتا" in pdf_text(response.content)


def test_same_gender_sharing_needs_a_gender(client, congress):
    from travel.forms import AccommodationForm

    form = AccommodationForm(
        data={"first_night": "2027-06-14", "last_night": "2027-06-16", "sharing": "same_gender"}
    )

    assert not form.is_valid()
    assert form.errors["gender"] == ["Tell us your gender to share with someone of your gender."]
    assert AccommodationRequest.objects.count() == 0

"""Demo registrations: categories, fees by country group, vouchers, questions and a few
hundred registrations of the world congress in every status (card payments simulated,
bank transfers, waivers), a group registration and a visa-letter request.

Idempotent: configuration uses natural keys (get_or_create) and the bulk registrations are
created only when the first demo registrant is absent.
"""

import datetime
import random
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from congress.demo import DEMO_ORGANISER_USERNAME, REGIONAL_SLUG, WORLD_SLUG
from congress.models import Congress
from members.models import Organisation, Person
from registrations import services
from registrations.exceptions import EncryptionNotConfigured
from registrations.models import (
    CountryGroup,
    FeeRule,
    Payment,
    Question,
    Registration,
    RegistrationCategory,
    RegistrationSettings,
    Voucher,
)

UTC = datetime.UTC
CATEGORIES = [
    # code, kind, name, fr, ar, capacity, requires approval, (standard, early, member) in cents
    (
        "participant",
        "participant",
        "Participant",
        "Participant",
        "مشارك",
        400,
        False,
        (35000, 28000, 22000),
    ),
    (
        "delegate",
        "delegate",
        "Member-organisation delegate",
        "Délégué d'organisation membre",
        "مندوب منظمة عضو",
        200,
        False,
        (25000, 20000, 15000),
    ),
    ("speaker", "speaker", "Speaker", "Intervenant", "متحدث", 80, False, None),
    ("press", "press", "Press", "Presse", "صحافة", 40, True, None),
    ("observer", "observer", "Observer", "Observateur", "مراقب", 30, True, (15000, None, None)),
    ("staff", "staff", "Staff", "Équipe", "فريق العمل", None, False, None),
    ("volunteer", "volunteer", "Volunteer", "Bénévole", "متطوع", 20, False, None),
]
COUNTRY_GROUPS = [
    ("high", "High income", ["FR", "CH", "US", "JP", "KR", "TW", "SG", "IT"], 1.0),
    (
        "middle",
        "Middle income",
        ["TN", "MA", "JO", "LB", "MY", "ID", "PH", "AR", "KZ", "IR", "UA", "RU", "VN", "IN"],
        0.5,
    ),
    ("low", "Low income", ["NG", "KE", "UG", "CI", "CD", "BD", "PK"], 0.25),
]
FIRST_NAMES = [
    "Amina",
    "Youssef",
    "Layla",
    "Chidi",
    "Wanjiru",
    "Aïcha",
    "Sarah",
    "María",
    "Rahim",
    "Ananya",
    "Sara",
    "Jean",
    "Olena",
    "Dmitri",
    "Mei",
    "Hiro",
    "Min-jun",
    "Lan",
    "Siti",
    "Kofi",
    "Fatou",
    "Omar",
    "Nour",
    "Lucía",
    "Pierre",
    "Élodie",
    "Tomás",
    "Ngozi",
    "Farid",
]
LAST_NAMES = [
    "Ben Salem",
    "El Alami",
    "Haddad",
    "Okonkwo",
    "Kamau",
    "Kouassi",
    "Thompson",
    "Quiñones",
    "Chowdhury",
    "Iyer",
    "Shah",
    "Mukendi",
    "Kovalenko",
    "Ivanov",
    "Lin",
    "Yamada",
    "Kim",
    "Nguyễn",
    "Ahmad",
    "Mensah",
    "Diop",
    "Rahman",
    "Saleh",
    "Fernández",
    "Martin",
    "Lefèvre",
]
QUESTIONS = [
    ("dietary", "Dietary needs", "Régime alimentaire", "الاحتياجات الغذائية", "text", []),
    (
        "accessibility",
        "Accessibility needs",
        "Besoins d'accessibilité",
        "احتياجات الوصول",
        "long_text",
        [],
    ),
    (
        "interpretation",
        "Interpretation language",
        "Langue d'interprétation",
        "لغة الترجمة الفورية",
        "choice",
        [
            {"value": code, "label": label}
            for code, label in (
                ("en", "English"),
                ("fr", "Français"),
                ("ar", "العربية"),
                ("es", "Español"),
            )
        ],
    ),
    ("arrival", "Arrival date", "Date d'arrivée", "تاريخ الوصول", "date", []),
    (
        "emergency_contact",
        "Emergency contact (name and phone)",
        "Contact d'urgence",
        "جهة الاتصال في حالات الطوارئ",
        "text",
        [],
    ),
]


def _configure(congress: Congress) -> dict[str, RegistrationCategory]:
    RegistrationSettings.objects.get_or_create(
        congress=congress,
        defaults={
            "bank_account_holder": "Ensemble contre la peine de mort",
            "bank_iban": "FR76 3000 4000 0500 0012 3456 789",
            "bank_bic": "BNPAFRPPXXX",
            "letterhead": "Ensemble contre la peine de mort\n62 bis avenue Parmentier, Paris",
            "letter_signatory": "Raphaël Chenuil-Hazan, Executive Director",
            "full_refund_until": datetime.datetime(2027, 4, 30, tzinfo=UTC),
            "partial_refund_until": datetime.datetime(2027, 5, 31, tzinfo=UTC),
        },
    )
    groups = {}
    for code, name, countries, _factor in COUNTRY_GROUPS:
        groups[code], _created = CountryGroup.objects.get_or_create(
            congress=congress, code=code, defaults={"name": name, "countries": countries}
        )
    categories = {}
    for position, (code, kind, name, fr, ar, capacity, approval, fees) in enumerate(CATEGORIES):
        category, _created = RegistrationCategory.objects.get_or_create(
            congress=congress,
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "name_translations": {"fr": fr, "ar": ar},
                "capacity": capacity,
                "requires_approval": approval,
                "position": position,
            },
        )
        categories[code] = category
        if fees is None:
            continue
        standard, early, member = fees
        early_until = datetime.datetime(2027, 3, 1, tzinfo=UTC) if early else None
        FeeRule.objects.get_or_create(
            category=category,
            country_group=None,
            is_member_rate=False,
            defaults={
                "amount_minor": standard,
                "early_bird_amount_minor": early,
                "early_bird_until": early_until,
            },
        )
        if member:
            FeeRule.objects.get_or_create(
                category=category,
                country_group=None,
                is_member_rate=True,
                defaults={"amount_minor": member},
            )
        for code_group, _name, _countries, factor in COUNTRY_GROUPS[1:]:
            FeeRule.objects.get_or_create(
                category=category,
                country_group=groups[code_group],
                is_member_rate=False,
                defaults={"amount_minor": int(standard * factor)},
            )
    Voucher.objects.get_or_create(
        congress=congress,
        code="SCHOLARSHIP2027",
        defaults={"kind": Voucher.Kind.WAIVER, "usage_limit": 60},
    )
    Voucher.objects.get_or_create(
        congress=congress,
        code="SOLIDARITY25",
        defaults={"kind": Voucher.Kind.PERCENT, "value": 25, "usage_limit": 100},
    )
    ecpm = Organisation.objects.filter(acronym="ECPM").first()
    Voucher.objects.get_or_create(
        congress=congress,
        code="ECPM-TEAM",
        defaults={"kind": Voucher.Kind.WAIVER, "organisation": ecpm},
    )
    for position, (code, label, fr, ar, kind, choices) in enumerate(QUESTIONS):
        Question.objects.get_or_create(
            congress=congress,
            code=code,
            defaults={
                "label": label,
                "label_translations": {"fr": fr, "ar": ar},
                "kind": kind,
                "choices": choices,
                "position": position,
            },
        )
    return categories


def _register(congress, category, person_details, *, method, voucher="", at):
    try:
        return services.register_participant(
            congress=congress,
            category=category,
            details=person_details,
            payment_method=method,
            voucher_code=voucher,
            by_organiser=True,
            now=at,
            send_email=False,
        ).registration
    except services_errors() as error:  # a demo voucher used up: register without it
        if voucher:
            return _register(congress, category, person_details, method=method, at=at)
        raise error


def services_errors():
    from registrations.exceptions import InvalidVoucher, VoucherExhausted

    return (InvalidVoucher, VoucherExhausted)


def _simulate_card_payment(registration: Registration, index: int) -> None:
    """A card payment as Stripe would settle it, without calling Stripe."""
    from django.db import transaction

    from registrations.services.payments import apply_payment_locked

    with transaction.atomic():
        payment = Payment.objects.create(
            congress=registration.congress,
            registration=registration,
            method=Payment.Method.CARD,
            status=Payment.Status.SUCCEEDED,
            amount_minor=registration.amount_outstanding_minor,
            currency=registration.currency,
            stripe_checkout_session_id=f"cs_demo_{registration.pk}",
            stripe_payment_intent_id=f"pi_demo_{registration.pk}",
            settled_at=timezone.now(),
        )
        apply_payment_locked(payment, now=timezone.now())


def _bulk_registrations(congress, categories, organiser, stdout) -> None:
    rng = random.Random(2027)
    organisations = list(Organisation.objects.order_by("pk"))
    start = datetime.datetime(2026, 12, 1, 9, tzinfo=UTC)
    # The core demo's people register first, confirmed, so every later page has them.
    for index, person in enumerate(
        Person.objects.filter(email__endswith="@example.org")
        .exclude(email__startswith="demo-")
        .order_by("pk")
    ):
        details = services.RegistrantDetails(
            email=person.email,
            name=person.name,
            language=person.preferred_language,
            organisation=person.organisation,
            country=person.country.code or "",
            answers={"interpretation": person.preferred_language},
            list_visibility=Registration.ListVisibility.PARTICIPANTS,
        )
        category = categories["speaker" if index % 4 == 0 else "delegate"]
        registration = _register(
            congress,
            category,
            details,
            method="transfer",
            at=start + datetime.timedelta(hours=index),
        )
        if registration.status == Registration.Status.PENDING_PAYMENT:
            services.mark_transfer_received(registration=registration, actor=organiser)
    weights = [
        ("participant", 60),
        ("delegate", 15),
        ("press", 6),
        ("observer", 5),
        ("staff", 4),
        ("volunteer", 10),
    ]
    codes = [code for code, weight in weights for _ in range(weight)]
    for index in range(1, 301):
        organisation = rng.choice(organisations) if rng.random() < 0.8 else None
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country = organisation.country.code if organisation else rng.choice(["FR", "NG", "TN"])
        details = services.RegistrantDetails(
            email=f"demo-{index:04d}@example.org",
            name=f"{first} {last}",
            latin_name=f"{first} {last}",
            country=country,
            organisation=organisation,
            language=rng.choice(["en", "fr", "ar"]),
            answers={
                "dietary": rng.choice(["", "vegetarian", "halal", "vegan"]),
                "interpretation": rng.choice(["en", "fr", "ar", "es"]),
            },
            list_visibility=rng.choice(Registration.ListVisibility.values),
        )
        roll = rng.random()
        voucher = "SCHOLARSHIP2027" if roll < 0.12 else "SOLIDARITY25" if roll < 0.2 else ""
        method = "card" if rng.random() < 0.5 else "transfer"
        at = start + datetime.timedelta(hours=6 * index)
        registration = _register(
            congress,
            categories[rng.choice(codes)],
            details,
            method="transfer",
            voucher=voucher,
            at=at,
        )
        registration.payment_method = method
        registration.save(update_fields=["payment_method"])
        _advance(registration, rng, organiser, index)
    stdout.write("  300 demo registrations\n")


def _advance(registration: Registration, rng: random.Random, organiser, index: int) -> None:
    status = registration.status
    roll = rng.random()
    if status == Registration.Status.PENDING_APPROVAL and roll < 0.6:
        registration = services.approve_registration(registration=registration, actor=organiser)
        status = registration.status
    elif status == Registration.Status.PENDING_APPROVAL and roll < 0.75:
        services.reject_registration(registration=registration, actor=organiser)
        return
    if status == Registration.Status.PENDING_PAYMENT and roll < 0.75:
        if registration.payment_method == "card":
            _simulate_card_payment(registration, index)
        else:
            services.mark_transfer_received(registration=registration, actor=organiser)
        registration.refresh_from_db()
    if registration.is_active and roll > 0.95:
        services.cancel_registration(registration=registration, actor=organiser)


def _group_and_visa(congress, categories, organiser, stdout) -> None:
    organisation = Organisation.objects.filter(acronym="KHRC").first()
    if (
        organisation is not None
        and not Registration.objects.filter(
            congress=congress, group__organisation=organisation
        ).exists()
    ):
        result = services.register_group(
            congress=congress,
            category=categories["delegate"],
            organisation=organisation,
            contact=services.RegistrantDetails(email="wanjiru@example.org", name="Wanjiru Kamau"),
            delegates=[
                services.RegistrantDetails(
                    email=f"khrc-delegate-{n}@example.org",
                    name=name,
                    latin_name=name,
                    country=country,
                )
                for n, (name, country) in enumerate(
                    [("Otieno Odhiambo", "KE"), ("Achieng Atieno", "UG"), ("Mwangi Njoroge", "KE")]
                )
            ],
            payment_method="transfer",
            send_email=False,
        )
        services.record_payment(
            group=result.group,
            amount_minor=sum(
                item.registration.amount_outstanding_minor for item in result.outcomes
            ),
            currency=congress.currency,
            method="transfer",
            actor=organiser,
        )
        stdout.write("  a group registration (3 delegates of KHRC)\n")
    registration = Registration.objects.filter(
        congress=congress, person__email="amina@example.org"
    ).first()
    if registration is not None and not hasattr(registration, "visa_request"):
        try:
            visa = services.request_visa_letter(
                registration=registration,
                passport={
                    "full_name": "AMINA BEN SALEM",
                    "nationality": "TN",
                    "passport_number": "Z0000000",
                    "date_of_birth": "1984-05-12",
                    "expires_on": "2031-09-30",
                },
            )
        except EncryptionNotConfigured:
            stdout.write("  visa request skipped: set FIELD_ENCRYPTION_KEYS\n")
            return
        services.approve_visa_letter(visa=visa, actor=organiser)
        stdout.write("  an approved visa invitation letter\n")


def load_registrations_demo(stdout: TextIO) -> None:
    congress = Congress.objects.filter(slug=WORLD_SLUG).first()
    if congress is None:
        return
    categories = _configure(congress)
    regional = Congress.objects.filter(slug=REGIONAL_SLUG).first()
    if regional is not None:
        _configure(regional)
    organiser = get_user_model().objects.filter(username=DEMO_ORGANISER_USERNAME).first()
    if not Person.objects.filter(email="demo-0001@example.org").exists():
        _bulk_registrations(congress, categories, organiser, stdout)
    _group_and_visa(congress, categories, organiser, stdout)

"""Core demo data: networks, ~40 member organisations from ~20 countries, people whose names
are written in Latin (with diacritics), Arabic, Persian, Cyrillic, Chinese, Japanese, Korean
and Vietnamese scripts, a world congress with five thematic tracks, a regional congress and
an organiser account. Everything is keyed by natural keys so a second run changes nothing."""

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model

from congress.models import Congress, CongressRole, Track, Venue
from members.models import Membership, Network, NetworkAdministrator, Organisation, Person

DEMO_ORGANISER_USERNAME = "organiser"
DEMO_ORGANISER_PASSWORD = "congress-demo-2026"
DEMO_CHECKIN_USERNAME = "door"
DEMO_REVIEWER_USERNAME = "reviewer"
# Administers both demo networks: creates congresses, manages member organisations. Not a
# superuser (the Django admin stays for the site's operators).
DEMO_NETWORK_ADMIN_USERNAME = "network-admin"
WORLD_SLUG = "world-congress-2027"
REGIONAL_SLUG = "asia-pacific-regional-2027"

K = Organisation.Kind
ORGANISATIONS = [
    # (name, acronym, kind, country, member of the world network)
    ("Ensemble contre la peine de mort", "ECPM", K.NGO, "FR", True),
    ("Ordre des avocats de Paris — Commission droits humains", "", K.BAR_ASSOCIATION, "FR", True),
    ("Ligue des droits de l'Homme de Lyon", "LDH-Lyon", K.NGO, "FR", False),
    ("Coalition tunisienne contre la peine de mort", "CTCPM", K.NGO, "TN", True),
    ("Association des juristes tunisiens", "AJT", K.BAR_ASSOCIATION, "TN", True),
    ("Organisation marocaine des droits humains", "OMDH", K.NGO, "MA", True),
    (
        "Réseau des parlementaires marocains contre la peine de mort",
        "",
        K.PARLIAMENTARIANS_NETWORK,
        "MA",
        True,
    ),
    ("Amman Center for Human Rights Studies", "ACHRS", K.NGO, "JO", True),
    ("Lebanese Association for Civil Rights", "LACR", K.NGO, "LB", True),
    ("Justice Project Pakistan", "JPP", K.NGO, "PK", True),
    ("Lahore University Human Rights Clinic", "", K.UNIVERSITY, "PK", False),
    ("Iran Human Rights Defenders Forum", "IHRDF", K.NGO, "IR", True),
    ("Kazakhstan Bureau for Human Rights", "KIBHR", K.NGO, "KZ", True),
    ("Moscow Helsinki Group Alumni", "", K.NGO, "RU", False),
    ("Ukrainian Helsinki Human Rights Union", "UHHRU", K.NGO, "UA", True),
    ("Taiwan Alliance to End the Death Penalty", "TAEDP", K.NGO, "TW", True),
    ("Center for Prisoners' Rights Japan", "CPR", K.NGO, "JP", True),
    (
        "Japan Federation of Bar Associations — Death Penalty Committee",
        "JFBA",
        K.BAR_ASSOCIATION,
        "JP",
        True,
    ),
    ("Korean Coalition against the Death Penalty", "KCADP", K.NGO, "KR", True),
    ("Seoul Human Rights Media", "", K.MEDIA, "KR", False),
    ("Vietnam Legal Aid Network", "VLAN", K.NGO, "VN", True),
    ("Malaysians Against Death Penalty and Torture", "MADPET", K.NGO, "MY", True),
    ("Kuala Lumpur Bar Committee", "", K.BAR_ASSOCIATION, "MY", True),
    ("Transformative Justice Collective", "TJC", K.NGO, "SG", True),
    ("KontraS", "KontraS", K.NGO, "ID", True),
    ("Free Legal Assistance Group", "FLAG", K.BAR_ASSOCIATION, "PH", True),
    ("Bangladesh Legal Aid and Services Trust", "BLAST", K.NGO, "BD", True),
    ("Death Penalty India Network", "", K.UNIVERSITY, "IN", True),
    ("Legal Awareness Watch", "LAW", K.NGO, "NG", True),
    ("Nigerian Union of Journalists — Rights Desk", "", K.UNION, "NG", False),
    ("Kenya Human Rights Commission", "KHRC", K.NGO, "KE", True),
    ("Uganda Law Society", "ULS", K.BAR_ASSOCIATION, "UG", True),
    ("Foundation for Human Rights Initiative", "FHRI", K.NGO, "UG", True),
    ("Ligue ivoirienne des droits de l'Homme", "LIDHO", K.NGO, "CI", True),
    ("Conseil national des droits de l'Homme — RDC", "", K.INSTITUTION, "CD", True),
    ("Witness to Innocence", "WTI", K.NGO, "US", True),
    ("Death Penalty Information Center", "DPIC", K.NGO, "US", False),
    ("Texas Coalition to Abolish the Death Penalty", "TCADP", K.NGO, "US", True),
    ("Ville de Genève — Solidarité internationale", "", K.LOCAL_AUTHORITY, "CH", False),
    ("Comunità di Sant'Egidio", "", K.NGO, "IT", True),
    ("Centro de Estudios Legales y Sociales", "CELS", K.NGO, "AR", True),
]

PEOPLE = [
    # (own-script name, Latin-script name, email, organisation key, country, language)
    ("Raphaëlle Ménétrier", "Raphaëlle Ménétrier", "raphaelle@example.org", "ECPM", "FR", "fr"),
    ("Zoë Lefèvre-Nguyễn", "Zoë Lefèvre-Nguyễn", "zoe@example.org", "LDH-Lyon", "FR", "fr"),
    ("أمينة بن سالم", "Amina Ben Salem", "amina@example.org", "CTCPM", "TN", "ar"),
    ("يوسف العلمي", "Youssef El Alami", "youssef@example.org", "OMDH", "MA", "ar"),
    ("ليلى حداد", "Layla Haddad", "layla@example.org", "ACHRS", "JO", "ar"),
    ("مریم رضایی", "Maryam Rezaei", "maryam@example.org", "IHRDF", "IR", "en"),
    ("محمد حسین کریمی", "Mohammad Hossein Karimi", "karimi@example.org", "IHRDF", "IR", "en"),
    ("Сауле Ахметова", "Saule Akhmetova", "saule@example.org", "KIBHR", "KZ", "en"),
    ("Олександр Коваленко", "Oleksandr Kovalenko", "oleksandr@example.org", "UHHRU", "UA", "en"),
    ("林怡君", "Lin Yi-chun", "lin@example.org", "TAEDP", "TW", "en"),
    ("山田花子", "Yamada Hanako", "yamada@example.org", "CPR", "JP", "en"),
    ("김민준", "Kim Min-jun", "minjun@example.org", "KCADP", "KR", "en"),
    ("Nguyễn Thị Lan", "Nguyễn Thị Lan", "lan@example.org", "VLAN", "VN", "en"),
    (
        "Siti Nurhaliza binti Ahmad",
        "Siti Nurhaliza binti Ahmad",
        "siti@example.org",
        "MADPET",
        "MY",
        "en",
    ),
    ("Chidi Okonkwo", "Chidi Okonkwo", "chidi@example.org", "LAW", "NG", "en"),
    ("Wanjiru Kamau", "Wanjiru Kamau", "wanjiru@example.org", "KHRC", "KE", "en"),
    ("Aïcha Kouassi", "Aïcha Kouassi", "aicha@example.org", "LIDHO", "CI", "fr"),
    ("Fatima Zahra Bennani", "Fatima Zahra Bennani", "fatima@example.org", "OMDH", "MA", "fr"),
    ("Sarah Thompson", "Sarah Thompson", "sarah@example.org", "WTI", "US", "en"),
    ("María José Quiñones", "María José Quiñones", "mariajose@example.org", "CELS", "AR", "en"),
    ("Rahim Chowdhury", "Rahim Chowdhury", "rahim@example.org", "BLAST", "BD", "en"),
    ("Ananya Iyer", "Ananya Iyer", "ananya@example.org", "Death Penalty India Network", "IN", "en"),
    ("Sara Shah", "Sara Shah", "sara@example.org", "JPP", "PK", "en"),
    (
        "Jean-Baptiste Mukendi",
        "Jean-Baptiste Mukendi",
        "jb@example.org",
        "Conseil national des droits de l'Homme — RDC",
        "CD",
        "fr",
    ),
]

TRACKS = [
    (
        "counter-terrorism",
        "Counter-terrorism and the death penalty",
        {"fr": "Antiterrorisme et peine de mort", "ar": "مكافحة الإرهاب وعقوبة الإعدام"},
        Track.Theme.COUNTER_TERRORISM,
        "#8c2f39",
    ),
    (
        "drug-policy",
        "Drug policy and capital punishment",
        {"fr": "Politique des drogues et peine capitale", "ar": "سياسات المخدرات والعقوبة القصوى"},
        Track.Theme.DRUG_POLICY,
        "#1f6f8b",
    ),
    (
        "mental-illness",
        "Mental illness and intellectual disability",
        {
            "fr": "Maladie mentale et déficience intellectuelle",
            "ar": "المرض العقلي والإعاقة الذهنية",
        },
        Track.Theme.MENTAL_ILLNESS,
        "#5b3f8c",
    ),
    (
        "media",
        "Media, narratives and public opinion",
        {"fr": "Médias, récits et opinion publique", "ar": "الإعلام والسرديات والرأي العام"},
        Track.Theme.MEDIA,
        "#2e6b34",
    ),
    (
        "migrants-minorities",
        "Migrants and minorities on death row",
        {
            "fr": "Migrants et minorités dans le couloir de la mort",
            "ar": "المهاجرون والأقليات في انتظار الإعدام",
        },
        Track.Theme.MIGRANTS_AND_MINORITIES,
        "#a35c00",
    ),
]


def _organisations(world: Network, regional: Network) -> dict[str, Organisation]:
    by_key = {}
    asia_pacific = {"TW", "JP", "KR", "VN", "MY", "SG", "ID", "PH", "BD", "IN", "PK"}
    for name, acronym, kind, country, is_member in ORGANISATIONS:
        organisation, _created = Organisation.objects.get_or_create(
            name=name, country=country, defaults={"acronym": acronym, "kind": kind}
        )
        by_key[acronym or name] = organisation
        if is_member:
            Membership.objects.get_or_create(
                organisation=organisation,
                network=world,
                status=Membership.Status.ACTIVE,
                defaults={"joined_on": datetime.date(2015, 6, 1)},
            )
            if country in asia_pacific:
                Membership.objects.get_or_create(
                    organisation=organisation,
                    network=regional,
                    status=Membership.Status.ACTIVE,
                    defaults={"joined_on": datetime.date(2019, 1, 15)},
                )
    return by_key


def _people(organisations: dict[str, Organisation]) -> None:
    for name, latin_name, email, organisation_key, country, language in PEOPLE:
        Person.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "latin_name": latin_name,
                "organisation": organisations[organisation_key],
                "country": country,
                "preferred_language": language,
            },
        )


def _staff_user(username: str, email: str, *, is_staff: bool = True):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": is_staff}
    )
    if created:
        user.set_password(DEMO_ORGANISER_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load_core_demo(stdout: TextIO) -> None:
    world_network, _created = Network.objects.get_or_create(
        slug="world-abolitionist-coalition",
        defaults={"name": "World Abolitionist Coalition", "scope": Network.Scope.WORLD},
    )
    regional_network, _created = Network.objects.get_or_create(
        slug="asia-pacific-abolitionist-network",
        defaults={"name": "Asia-Pacific Abolitionist Network", "scope": Network.Scope.REGIONAL},
    )
    organisations = _organisations(world_network, regional_network)
    _people(organisations)

    venue, _created = Venue.objects.get_or_create(
        name="Palais des congrès de Strasbourg",
        defaults={"address": "Place de Bordeaux", "city": "Strasbourg", "country": "FR"},
    )
    world, _created = Congress.objects.get_or_create(
        slug=WORLD_SLUG,
        defaults={
            "name": "9th World Congress against the Death Penalty",
            "name_translations": {
                "fr": "9e Congrès mondial contre la peine de mort",
                "ar": "المؤتمر العالمي التاسع لمناهضة عقوبة الإعدام",
            },
            "description": (
                "Three days of plenaries, thematic training tracks and side events bringing "
                "together abolitionists from more than fifty countries."
            ),
            "description_translations": {
                "fr": (
                    "Trois jours de plénières, de formations thématiques et d'événements "
                    "parallèles réunissant des abolitionnistes de plus de cinquante pays."
                ),
                "ar": (
                    "ثلاثة أيام من الجلسات العامة ومسارات التدريب المواضيعية والفعاليات الجانبية "
                    "تجمع مناهضي عقوبة الإعدام من أكثر من خمسين دولة."
                ),
            },
            "kind": Congress.Kind.WORLD,
            "edition": 9,
            "starts_on": datetime.date(2027, 6, 15),
            "ends_on": datetime.date(2027, 6, 17),
            "timezone": "Europe/Paris",
            "venue": venue,
            "city": "Strasbourg",
            "country": "FR",
            "working_languages": ["en", "fr", "ar", "es"],
            "currency": "EUR",
            "status": Congress.Status.PUBLISHED,
            "organiser": organisations["ECPM"],
            "network": world_network,
        },
    )
    for position, (slug, name, translations, theme, colour) in enumerate(TRACKS):
        Track.objects.get_or_create(
            congress=world,
            slug=slug,
            defaults={
                "name": name,
                "name_translations": translations,
                "theme": theme,
                "colour": colour,
                "position": position,
            },
        )

    regional, _created = Congress.objects.get_or_create(
        slug=REGIONAL_SLUG,
        defaults={
            "name": "Asia-Pacific Regional Congress against the Death Penalty",
            "name_translations": {
                "fr": "Congrès régional Asie-Pacifique contre la peine de mort",
                "ar": "المؤتمر الإقليمي لآسيا والمحيط الهادئ لمناهضة عقوبة الإعدام",
            },
            "description": "Two days on drug policy and fair trial in the Asia-Pacific region.",
            "kind": Congress.Kind.REGIONAL,
            "edition": 3,
            "starts_on": datetime.date(2027, 3, 10),
            "ends_on": datetime.date(2027, 3, 11),
            "timezone": "Asia/Kuala_Lumpur",
            "city": "Kuala Lumpur",
            "country": "MY",
            "working_languages": ["en"],
            "currency": "MYR",
            "status": Congress.Status.PUBLISHED,
            "organiser": organisations["MADPET"],
            "network": regional_network,
        },
    )
    Track.objects.get_or_create(
        congress=regional,
        slug="drug-policy",
        defaults={
            "name": "Drug policy and capital punishment",
            "name_translations": TRACKS[1][2],
            "theme": Track.Theme.DRUG_POLICY,
            "colour": TRACKS[1][4],
        },
    )

    organiser = _staff_user(DEMO_ORGANISER_USERNAME, "organiser@example.org")
    for congress in (world, regional):
        CongressRole.objects.get_or_create(
            congress=congress, user=organiser, role=CongressRole.Role.ORGANISER
        )
    door = _staff_user(DEMO_CHECKIN_USERNAME, "door@example.org", is_staff=False)
    CongressRole.objects.get_or_create(
        congress=world, user=door, role=CongressRole.Role.CHECKIN_STAFF
    )
    reviewer = _staff_user(DEMO_REVIEWER_USERNAME, "reviewer@example.org", is_staff=False)
    CongressRole.objects.get_or_create(
        congress=world, user=reviewer, role=CongressRole.Role.REVIEWER
    )
    network_admin = _staff_user(
        DEMO_NETWORK_ADMIN_USERNAME, "network-admin@example.org", is_staff=False
    )
    for network in (world_network, regional_network):
        NetworkAdministrator.objects.get_or_create(network=network, user=network_admin)

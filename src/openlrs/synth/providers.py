"""Synthetic learning providers for tests, the demo and benchmarks: realistic, deterministic, never
real (colleges named after real post towns, training companies after common family names)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.providers.provider import Address, Contact, LegalStatus, ProviderDetails
from openlrs.synth.reference import districts, family_names

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_ADJECTIVES = [
    "Acorn",
    "Apex",
    "Beacon",
    "Bright",
    "Blue",
    "Cedar",
    "Clear",
    "Crown",
    "Evergreen",
    "First",
    "Forward",
    "Golden",
    "Green",
    "Harbour",
    "Horizon",
    "Keystone",
    "Lakeside",
    "Liberty",
    "Meridian",
    "New",
    "North",
    "Oak",
    "Open",
    "Pathway",
    "Phoenix",
    "Pinnacle",
    "Prime",
    "Quest",
    "Rainbow",
    "Red",
    "Rise",
    "Riverside",
    "Silver",
    "Skyline",
    "Spring",
    "Star",
    "Summit",
    "Sunrise",
    "True",
    "Unity",
    "Vista",
    "West",
    "Willow",
]
_FIELDS = [
    "Care",
    "Construction",
    "Digital",
    "Engineering",
    "Hair",
    "Beauty",
    "Hospitality",
    "Logistics",
    "Business",
    "Health",
    "Accountancy",
    "Childcare",
    "Catering",
    "Automotive",
    "Retail",
    "Security",
    "Media",
    "Sport",
    "Creative",
    "Energy",
    "Manufacturing",
    "Customer",
    "Service",
    "Leadership",
    "Management",
    "IT",
    "Software",
    "Data",
    "Finance",
    "Rail",
    "Maritime",
]
_TRAINING = ("Training", "Skills", "Learning", "Education", "Apprenticeships", "Academy")
_COMPANY_SUFFIXES = ("Ltd", "Limited", "Ltd", "LLP", "CIC")


class _ProviderMaker:
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._districts = districts()
        self._families = family_names()[:400]
        self._numbers: set[str] = set()

    def _number(self, digits: int, prefix: str = "") -> str:
        while True:
            number = prefix + "".join(self._rng.choices("0123456789", k=digits))
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def _name(self, town: str) -> tuple[str, OrgType, LegalStatus]:
        rng = self._rng
        roll = rng.random()
        if roll < 0.12:
            kind = rng.choice(("College", "Sixth Form College", "College of Further Education"))
            return f"{town} {kind}", OrgType.COLLEGE, LegalStatus.PUBLIC_BODY
        if roll < 0.22:
            school = rng.choice(("Academy", "High School", "School", "Grammar School"))
            return (
                f"{rng.choice(_ADJECTIVES)} {town} {school}",
                OrgType.SCHOOL,
                LegalStatus.CHARITABLE_COMPANY,
            )
        if roll < 0.32:
            trust = rng.choice(("Learning Trust", "Education Trust", "Community Learning"))
            return (
                f"{rng.choice(_ADJECTIVES)} {trust}",
                OrgType.TRAINING_PROVIDER,
                LegalStatus.CHARITY,
            )
        if roll < 0.37:
            return f"{town} City Council", OrgType.LOCAL_AUTHORITY, LegalStatus.PUBLIC_BODY
        family = rng.choice(self._families)
        words = [
            rng.choice(
                (family, rng.choice(_ADJECTIVES), f"{family} & {rng.choice(self._families)}")
            )
        ]
        if rng.random() < 0.6:
            words.append(rng.choice(_FIELDS))
        words.append(rng.choice(_TRAINING))
        if rng.random() < 0.3:
            words.append(rng.choice(("Services", "Solutions", "Group", "Partners", "UK")))
        suffix = rng.choice(_COMPANY_SUFFIXES)
        status = LegalStatus.LLP if suffix == "LLP" else LegalStatus.COMPANY
        return " ".join([*words, suffix]), OrgType.TRAINING_PROVIDER, status

    def make(self) -> ProviderDetails:
        rng = self._rng
        district = rng.choices(self._districts, weights=[d.weight for d in self._districts])[0]
        name, org_type, legal_status = self._name(district.town)
        company = charity = None
        if legal_status in (LegalStatus.COMPANY, LegalStatus.CHARITABLE_COMPANY):
            company = self._number(8)
        if legal_status is LegalStatus.LLP:
            company = self._number(6, "OC")
        if legal_status in (LegalStatus.CHARITY, LegalStatus.CHARITABLE_COMPANY):
            charity = self._number(7, "1")
        trading: tuple[str, ...] = ()
        if rng.random() < 0.3:
            short = name.split(" Ltd")[0].split(" Limited")[0]
            trading = (f"{short.split()[0]} {rng.choice(_TRAINING)}",)
        family = rng.choice(self._families)
        postcode = (
            f"{district.outward} {rng.randrange(10)}{''.join(rng.choices(_INWARD_LETTERS, k=2))}"
        )
        slug = "".join(c for c in name.lower() if c.isalnum())[:30]
        return ProviderDetails(
            legal_name=name,
            provider_type=org_type,
            legal_status=legal_status,
            contact=Contact(f"Sam {family}", f"sam.{family.lower()}@{slug}.example", None),
            address=Address(
                f"{rng.randrange(1, 300)} {rng.choice(_ADJECTIVES)} Road", district.town, postcode
            ),
            trading_names=trading,
            company_number=company,
            charity_number=charity,
            website=f"https://www.{slug}.example",
        )


def generate_providers(count: int, *, seed: int) -> Iterator[ProviderDetails]:
    """`count` valid providers' details, the same for the same seed."""
    maker = _ProviderMaker(seed)
    for _ in range(count):
        yield maker.make()

"""Apply for a UKPRN: anyone may, without signing in; the application waits for the service desk."""

from __future__ import annotations

import secrets

from openlrs.domain.providers.provider import Provider, ProviderDetails, application_reference
from openlrs.domain.providers.rules import validated_details
from openlrs.services.ports import UnitOfWork

APPLICANT = "applicant"


def apply_for_ukprn(details: ProviderDetails, *, uow: UnitOfWork) -> Provider:
    """Validate the details (all problems at once) and store the application as `applied`.

    Duplicates are not refused here: the desk sees them, with reasons, when it verifies."""
    clean = validated_details(details)
    reference = application_reference(secrets.token_bytes(8))
    with uow:
        uow.providers.lock()
        stored = uow.providers.add(
            Provider(reference=reference, details=clean), changed_by=APPLICANT, reason="application"
        )
        uow.commit()
    return stored

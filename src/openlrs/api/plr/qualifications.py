"""The qualification and unit register: the service desk adds entries; every caller reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from openlrs.api.deps import NO_CONTROL_CHARACTERS, CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.plr.schemas import NewUnitIn, QualificationIn, qualification_json, unit_json
from openlrs.domain.plr.qualifications import Qualification, Unit
from openlrs.domain.plr.roles import REGISTER_ADMIN_ROLES
from openlrs.services.plr import qualification_register as register

router = APIRouter(prefix="/api/v1", tags=["qualifications"], route_class=UniqueKeysRoute)

After = Annotated[str | None, Query(max_length=20, pattern=NO_CONTROL_CHARACTERS)]
Limit = Annotated[int, Query(ge=1, le=500)]


@router.post(
    "/qualifications",
    operation_id="addQualification",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(REGISTER_ADMIN_ROLES)],
)
def add_qualification(
    body: QualificationIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Add a qualification to the register (service desk)."""
    values = body.model_dump() | {"owners": frozenset(body.owners)}
    added = register.add_qualification(
        Qualification(**values), principal=principal, uow=uow_factory()
    )
    return qualification_json(added)


@router.get("/qualifications", operation_id="listQualifications")
def list_qualifications(
    principal: CurrentPrincipal, uow_factory: UowFactoryDep, after: After = None, limit: Limit = 100
) -> Any:
    found = register.list_qualifications(
        principal=principal, uow=uow_factory(), after=after, limit=limit
    )
    return {"qualifications": [qualification_json(q) for q in found]}


@router.get("/qualifications/{number:path}", operation_id="getQualification")
def get_qualification(number: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """One qualification, by number (`123/4567/8` or `12345678`)."""
    return qualification_json(
        register.get_qualification(number, principal=principal, uow=uow_factory())
    )


@router.post(
    "/units",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(REGISTER_ADMIN_ROLES)],
    operation_id="addUnit",
)
def add_unit(body: NewUnitIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """Add a unit to the register (service desk)."""
    values = body.model_dump() | {"awarders": frozenset(body.awarders)}
    return unit_json(register.add_unit(Unit(**values), principal=principal, uow=uow_factory()))


@router.get("/units", operation_id="listUnits")
def list_units(
    principal: CurrentPrincipal, uow_factory: UowFactoryDep, after: After = None, limit: Limit = 100
) -> Any:
    found = register.list_units(principal=principal, uow=uow_factory(), after=after, limit=limit)
    return {"units": [unit_json(u) for u in found]}


@router.get("/units/{reference:path}", operation_id="getUnit")
def get_unit(reference: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """One unit, by reference (`A/123/4567`)."""
    return unit_json(register.get_unit(reference, principal=principal, uow=uow_factory()))

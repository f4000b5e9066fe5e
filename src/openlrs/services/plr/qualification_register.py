"""The qualification and unit register: the service desk adds and loads entries; everyone reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.identifiers import parse_qualification_number, parse_unit_reference
from openlrs.domain.plr.achievements import SubjectKind, subject_kind_of
from openlrs.domain.plr.errors import QualificationExists, QualificationNotFound
from openlrs.domain.plr.qualifications import (
    Qualification,
    Unit,
    validated_qualification,
    validated_unit,
)
from openlrs.domain.plr.roles import REGISTER_ADMIN_ROLES, REGISTER_READ_ROLES
from openlrs.services.ports import UnitOfWork


def _audit(uow: UnitOfWork, principal: Principal, detail: str, outcome: str) -> None:
    uow.audit.record(
        AuditEvent(
            principal.actor,
            principal.ukprn,
            AuditAction.QUALIFICATION_ADD,
            outcome=outcome,
            detail=detail,
        )
    )


def add_qualification(
    qualification: Qualification, *, principal: Principal, uow: UnitOfWork
) -> Qualification:
    principal.require(REGISTER_ADMIN_ROLES)
    checked = validated_qualification(qualification)
    with uow:
        if uow.qualifications.get(checked.number) is not None:
            raise QualificationExists()
        uow.qualifications.add(checked)
        _audit(uow, principal, checked.number, "added")
        uow.commit()
    return checked


def add_unit(unit: Unit, *, principal: Principal, uow: UnitOfWork) -> Unit:
    principal.require(REGISTER_ADMIN_ROLES)
    checked = validated_unit(unit)
    with uow:
        if uow.qualifications.get_unit(checked.reference) is not None:
            raise QualificationExists()
        uow.qualifications.add_unit(checked)
        _audit(uow, principal, checked.reference, "added")
        uow.commit()
    return checked


@dataclass(frozen=True)
class EntryChange:
    """One entry of a loaded file: `added`, `changed` (naming the fields) or `unchanged`."""

    code: str
    title: str
    outcome: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Loaded:
    added: int
    replaced: int
    changes: tuple[EntryChange, ...] = field(default=(), compare=False)
    """What each entry did to the register, in file order."""


def _differences(
    before: Qualification | Unit | None, after: Qualification | Unit
) -> tuple[str, ...]:
    if before is None:
        return ()
    return tuple(f.name for f in fields(after) if getattr(before, f.name) != getattr(after, f.name))


def load_register(
    entries: Iterable[Qualification | Unit], *, principal: Principal, uow: UnitOfWork
) -> Loaded:
    """Add or replace every entry, all in one transaction (a file with a bad entry loads nothing:
    the caller checks entries first with `validated_qualification`/`validated_unit`)."""
    principal.require(REGISTER_ADMIN_ROLES)
    added = replaced = 0
    changes: list[EntryChange] = []
    with uow:
        for entry in entries:
            before: Qualification | Unit | None
            if isinstance(entry, Unit):
                unit = validated_unit(entry)
                before = uow.qualifications.get_unit(unit.reference)
                exists = before is not None
                (uow.qualifications.replace_unit if exists else uow.qualifications.add_unit)(unit)
                after: Qualification | Unit = unit
                code = unit.reference
            else:
                q = validated_qualification(entry)
                before = uow.qualifications.get(q.number)
                exists = before is not None
                (uow.qualifications.replace if exists else uow.qualifications.add)(q)
                after, code = q, q.number
            replaced += exists
            added += not exists
            changed = _differences(before, after)
            outcome = "added" if not exists else ("changed" if changed else "unchanged")
            changes.append(EntryChange(code, after.title, outcome, changed))
        _audit(uow, principal, f"{added} added, {replaced} replaced", "loaded")
        uow.commit()
    return Loaded(added, replaced, tuple(changes))


def get_qualification(number: str, *, principal: Principal, uow: UnitOfWork) -> Qualification:
    principal.require(REGISTER_READ_ROLES)
    number = parse_qualification_number(number)
    with uow:
        found = uow.qualifications.get(number)
    if found is None:
        raise QualificationNotFound()
    return found


def get_unit(reference: str, *, principal: Principal, uow: UnitOfWork) -> Unit:
    principal.require(REGISTER_READ_ROLES)
    reference = parse_unit_reference(reference)
    with uow:
        found = uow.qualifications.get_unit(reference)
    if found is None:
        raise QualificationNotFound()
    return found


def list_qualifications(
    *, principal: Principal, uow: UnitOfWork, after: str | None = None, limit: int = 100
) -> list[Qualification]:
    principal.require(REGISTER_READ_ROLES)
    with uow:
        return uow.qualifications.list_qualifications(after=after, limit=limit)


def list_units(
    *, principal: Principal, uow: UnitOfWork, after: str | None = None, limit: int = 100
) -> list[Unit]:
    principal.require(REGISTER_READ_ROLES)
    with uow:
        return uow.qualifications.list_units(after=after, limit=limit)


def awardable(
    text: str = "", *, principal: Principal, uow: UnitOfWork, limit: int = 200
) -> list[Qualification | Unit]:
    """The qualifications and units the caller's organisation owns or may award, whose number,
    reference or title contains `text`: an awarding organisation's own list."""
    principal.require(REGISTER_READ_ROLES)
    with uow.autocommit():
        return uow.qualifications.awardable_by(principal.ukprn, text=text.strip(), limit=limit)


def register_entry(subject: str, uow: UnitOfWork) -> Qualification | Unit:
    """The qualification or unit a learning event names, inside the caller's unit of work."""
    found: Qualification | Unit | None
    if subject_kind_of(subject) is SubjectKind.UNIT:
        found = uow.qualifications.get_unit(parse_unit_reference(subject))
    else:
        found = uow.qualifications.get(parse_qualification_number(subject))
    if found is None:
        raise QualificationNotFound()
    return found

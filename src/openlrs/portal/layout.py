"""What every page shares: the service navigation for the signed-in user's roles, and tables that
stack into label/value pairs on a small screen."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openlrs.domain.accounts.organisations import (
    LEARNER_ROLES,
    ORG_ADMIN_ROLES,
    VERIFY_ROLES,
    Principal,
    Role,
)

EVERYONE: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class NavItem:
    """One item of the service navigation: shown to holders of any of `roles` (empty: every
    signed-in user), marked current on any path `section` matches."""

    text: str
    href: str
    roles: frozenset[Role]
    section: str

    def shown_to(self, principal: Principal) -> bool:
        return not self.roles or bool(self.roles & principal.roles)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "/portal/", EVERYONE, r"^/portal/$"),
    NavItem(
        "Learners",
        "/portal/learners/search",
        LEARNER_ROLES,
        r"^/portal/(learners|exceptions|change-requests|uln-challenges|verify)\b",
    ),
    NavItem("Verify learners", "/portal/verify", frozenset({Role.AO}), r"^/portal/verify\b"),
    NavItem(
        "Achievements",
        "/portal/achievements",
        frozenset({Role.AO}),
        r"^/portal/(achievements|qualifications)\b",
    ),
    NavItem("Batches", "/portal/batches", VERIFY_ROLES, r"^/portal/batches\b"),
    NavItem("Diplomas", "/portal/diploma", VERIFY_ROLES, r"^/portal/diploma\b"),
    NavItem("Challenges", "/portal/challenges", VERIFY_ROLES, r"^/portal/challenges\b"),
    NavItem(
        "Users", "/portal/users", ORG_ADMIN_ROLES, r"^/portal/(users|organisations/\d+/users)\b"
    ),
    NavItem(  # the desk's hub: incidents, deadlines, maintenance and organisations
        "Service desk", "/portal/desk", frozenset({Role.ADMIN}), r"^/portal/(desk|organisations)\b"
    ),
)
"""At most seven items for any role: everything else is reached from the home page. Add an item
here (not in a template) for a new area of the portal; the first matching section is current."""

ACCOUNT_NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Your account", "/portal/account", EVERYONE, r"^/portal/account\b"),
    NavItem("Sign out", "/portal/sign-out", EVERYONE, r"^/portal/sign-out\b"),
)
SIGNED_OUT_NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Find a learning provider", "/portal/providers", EVERYONE, r"^/portal/providers\b"),
    NavItem("Sign in", "/portal/sign-in", EVERYONE, r"^/portal/sign-in\b"),
)


def _items(
    items: tuple[NavItem, ...], path: str, marked: bool
) -> tuple[list[dict[str, Any]], bool]:
    found = []
    for item in items:
        current = not marked and re.search(item.section, path) is not None
        marked = marked or current
        found.append({"href": item.href, "text": item.text, "current": current})
    return found, marked


def navigation(
    principal: Principal | None, path: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The service navigation's items and its account links, with the current one marked."""
    if principal is None:
        items, _ = _items(SIGNED_OUT_NAVIGATION, path, False)
        return items, []
    shown = tuple(i for i in NAVIGATION if i.shown_to(principal))
    items, marked = _items(shown, path, False)
    account, _ = _items(ACCOUNT_NAVIGATION, path, marked)
    return items, account


def _label(cell: Any) -> str:
    if isinstance(cell, dict):
        return str(cell.get("text") or re.sub(r"<[^>]+>", "", str(cell.get("html", ""))))
    return ""


def stacked(params: dict[str, Any]) -> dict[str, Any]:
    """A govukTable's params with each cell labelled by its column heading, so the stylesheet
    can show every row as heading/value pairs at narrow widths instead of scrolling sideways."""
    head = params.get("head") or []
    labels = [_label(h).strip() for h in head]
    rows = []
    for row in params.get("rows") or []:
        cells = []
        for index, cell in enumerate(row):
            if not isinstance(cell, dict):
                cells.append(cell)
                continue
            label = labels[index] if index < len(labels) else ""
            attributes = dict(cell.get("attributes") or {})
            if label:
                attributes.setdefault("data-label", label)
            cells.append({**cell, "attributes": attributes})
        rows.append(cells)
    classes = (str(params.get("classes") or "") + " openlrs-table--stacked").strip()
    return {**params, "rows": rows, "classes": classes}

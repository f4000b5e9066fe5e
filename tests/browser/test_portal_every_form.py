"""Every data-entry form of the portal, as each kind of user, sent with its fields emptied: when
the page answers with an error summary, it shows all the errors at once, in the form's order,
each inline too (GOV.UK's error summary and error message patterns), and axe-core finds nothing.

The forms are those on the pages the every-page crawl reaches (tests/browser/crawl.py). A form
with nothing to fill in (sign out, a confirmation's button) is not data entry: it is left out,
as are the forms EXCLUDED names, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.crawl import USERS, crawl, new_page, template_of
from tests.browser.demo_portal import DemoPortal, demo_portal
from tests.browser.journeys import axe_violations

EXCLUDED: dict[str, str] = {}
"""Forms (by the path they post to) that have fields but are not data entry, and why."""
ANSWERED_BY_DEFAULT = {
    "Functional skill subject": "its first choice, 'Not a functional skill', is the empty answer",
    "Guided learning hours (ASL only)": "asked only of an ASL result (the use case says so then)",
    "The other ULN (for a duplicate, the one the learner already had)": "only for a duplicate",
    "If you reject it, why?": "asked only with 'Reject'",
    "Award date the event should have": "under 'If you correct the event': asked only then",
    "Grade (leave empty if it has none)": "under 'If you correct the event'; empty: no grade",
    "Credits (leave empty if it has none)": "under 'If you correct the event'; empty: none",
}
"""Questions not marked '(optional)' that an empty form may leave without an error: an empty
answer means something, or the question belongs to one answer of another (the portal shows such
questions under their answer's heading rather than as conditional reveals, which axe-core
refuses: `aria-expanded` on a radio)."""

FORMS = """[...document.querySelectorAll('main form')].filter(f =>
    (f.getAttribute('method') || '').toLowerCase() === 'post' && [...f.elements].some(e =>
        !['hidden', 'submit', 'button', 'reset'].includes(e.type) && e.tagName !== 'BUTTON'))"""
"""The page's data-entry forms: they post, and have something to fill in (a form with only a
button is a confirmation, not data entry). Attributes are read as written: a field named
`action` hides the form's own `action` property."""

DATA_ENTRY_FORMS = f"""() => {FORMS}.map(f =>
    new URL(f.getAttribute('action') || '', location.href).pathname)"""
"""The paths the page's data-entry forms post to (a form with only a button is not one)."""

EMPTY_AND_SEND = f"""(index) => {{
    const form = {FORMS}[index];
    for (const e of form.elements) {{
        if (['hidden', 'submit', 'button', 'reset', 'file'].includes(e.type)) continue;
        if (e.tagName === 'BUTTON') continue;
        if (e.type === 'radio' || e.type === 'checkbox') e.checked = false;
        else if (e.tagName === 'SELECT') e.selectedIndex = -1;
        else e.value = '';
    }}
    const novalidate = form.hasAttribute('novalidate');
    form.noValidate = true;
    form.querySelector('button:not([type=button]), input[type=submit]').click();
    return novalidate;
}}"""
"""Empties the index-th data-entry form (every field but hidden ones) and sends it; whether the
form had `novalidate` (GOV.UK forms leave checking to the server)."""

ERRORS = """(action) => {
    const words = e => e.textContent.replace(/^\\s*Error:\\s*/, '').trim();
    const inline = [...document.querySelectorAll('.govuk-error-message')].map(words);
    const summary = document.querySelector('.govuk-error-summary');
    if (!summary) return {summary: null, inline};
    const everything = [...document.querySelectorAll('*')];
    const links = [...summary.querySelectorAll('.govuk-error-summary__list a')].map(a => {
        const href = a.getAttribute('href') || '';
        const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
        const group = target && target.closest('.govuk-form-group--error');
        const message = group && group.querySelector('.govuk-error-message');
        return {text: a.textContent.trim(), href, found: target !== null,
                inline: message ? words(message) : null,
                position: target ? everything.indexOf(target) : -1};
    });
    const form = [...document.querySelectorAll('main form')].find(f =>
        new URL(f.getAttribute('action') || '', location.href).pathname === action);
    const questions = form ? [...form.querySelectorAll('.govuk-form-group')].filter(g =>
        !g.parentElement.closest('.govuk-form-group')) : [];
    const unanswered = questions.filter(g =>
        g.querySelector('input:not([type=hidden]):not([type=checkbox]), select, textarea')
        && !/\\(optional\\)/.test(g.querySelector('label, legend')?.textContent || '(optional)')
        && !g.querySelector('.govuk-error-message'))
        .map(g => (g.querySelector('label, legend').textContent || '').trim());
    return {summary: true, inline, links, unanswered};
}"""
"""The error summary's links (each with its target's inline message and place in the page),
every inline error message on the page, and the questions of the form sent (by the path it
posts to) not marked '(optional)' that say nothing, though left empty (ticking no box is an
answer)."""


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoPortal]:
    yield from demo_portal(sqlite_template, tmp_path_factory.mktemp("every-form"))


def _pages_with_forms(page: Page, demo: DemoPortal, who: str) -> dict[str, str]:
    """The pages (one per route) on `who`'s crawl that have a data-entry form: route -> URL."""
    found: dict[str, str] = {}

    def note(page: Page, asked: str | None = None) -> None:
        template = template_of(urlsplit(page.url).path)
        if template and template not in found and page.evaluate(DATA_ENTRY_FORMS):
            found[template] = page.url

    crawl(page, demo, who, note)
    return found


def error_summary_problems(errors: dict[str, Any]) -> list[str]:
    """What is wrong with the page's error summary (its shape as ERRORS reads it)."""
    links: list[dict[str, Any]] = errors["links"]
    problems = []
    summarised = {link["text"] for link in links}
    problems += [f"inline error not in the summary: {m!r}" for m in errors["inline"]
                 if m not in summarised]  # fmt: skip
    for link in links:
        if not link["href"].startswith("#"):
            continue  # a check-answers page links to the question page that asks again
        if not link["found"]:
            problems.append(f"summary link {link['href']} points at nothing")
        elif link["inline"] is None:
            problems.append(f"{link['href']} ({link['text']!r}) has no inline error message")
    problems += [f"{q!r} is not optional, was left empty and has no error"
                 for q in errors["unanswered"] if q not in ANSWERED_BY_DEFAULT]  # fmt: skip
    places = [link["position"] for link in links if link["found"]]
    if places != sorted(places):
        order = [link["text"] for link in links]
        problems.append(f"the summary is not in the form's order: {order}")
    return problems


def _send_each_form_empty(page: Page, who: str, url: str, template: str) -> list[str]:
    problems: list[str] = []
    page.goto(url)
    actions: list[str] = page.evaluate(DATA_ENTRY_FORMS)
    for index, action in enumerate(actions):
        if re.sub(r"^/portal", "", action) in EXCLUDED:
            continue
        if index:
            page.goto(url)
        if template_of(urlsplit(page.url).path) != template:
            break  # the page now sends this user elsewhere (a journey's step after its end)
        where = f"{who} {url} (form to {action})"
        with page.expect_navigation() as sent:
            novalidate = page.evaluate(EMPTY_AND_SEND, index)
        response = sent.value
        if not novalidate:
            problems.append(f"{where}: the form has no novalidate")
        if response is not None and response.status >= 500:
            problems.append(f"{where}: answered {response.status}")
            continue
        errors = page.evaluate(ERRORS, action)
        if errors["summary"] is None:
            if errors["inline"]:
                problems.append(f"{where}: inline errors without an error summary")
            continue  # nothing to fill in was needed (or the page refused otherwise)
        problems += [f"{where}: {p}" for p in error_summary_problems(errors)]
        problems += [f"{where}: axe {v['id']} {v['nodes']}" for v in axe_violations(page)]
    return problems


def test_every_form_sent_empty_shows_every_error_at_once_in_order_and_inline(
    browser: Browser, demo: DemoPortal
) -> None:
    problems: list[str] = []
    checked = 0
    for who in USERS:
        page = new_page(browser, demo, who)  # the crawl's browser: the names it gave, its drafts
        pages = _pages_with_forms(page, demo, who)
        for template, url in pages.items():
            problems += _send_each_form_empty(page, who, url, template)
            checked += 1
        page.context.close()
    assert checked > 20, "the crawl found too few forms to check"
    assert problems == [], "\n".join(problems)

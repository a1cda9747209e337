"""Messages translated from run-time values, listed so that extraction keeps them in the catalogue.

Pages and templates call ``_(value)`` on role names, form field names and problem titles, which
``pybabel extract`` cannot see. ``N_`` marks each literal here; nothing imports this module.
tests/web/test_i18n.py checks this list against the enums, schemas and error classes.
"""

from __future__ import annotations


def N_(message: str) -> str:  # the gettext name for "mark for extraction, do not translate"
    return message


ROLE_NAMES = (N_("owner"), N_("editor"), N_("viewer"))

# Field names of ApiKeyCreate, named in "Please correct: %(fields)s" on the keys page.
FORM_FIELDS = (N_("organisation_id"), N_("name"), N_("role"), N_("expires_in_days"))

# DomainError.title of each class in digitrade.core.errors, shown by core/error.html.
DOMAIN_ERROR_TITLES = (
    N_("Request could not be processed"),
    N_("Input is not valid"),
    N_("Not found"),
    N_("Conflicts with the current state"),
    N_("Authentication required"),
    N_("Permission denied"),
    N_("Too many attempts"),
    N_("Transition not allowed from the current state"),
    N_("Service unavailable"),
)

# Titles made by digitrade.web.problems: literal ones, Starlette's 404 detail, and the HTTP
# status codes turned into sentences ("method-not-allowed" -> "Method not allowed").
HTTP_PROBLEM_TITLES = (
    N_("Internal error"),
    N_("Not Found"),
    N_("Bad request"),
    N_("Method not allowed"),
    N_("Not acceptable"),
    N_("Conflict"),
    N_("Payload too large"),
    N_("Unsupported media type"),
    N_("Validation failed"),
    N_("Rate limited"),
    N_("Http error"),
)

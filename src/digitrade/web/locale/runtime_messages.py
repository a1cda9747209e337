"""Messages translated from run-time values, listed so that extraction keeps them in the catalogue.

Pages and templates call ``_(value)`` on role names, form field names, problem titles and the
dataflow pathway and purpose labels, which ``pybabel extract`` cannot see. ``N_`` marks each
literal here; nothing imports this module. tests/web/test_i18n.py checks this list against the
enums, schemas, error classes and the dataflow label dicts.
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

# PATHWAY_LABELS and PURPOSE_LABELS of digitrade.systems.dataflow.pages, which the dataflow
# templates pass to _() by the engine's pathway and purpose codes.
DATAFLOW_LABELS = (
    N_("Exempt: no filing needed"),
    N_("Standard contract filing or certification"),
    N_("Security assessment by the CAC"),
    N_("Prohibited: stop and escalate"),
    N_("Other business purposes"),
    N_("Performing a contract with the individual"),
    N_("Cross-border human resources management"),
    N_("Emergency to protect life, health or property"),
    N_("Statutory duty or obligation"),
    N_("Transit of data collected abroad"),
)

# DomainError.title of the dataflow system's own error classes (filing packs, data categories,
# free trade zone lists), shown by core/error.html like those above.
DATAFLOW_ERROR_TITLES = (
    N_("A filing pack cannot be drafted from this input"),
    N_("Data categories are not valid"),
    N_("The data export list could not be imported"),
)

# E-invoicing labels (digitrade.systems.einvoice.pages) and finding severities.
EINVOICE_VAT_CATEGORIES = (
    N_("Standard rate"),
    N_("Zero rated goods"),
    N_("Exempt from VAT"),
    N_("Reverse charge"),
    N_("Intra-community supply"),
    N_("Free export item, VAT not charged"),
    N_("Services outside scope of tax"),
    N_("Canary Islands general indirect tax"),
    N_("Ceuta and Melilla tax"),
    N_("Transferred (VAT), Italy"),
)
EINVOICE_UNITS = (
    N_("piece (C62)"),
    N_("hour (HUR)"),
    N_("day (DAY)"),
    N_("month (MON)"),
    N_("kilogram (KGM)"),
    N_("tonne (TNE)"),
    N_("metre (MTR)"),
    N_("litre (LTR)"),
    N_("set (SET)"),
    N_("service unit (E48)"),
)
EINVOICE_TYPES = (N_("Commercial invoice"), N_("Credit note"), N_("Corrected invoice"))
EINVOICE_SEVERITIES = (N_("fatal"), N_("warning"), N_("information"))
EINVOICE_ERROR_TITLES = (
    N_("The invoice does not pass validation"),
    N_("The document cannot be converted"),
    N_("A different rule pack with this name and version is installed"),
    N_("Installed validation rules failed their integrity check"),
    N_("Not a supported e-invoice document"),
    N_("The document is not a readable fully digitalised e-invoice"),
    N_("The document is not readable XML"),
    N_("The document is too large"),
    N_("The official rule pack could not be downloaded"),
    N_("The rule pack cannot be installed"),
    N_("Validation rules are not installed"),
)
ECOMMERCE_ERROR_TITLES = (
    N_("Not a supported CEB message"),
    N_("The message is not readable XML"),
    N_("The message is too large"),
)

# E-commerce labels (digitrade.systems.ecommerce.pages): statuses, message roles, checks,
# screening kinds and channels, order fields and tax steps.
ECOMMERCE_LABELS = (
    N_("In the return window"),
    N_("Payable (days 31-45)"),
    N_("Overdue"),
    N_("Returned (not collected)"),
    N_("Rejected"),
    N_("Accepted"),
    N_("Released"),
    N_("Returned"),
    N_("Order (CEB311)"),
    N_("Payment (CEB411)"),
    N_("Waybill (CEB511)"),
    N_("Inventory list (CEB621)"),
    N_("Linking keys"),
    N_("Buyer identity"),
    N_("Payer identity"),
    N_("Amounts"),
    N_("Goods"),
    N_("Freight and insurance"),
    N_("Consignee"),
    N_("Limits"),
    N_("Tax"),
    N_("Enterprise codes"),
    N_("Timing"),
    N_("(empty row)"),
    N_("Lithium ion battery"),
    N_("Lithium metal battery"),
    N_("Magnetised material"),
    N_("Perfume"),
    N_("Aerosol"),
    N_("Other goods"),
    N_("Standalone"),
    N_("Packed with equipment"),
    N_("Contained in equipment"),
    N_("Air cargo"),
    N_("Air mail"),
    N_("Platform code"),
    N_("Declared at"),
    N_("Buyer or payer"),
    N_("Identity number"),
    N_("Goods value"),
    N_("Freight"),
    N_("Insurance"),
    N_("Payment transaction"),
    N_("Waybill number"),
    N_("Tax base including consumption tax"),
    N_("Held"),
    N_("Bonded (cross-border e-commerce)"),
    N_("General bonded"),
    N_("Non-bonded"),
    N_("Goods received"),
    N_("Release"),
    N_("Transfer out"),
    N_("Transfer in"),
    N_("Return in"),
    N_("Adjustment"),
)

# Labels of digitrade.systems.statistics.pages (RETURN_STATUS_LABELS, DATA_STATUS_LABELS,
# PROGRESS_LABELS, SUPPRESSION_LABELS, INDICATOR_LABELS, FLOW_LABELS), which the statistics
# templates pass to _() by return status, data status, progress class, suppression reason,
# indicator and flow.
STATISTICS_LABELS = (
    N_("Draft"),
    N_("Submitted"),
    N_("Queried"),
    N_("Accepted"),
    N_("Official"),
    N_("Preliminary"),
    N_("Nowcast"),
    N_("Illustrative"),
    N_("Significant progress"),
    N_("Moderate progress"),
    N_("Insufficient progress"),
    N_("Moving away from the target"),
    N_("Fewer than three enterprises contribute"),
    N_("One enterprise dominates the cell"),
    N_("Suppressed so that another cell cannot be derived"),
    N_("Services trade (exports + imports)"),
    N_("Digitally delivered services trade"),
    N_("Digitally delivered share of services trade"),
    N_("Exports (credit)"),
    N_("Imports (debit)"),
)

# Labels of digitrade.systems.documents.pages (CHECK_NAME_LABELS, FORMAT_LABELS, STATUS_LABELS,
# TITLE_STATUS_LABELS, TITLE_ACTION_LABELS), which the documents templates pass to _() by check
# name, file format, credential status, eBL title status and title action.
DOCUMENTS_LABELS = (
    N_("Format"),
    N_("Content and schema"),
    N_("Signature"),
    N_("Issuer identity"),
    N_("Revocation and suspension"),
    N_("Ledger inclusion"),
    N_("Title (control of the eBL)"),
    N_("W3C verifiable credential"),
    N_("OpenAttestation document"),
    N_("DCSA PINT envelope"),
    N_("Unknown format"),
    N_("Valid"),
    N_("Revoked"),
    N_("Suspended"),
    N_("Draft"),
    N_("Approved"),
    N_("Issued"),
    N_("Surrender for amendment pending"),
    N_("Surrendered for amendment"),
    N_("Surrender for delivery pending"),
    N_("Surrendered for delivery"),
    N_("Voided"),
    N_("Transferred"),
    N_("Endorsed"),
    N_("Endorsed to order"),
    N_("Blank endorsed"),
    N_("Surrender accepted"),
    N_("Surrender rejected"),
    N_("Possession confirmed"),
)

# DomainError.title of the error classes of digitrade.systems.documents, shown by core/error.html.
DOCUMENTS_ERROR_TITLES = (N_("The peer platform's answer was not acceptable"),)

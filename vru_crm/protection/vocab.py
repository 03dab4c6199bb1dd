"""The closed lists of the data protection screens, with the words shown for each code.

Codes are stored; labels are shown. Kept in one place so the forms, the
command line and the subject access document all say the same thing.
"""

LAWFUL_BASES: dict[str, str] = {
    "consent": "Consent",
    "legitimate_interests": "Legitimate interests",
    "public_task": "Public task",
    "contract": "Contract",
    "legal_obligation": "Legal obligation",
    "vital_interests": "Vital interests",
}

PURPOSES: dict[str, str] = {
    "newsletter": "The VRU newsletter",
    "network_circulation": "Network circulation lists",
    "contact": "Being contacted about VRU work",
    "photos": "Photos and film",
    "case_studies": "Stories and case studies",
    "data_sharing": "Sharing details with partners",
}

CHANNELS: dict[str, str] = {
    "any": "Any channel",
    "email": "E-mail",
    "phone": "Phone",
    "post": "Post",
}

GIVEN_BY: dict[str, str] = {
    "self": "The person themselves",
    "parent_carer": "A parent or carer",
}

METHODS: dict[str, str] = {
    "written": "Signed form",
    "online_form": "Online form",
    "email": "E-mail",
    "verbal": "Verbally (noted by staff)",
}

# Age bands in which a young person cannot consent for themselves (UK GDPR art. 8, DPA 2018 s.9).
PARENTAL_CONSENT_BANDS = frozenset({"under_13"})

SAFEGUARDING_NOTICE = (
    "Young person. Record only what the work needs, share nothing without a reason, "
    "never export their details without choosing to, and raise any concern with the "
    "VRU's safeguarding lead the same day."
)

RECORD_KINDS: dict[str, str] = {
    "engagement": "Engagements",
    "person": "People",
    "subject_access_request": "Answered subject access requests",
    "audit_entry": "Audit trail entries",
}

RETENTION_ACTIONS: dict[str, str] = {
    "anonymise": "Anonymise",
    "delete": "Delete",
}


def label(vocabulary: dict[str, str], code: str | None, blank: str = "Not recorded") -> str:
    """The words for ``code``; an unknown code is shown as itself rather than hidden."""
    if not code:
        return blank
    return vocabulary.get(code, code)


def choice_problem(vocabulary: dict[str, str], code: str | None, what: str) -> str | None:
    if code in vocabulary:
        return None
    shown = str(code or "").replace("\n", " ")
    shown = shown if len(shown) <= 40 else shown[:39] + "…"  # a huge cell is not quoted whole
    return f"'{shown}' is not a {what}. Use one of: {', '.join(vocabulary.values())}"

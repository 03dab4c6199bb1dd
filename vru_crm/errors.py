"""Errors the services raise for expected problems, with messages in plain words."""

from db.errors import DatabaseError


class UserError(Exception):
    """Something the user can fix: ``str(error)`` says what and how."""


# What a form calls each field, so a message never says "starts_at:" or "url:".
# Services may pass their own labels; these cover the names they share.
FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "is_young_person": "Young person",
    "short_name": "Short name",
    "kind": "Kind",
    "cadence_rrule": "Cadence",
    "cadence": "Cadence",
    "cadence_tolerance_days": "Tolerance",
    "minutes_publication_days": "Publish minutes within",
    "quorum": "Quorum",
    "meeting_minutes": "Usual length (minutes)",
    "archived_on": "Archived on",
    "title": "Title",
    "starts_at": "Start",
    "ends_at": "End",
    "location": "Location",
    "online_url": "Online link",
    "status": "Status",
    "minutes_url": "Minutes link",
    "url": "Web address",
    "network_id": "Network",
    "meeting_id": "Meeting",
    "recommendation_id": "Recommendation",
    "letter_id": "Letter",
    "person_id": "Person",
    "organisation_id": "Organisation",
    "role": "Role",
    "represents": "Represents",
    "start_date": "From",
    "end_date": "To",
    "sender": "From (sender)",
    "letter_date": "Letter date",
    "reply_due": "Reply due",
    "number": "Number",
    "text": "Text",
    "due_date": "Due",
    "owner": "Owner",
    "response": "Reply",
    "response_date": "Reply date",
    "cancel_reason": "Reason",
    "closing_note": "Closing note",
    "subject": "Subject",
    "owner_person_id": "Owner",
    "owner_organisation_id": "Owner",
    "chair": "Chair",
    "guests": "Guests",
    "agenda": "Agenda",
    "outcome": "Outcome",
    # Organisations, people and engagements (their forms' labels; `vru-crm` says the same).
    "full_name": "Full name",
    "job_title": "Job title",
    "email": "E-mail",
    "website": "Website",
    "phone": "Phone",
    "sector": "Sector",
    "boroughs": "Boroughs",
    "borough": "Borough",
    "tags": "Tags",
    "age_band": "Age band",
    "affiliations": "Affiliations",
    "merge": "Merge",
    "occurred_on": "Date",
    "organisation_ids": "Organisations",
    "person_ids": "People",
    "borough_ids": "Boroughs",
    "network_ids": "Networks",
    "objective_ids": "Objectives",
    "summary": "Summary",
    "people_reached": "People reached",
    "follow_up_on": "Follow-up on",
    "logged_by": "Logged by",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


class ValidationError(UserError):
    """A record failed validation. ``fields`` maps field name to the problem with it.

    ``str(error)`` names each field by its label ("Start: ..."), as the form does.
    """

    def __init__(self, fields: dict[str, str], labels: dict[str, str] | None = None) -> None:
        self.fields = fields
        names = {**FIELD_LABELS, **(labels or {})}
        super().__init__(
            "; ".join(
                f"{names.get(name) or field_label(name)}: {problem}"
                for name, problem in fields.items()
            )
        )


class NotFound(UserError):
    pass


EXPECTED_ERRORS = (UserError, DatabaseError)

"""Closed vocabularies stored as plain strings.

They live in the storage layer because the migrations and CHECK constraints need
them; the services and the UI import them from here (``from db.enums import ...``),
there is no second copy elsewhere.
"""

from enum import StrEnum


class Sector(StrEnum):
    POLICE = "police"
    HEALTH = "health"
    LOCAL_AUTHORITY = "local_authority"
    CSP = "csp"
    EDUCATION = "education"
    PROBATION = "probation"
    CHARITY = "charity"
    GRASSROOTS = "grassroots"
    FAITH = "faith"
    ACADEMIC = "academic"
    BUSINESS = "business"
    FUNDER = "funder"
    GOVERNMENT = "government"
    OTHER = "other"


SECTOR_LABELS: dict[str, str] = {
    "police": "Police",
    "health": "Health / NHS",
    "local_authority": "Local authority",
    "csp": "Community Safety Partnership",
    "education": "School / PRU / alternative provision",
    "probation": "Probation",
    "charity": "Charity / VCS",
    "grassroots": "Grassroots",
    "faith": "Faith",
    "academic": "Academic",
    "business": "Business",
    "funder": "Funder",
    "government": "Government",
    "other": "Other",
}


class AgeBand(StrEnum):
    UNDER_13 = "under_13"
    AGE_13_15 = "13_15"
    AGE_16_17 = "16_17"
    AGE_18_24 = "18_24"
    ADULT = "25_plus"


AGE_BAND_LABELS: dict[str, str] = {
    "under_13": "Under 13",
    "13_15": "13-15",
    "16_17": "16-17",
    "18_24": "18-24",
    "25_plus": "25 and over",
}


class NetworkKind(StrEnum):
    BOARD = "board"
    NETWORK = "network"
    FORUM = "forum"
    ADVISORY = "advisory"
    YOUTH_GROUP = "youth_group"
    PARTNERSHIP = "partnership"
    OTHER = "other"


class MembershipRole(StrEnum):
    CHAIR = "chair"
    DEPUTY = "deputy"
    MEMBER = "member"
    OBSERVER = "observer"
    SECRETARIAT = "secretariat"
    ADVISER = "adviser"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class MinutesStatus(StrEnum):
    NONE = "none"
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class AgendaItemKind(StrEnum):
    STANDING = "standing"
    MINUTES = "minutes"
    MATTERS_ARISING = "matters_arising"
    UPDATE = "update"
    DISCUSSION = "discussion"
    PAPER = "paper"
    DECISION = "decision"
    AOB = "aob"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"
    CLOSED = "closed"


class EngagementKind(StrEnum):
    VISIT = "visit"
    ONLINE_MEETING = "online_meeting"
    CALL = "call"
    EVENT = "event"
    EMAIL = "email"


# The one label of each kind, in the form, the lists, the reports and the CLI alike.
ENGAGEMENT_KIND_LABELS: dict[str, str] = {
    "visit": "Visit",
    "online_meeting": "Online meeting",
    "call": "Call",
    "event": "Event",
    "email": "E-mail",
}


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"

"""All tables. Import from here so every table is registered on the metadata."""

from sqlmodel import SQLModel

# Named constraints let Alembic alter them later (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from db.models.base import saved_id, table_of  # noqa: E402
from db.models.engagements import (  # noqa: E402
    Engagement,
    EngagementBorough,
    EngagementNetwork,
    EngagementObjective,
    EngagementOrganisation,
    EngagementPerson,
)
from db.models.governance import Action, Letter, Recommendation  # noqa: E402
from db.models.graph import GraphNodePosition  # noqa: E402
from db.models.meetings import (  # noqa: E402
    AgendaItem,
    Attendance,
    Meeting,
    MeetingGuest,
    new_meeting_uid,
)
from db.models.networks import Membership, Network, StandingItem  # noqa: E402
from db.models.partners import (  # noqa: E402
    Affiliation,
    Organisation,
    OrganisationBorough,
    OrganisationTag,
    Person,
    StakeholderAssessment,
    Tag,
)
from db.models.protection import (  # noqa: E402
    AnonymousAttendance,
    AnonymousParticipant,
    ConsentRecord,
    PersonProtection,
    RetentionPolicy,
    SubjectAccessRequest,
)
from db.models.reference import Borough, Objective, SectorRef  # noqa: E402
from db.models.staff import AuditEntry, StaffUser  # noqa: E402

metadata = SQLModel.metadata

__all__ = [
    "Action",
    "Affiliation",
    "AgendaItem",
    "AnonymousAttendance",
    "AnonymousParticipant",
    "Attendance",
    "AuditEntry",
    "Borough",
    "ConsentRecord",
    "Engagement",
    "EngagementBorough",
    "EngagementNetwork",
    "EngagementObjective",
    "EngagementOrganisation",
    "EngagementPerson",
    "GraphNodePosition",
    "Letter",
    "Meeting",
    "MeetingGuest",
    "Membership",
    "Network",
    "Objective",
    "Organisation",
    "OrganisationBorough",
    "OrganisationTag",
    "Person",
    "PersonProtection",
    "Recommendation",
    "RetentionPolicy",
    "SectorRef",
    "StandingItem",
    "StaffUser",
    "StakeholderAssessment",
    "SubjectAccessRequest",
    "Tag",
    "metadata",
    "new_meeting_uid",
    "saved_id",
    "table_of",
]

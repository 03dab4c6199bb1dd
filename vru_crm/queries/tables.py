"""Short names for the tables the read side joins (SQLAlchemy Core, no ORM objects)."""

from typing import cast

from sqlalchemy import Table

from db import models as m
from db.models.engagements import EngagementRollup, OrganisationDaily


def _t(model: type) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


affiliation = _t(m.Affiliation)
agenda_item = _t(m.AgendaItem)
action = _t(m.Action)
attendance = _t(m.Attendance)
assessment = _t(m.StakeholderAssessment)
borough = _t(m.Borough)
engagement = _t(m.Engagement)
engagement_borough = _t(m.EngagementBorough)
engagement_network = _t(m.EngagementNetwork)
engagement_objective = _t(m.EngagementObjective)
engagement_organisation = _t(m.EngagementOrganisation)
engagement_person = _t(m.EngagementPerson)
engagement_rollup = _t(EngagementRollup)
meeting = _t(m.Meeting)
membership = _t(m.Membership)
network = _t(m.Network)
objective = _t(m.Objective)
organisation = _t(m.Organisation)
organisation_borough = _t(m.OrganisationBorough)
organisation_daily = _t(OrganisationDaily)
person = _t(m.Person)
sector = _t(m.SectorRef)
staff_user = _t(m.StaffUser)
organisation_tag = _t(m.OrganisationTag)
tag = _t(m.Tag)

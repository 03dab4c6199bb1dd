"""Reference data seeded by migration: boroughs, sectors, aims and objectives.

The seeds say the VRU "directly targets 16 boroughs" without naming them; the
priority list below is a stand-in drawn from the boroughs with the highest
violence in the Strategic Needs Assessment era. It can be changed without a
code change: ``vru-crm boroughs --priority NAME ... --not-priority NAME ...``
(``vru_crm.services.reference.set_borough_priority``).
"""

from db.enums import SECTOR_LABELS

# (code, name, is_priority). Codes are the ONS short names used in London datasets.
BOROUGHS: list[tuple[str, str, bool]] = [
    ("BAR", "Barking and Dagenham", True),
    ("BRN", "Barnet", False),
    ("BEX", "Bexley", False),
    ("BRE", "Brent", True),
    ("BRO", "Bromley", False),
    ("CAM", "Camden", False),
    ("CTY", "City of London", False),
    ("CRO", "Croydon", True),
    ("EAL", "Ealing", True),
    ("ENF", "Enfield", True),
    ("GRE", "Greenwich", True),
    ("HAC", "Hackney", True),
    ("HAM", "Hammersmith and Fulham", False),
    ("HGY", "Haringey", True),
    ("HRW", "Harrow", False),
    ("HAV", "Havering", False),
    ("HIL", "Hillingdon", False),
    ("HOU", "Hounslow", False),
    ("ISL", "Islington", True),
    ("KEN", "Kensington and Chelsea", False),
    ("KIN", "Kingston upon Thames", False),
    ("LAM", "Lambeth", True),
    ("LEW", "Lewisham", True),
    ("MER", "Merton", False),
    ("NEW", "Newham", True),
    ("RED", "Redbridge", False),
    ("RIC", "Richmond upon Thames", False),
    ("SWK", "Southwark", True),
    ("SUT", "Sutton", False),
    ("TOW", "Tower Hamlets", True),
    ("WAL", "Waltham Forest", True),
    ("WAN", "Wandsworth", False),
    ("WES", "Westminster", True),
]

STRATEGIC_AIMS: list[tuple[int, str]] = [
    (1, "To reduce and stabilise violence across London"),
    (2, "To increase feelings of safety"),
    (3, "To put community at the heart of our work"),
]

# The eight core objectives of the May 2020 strategy addendum (report section 3C).
OBJECTIVES: list[tuple[int, str]] = [
    (1, "Supporting individuals to be more resilient"),
    (2, "Supporting stronger families"),
    (3, "Young people leading change"),
    (4, "Enabling communities to be strong, safe and resilient"),
    (5, "Prioritising wellbeing and achievement in schools"),
    (6, "Giving young people every chance to succeed"),
    (7, "Making London a more compassionate and safer city"),
    (8, "Increasing confidence in public institutions and changing the message around violence"),
]

SECTORS: list[tuple[str, str, int]] = [
    (code, label, position) for position, (code, label) in enumerate(SECTOR_LABELS.items())
]

"""Words for synthetic engagement notes, so the demo log reads like a real one.

Topics are grouped by the objective (1-8) they serve, so an engagement's
objectives follow from what its note says it was about.
"""

TOPICS: dict[int, list[str]] = {
    1: [
        "mentoring for young people at risk of exclusion",
        "trauma-informed practice training for their volunteers",
        "one-to-one support for young people after a stabbing nearby",
    ],
    2: [
        "the parenting programme for parents of teenagers",
        "support for families worried about exploitation",
        "the parent champions' drop-in",
    ],
    3: [
        "how young people could shape the local MyEnds bid",
        "recruiting young people for the youth panel",
        "the young people's consultation on safe spaces",
    ],
    4: [
        "the MyEnds neighbourhood consortium",
        "small grants for grassroots groups",
        "a community safety walk with residents",
    ],
    5: [
        "exclusions and the move to secondary school",
        "a summer holiday programme for pupils at risk",
        "mentoring in school alongside the PRU",
    ],
    6: [
        "routes into apprenticeships and paid work",
        "the after-school sports offer",
        "keeping the youth club open on Friday nights",
    ],
    7: [
        "the response after a recent incident in the area",
        "support for bereaved families",
        "a safe-haven scheme with local shops",
    ],
    8: [
        "young people's experience of stop and search",
        "how the VRU decides what to fund",
        "changing the message about violence on social media",
    ],
}

SESSIONS: dict[str, list[str]] = {
    "grassroots": [
        "Thursday evening session",
        "after-school drop-in",
        "Saturday training session",
        "youth club night",
    ],
    "faith": ["Sunday youth group", "community lunch", "evening study circle", "youth service"],
    "education": [
        "pastoral team meeting",
        "staff briefing",
        "assembly on staying safe",
        "parents' evening",
    ],
    "other": ["offices", "team meeting", "project in the borough"],
}

EVENTS = [
    "community event",
    "open day",
    "summer fun day",
    "awards evening",
    "listening event",
    "family festival",
]
SENT = [
    "the details of the next funding round",
    "notes from our last meeting",
    "the VRU newsletter",
    "the link to the consultation",
    "the evaluation form",
]

OBSERVATIONS = [
    "attendance has doubled since the summer",
    "they are short of volunteers on weekday evenings",
    "young people are worried about travelling across the borough after dark",
    "parents want more help with online safety",
    "the group has lost its venue and is looking for a new space",
    "referrals from the school have dropped since September",
    "the local youth offer closes too early in the evening",
    "two of their young people now help run the sessions",
]

OUTCOMES = [
    "Agreed to send details of the next funding round.",
    "They will share their attendance figures next month.",
    "Introduced them to the borough's community safety lead.",
    "Invited them to the next Grassroots Network meeting.",
    "No action needed; keep in touch.",
    "Agreed a joint session for parents in the spring.",
    "Passed their concerns to the MPS Violence Reduction Champion for the area.",
    "Will check back once the grant decision is out.",
]

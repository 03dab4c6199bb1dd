"""Word lists for generated names: places, kinds of group by sector, people's names.

Generic London-sounding place names, not real addresses; combined with the
borough names they give tens of thousands of distinct organisation names, so
search and duplicate detection are measured on realistic variety.
"""

# fmt: off
PLACES = [
    "Northfield", "Riverside", "Parkside", "Hillview", "Eastway", "Kingsmead", "Marsh Lane",
    "Canal Side", "Greenway", "Highgate Road", "Station Road", "Victoria Park", "Brookside",
    "Elm Grove", "Oakwood", "Ashfield", "Millbrook", "Southgate", "Westbourne", "Cedar Court",
    "Church Street", "Market Square", "Holloway Road", "Wellington", "Hawthorn", "Meadowbank",
    "Rosehill", "Thornton", "Beacon", "Lea Valley", "Crossways", "Broadwater", "Fairfield",
    "Stonebridge", "Woodside", "Linden", "Harbour", "Clockhouse", "Rye Lane", "Chalk Farm",
    "Well Street", "Bridge End", "Cherry Tree", "Orchard", "Bellfield", "Copperfield", "Windmill",
    "Lime Tree", "Fountain", "Priory", "Lakeside", "Queensway", "Archway", "Gateway", "Bramble",
    "Sycamore", "Foxglove", "Heathside", "Pinewood", "Laurel", "Poplar Walk", "Ravensbourne",
    "Tudor", "Abbey Road", "Grange", "Hollybush", "Juniper", "Mulberry", "Nightingale", "Pavilion",
]

KINDS: dict[str, list[str]] = {
    "grassroots": [
        "Youth Project", "Boxing Club", "Community Kitchen", "Young Leaders", "Football Academy",
        "Mentoring Network", "Music Studio", "Parents Forum", "Residents Association",
        "Street Pastors", "Detached Youth Team", "Girls Club", "Arts Collective", "Dance Crew",
        "Peer Support Group", "Community Garden",
    ],
    "charity": [
        "Youth Trust", "Foundation", "Family Support", "Advice Centre", "Mentoring Trust",
        "Carers Centre", "Women's Centre", "Refugee Project", "Young People's Charity",
        "Counselling Service", "Homework Club", "Employment Project",
    ],
    "faith": [
        "Baptist Church", "Methodist Church", "Parish Church", "Mosque", "Gurdwara",
        "Pentecostal Assembly", "Synagogue", "Mandir", "Interfaith Forum", "Islamic Centre",
        "Catholic Parish", "Evangelical Church",
    ],
    "education": [
        "Primary School", "Academy", "High School", "Pupil Referral Unit", "Alternative Provision",
        "College", "Sixth Form", "Free School",
    ],
    "local_authority": [
        "Council Youth Service", "Council Early Help", "Youth Offending Team",
        "Council Family Hub", "Council Community Safety Team", "Council Children's Services",
        "Council Adolescent Safeguarding Team", "Council Parks and Leisure",
        "Council Housing Team", "Council Public Health Team",
    ],
    "csp": [
        "Community Safety Partnership", "Violence Reduction Board", "Safer Neighbourhood Board",
        "Serious Violence Duty Partnership", "Community Safety Partnership Executive",
    ],
    "health": [
        "Health Centre", "GP Practice", "CAMHS Team", "Hospital Youth Work Team",
        "Community Mental Health Team",
    ],
    "police": [
        "Safer Neighbourhood Team", "Schools Officers Team", "Violence Suppression Unit",
        "Youth Engagement Team", "Neighbourhood Policing Team",
    ],
    "probation": [
        "Probation Delivery Unit", "Approved Premises",
    ],
    "academic": [
        "University Criminology Unit", "Centre for Youth Research", "Policy Institute",
    ],
    "business": [
        "Business Improvement District", "Traders Association", "Enterprise Hub",
    ],
    "funder": [
        "Community Foundation", "Charitable Trust", "Giving Fund",
    ],
    "government": [
        "Jobcentre", "Youth Justice Service",
    ],
    "other": [
        "Housing Association", "Leisure Centre", "Library", "Tenants Federation",
    ],
}

# Share of organisations in each sector (percent), roughly the mix a VRU works with.
SECTOR_SHARES = {
    "grassroots": 25, "charity": 24, "faith": 12, "education": 15, "local_authority": 3, "csp": 1,
    "health": 5, "police": 3, "probation": 1, "academic": 2, "business": 4, "funder": 2,
    "government": 1, "other": 2,
}

JOBS: dict[str, list[str]] = {
    "grassroots": [
        "Founder", "Youth worker", "Coordinator", "Volunteer", "Coach", "Mentor",
    ],
    "charity": [
        "Chief executive", "Project manager", "Caseworker", "Youth worker", "Trustee",
    ],
    "faith": [
        "Pastor", "Imam", "Youth leader", "Trustee", "Community lead",
    ],
    "education": [
        "Headteacher", "Designated safeguarding lead", "Pastoral lead", "Teacher",
    ],
    "other": [
        "Manager", "Officer", "Coordinator", "Adviser",
    ],
}

FIRST_NAMES = [
    "Aaliyah", "Abdi", "Adam", "Ade", "Aisha", "Alex", "Ali", "Amara", "Amir", "Ana", "Andre",
    "Anika", "Ben", "Bilal", "Bola", "Callum", "Chidi", "Chloe", "Ciara", "Connor", "Dami",
    "Daniel", "Deepa", "Dev", "Dylan", "Ebony", "Elif", "Ella", "Emeka", "Emma", "Eric", "Fatima",
    "Femi", "Finn", "Funmi", "Gabriel", "Grace", "Hana", "Harpreet", "Hassan", "Ibrahim", "Ife",
    "Imani", "Isaac", "Jade", "Jamal", "James", "Jasmine", "Jay", "Jordan", "Joseph", "Kai",
    "Kemi", "Kofi", "Kwame", "Lara", "Leah", "Leon", "Lily", "Luca", "Malik", "Maria", "Marcus",
    "Maya", "Mei", "Mohammed", "Musa", "Nadia", "Naomi", "Nathan", "Nia", "Noah", "Olu", "Omar",
    "Priya", "Rafael", "Rania", "Reece", "Rhys", "Rosa", "Ruth", "Ryan", "Safiya", "Sam", "Samir",
    "Sara", "Sean", "Shanice", "Simran", "Sofia", "Tariq", "Tendai", "Theo", "Tomasz", "Tunde",
    "Yara", "Yusuf", "Zain", "Zara", "Zoe",
]
SURNAMES = [
    "Abdullah", "Adebayo", "Adeyemi", "Ahmed", "Ali", "Asante", "Bailey", "Begum", "Bennett",
    "Boateng", "Brown", "Campbell", "Chen", "Clarke", "Cohen", "Costa", "Davies", "Demir",
    "Edwards", "Evans", "Francis", "Gordon", "Grant", "Green", "Gupta", "Haddad", "Hall",
    "Hussain", "Ibrahim", "Jackson", "James", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "King",
    "Kowalski", "Lewis", "Lopez", "Mahmood", "Martin", "Mensah", "Miah", "Mohamed", "Morris",
    "Murphy", "Nguyen", "Nowak", "Nwosu", "Obi", "Ochieng", "Okafor", "Okoro", "Oliveira", "Osei",
    "Owusu", "Patel", "Phillips", "Popescu", "Rahman", "Reid", "Roberts", "Robinson", "Rossi",
    "Santos", "Scott", "Shah", "Silva", "Singh", "Smith", "Taylor", "Thomas", "Thompson", "Turner",
    "Uddin", "Walker", "Walsh", "Ward", "White", "Williams", "Wilson", "Wright", "Yilmaz", "Young",
]
# fmt: on

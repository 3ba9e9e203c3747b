"""Kinds of work a client may ask a small AI company for that it does not sell: what "nothing fits" looks like.

The matcher compares a request with these as well as with the catalogue: a request closer to one of them
than to every service is one we don't offer. They are broad trades, not the requests of any test set, in
two forms because the model compares like with like: descriptions (e5's passages) and requests (queries).
"""

DESCRIPTIONS = (
    ("Building, renovation and repair work in homes, offices and other buildings: kitchens, bathrooms, roofs, floors, "
     "painting."),
    "Plumbing, heating, electrical installation and other trades called out to fix something in a building.",
    "Translating and interpreting texts, books and documents from one language into another.",
    "Catering, food, drinks and organising events, parties, weddings, conferences and team outings.",
    "Photography, video production and filming of events or products.",
    "Graphic design: logos, business cards, branding, print and packaging.",
    "Building websites, online shops and mobile apps; web hosting and domains.",
    "Office IT support: computers, laptops, printers, networks, Wi-Fi, hardware repair and data recovery.",
    "Bookkeeping, tax returns, payroll, audits of accounts and financial advice.",
    "Legal services: contracts drafting, lawsuits, company registration and notary work.",
    "Marketing, advertising, social media management and search engine optimisation.",
    "Recruitment, hiring staff, temporary workers and HR administration.",
    "Cleaning services for offices, homes and windows.",
    "Moving, transport, couriers, logistics and storage of goods.",
    "Car, vehicle and machine servicing, repairs, tyres and rental.",
    "Training courses, language lessons, coaching and tutoring.",
    "Medical, health, beauty and wellness services.",
    "Printing, manufacturing and production of physical goods to order.",
)

REQUESTS = (
    "We need builders to renovate our kitchen, bathroom or offices.",
    "Something in our building is broken and needs a plumber or an electrician.",
    "Please translate our book, brochure or documents into another language.",
    "We are organising an event, party, wedding or company outing and need catering.",
    "We need a photographer or a video crew.",
    "Design a logo, business cards and our brand identity.",
    "Build us a website, an online shop or a mobile app.",
    "Our computers, printers or network need fixing, or we lost data on a disk.",
    "We need an accountant for bookkeeping, payroll and tax returns.",
    "We need a lawyer or a notary.",
    "Help us with advertising, social media and search engine rankings.",
    "We are looking for staff to hire or temporary workers.",
    "We need our office or home cleaned regularly.",
    "We are moving and need transport, a van and packers.",
    "Our car, van or machines need servicing, repairs or new tyres.",
    "We want lessons, a training course or a coach for our team.",
    "We need a doctor, a therapist or a beauty treatment.",
    "Please print, manufacture or produce goods for us.",
)

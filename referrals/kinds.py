"""The vocabulary of a relationship history: kinds of interaction and directions of value.

Pure data, shared by the models, the forms, the trust score and the ranking.
"""

# (value stored in the database, label shown to people). Order is the order of the form's menu.
INTERACTION_KINDS = (
    ("check_in", "Check-in"),
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("message", "Message"),
    ("event", "Met at an event"),
    ("advice", "Advice"),
    ("market_insight", "Market insight"),
    ("introduction", "Introduction"),
    ("referral", "Referral"),
    ("hire", "Hire / placement"),
    ("favour", "Favour"),
    ("ask", "Ask (time, advice or job support)"),
)
KIND_VALUES = tuple(value for value, _ in INTERACTION_KINDS)
KIND_LABELS = dict(INTERACTION_KINDS)

# Who the value went to, stored relative to the relationship's two sides "a" and "b".
# "a" means side a gave to side b; "mutual" is an exchange both sides gained from.
GIVERS = ("a", "b", "mutual")

# What a person picks on the form, relative to themselves.
DIRECTION_CHOICES = (
    ("i_gave", "I gave"),
    ("they_gave", "They gave"),
    ("mutual", "Mutual exchange"),
)

ROLES = (
    ("recruiter", "Recruiter"),
    ("candidate", "Candidate"),
    ("client", "Hiring client"),
)
ROLE_VALUES = tuple(value for value, _ in ROLES)

VISIBILITIES = (
    ("recruiters", "Visible to all recruiters"),
    ("connections", "Only people I am connected with"),
    ("private", "Only me"),
)
VISIBILITY_VALUES = tuple(value for value, _ in VISIBILITIES)

# Status of an interaction as its other party sees it.
PENDING, CONFIRMED, DISPUTED = "pending", "confirmed", "disputed"

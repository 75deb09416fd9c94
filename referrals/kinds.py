"""The vocabulary of a relationship history: kinds of interaction and directions of value.

Pure data, shared by the models, the forms, the templates, the trust score and the ranking.
`KINDS` is the one table of interaction kinds; everything else about a kind derives from it, and
tests/referrals/test_kinds.py checks that every kind is complete wherever it is used.
"""

from dataclasses import dataclass

from referrals.statuses import Giver, Role, Visibility


@dataclass(frozen=True)
class Kind:
    """One kind of interaction, with everything the product says and counts about it."""

    value: str  # stored in the database and the trust ledger; never rename a stored value
    label: str  # on forms and pages
    # What one interaction of this kind is worth to the trust score, in its "units" (see
    # referrals/trust/parts.py for why these values).
    units: float
    # (one, many) as it reads after "you gave" in the score's reasons; an ask is worded apart
    # ("they asked twice"), so its nouns only name what answering it gave.
    nouns: tuple[str, str]
    icon: str  # shown before the label, hidden from screen readers (the label says it)
    # Rank in the reasons, most telling first; None keeps it out of the list of what was given.
    telling: int | None
    # Substance: costs the giver real effort or reputation (DOMAIN: "substance counts").
    substance: bool = False
    # Give and take at once: a placement is value from the client (the role entrusted) and from
    # the recruiter (the hire delivered), whoever is recorded as the giver.
    both_ways: bool = False
    # An ask: a request for time, advice or job support; counted for the side that answered it,
    # and worthless "out of the blue" (see parts.History.feed).
    is_ask: bool = False
    # Who may log it: every role today; a kind only some roles may log names them here.
    logged_by: frozenset[Role] = frozenset(Role)

    def noun(self, count: int) -> str:
        """The noun for `count` of this kind: "referral" or "referrals"."""
        return self.nouns[count != 1]


# Order is the order of the form's menu.
KINDS: tuple[Kind, ...] = (
    Kind("check_in", "Check-in", 1.0, ("check-in", "check-ins"), "👋", 10),
    Kind("call", "Call", 1.0, ("call", "calls"), "📞", 9),
    Kind("meeting", "Meeting", 1.5, ("meeting", "meetings"), "🤝", 7),
    Kind("message", "Message", 0.5, ("message", "messages"), "✉️", 11),
    Kind("event", "Met at an event", 1.0, ("event together", "events together"), "🎟️", 8),
    Kind("advice", "Advice", 2.0, ("piece of advice", "pieces of advice"), "💡", 4,
         substance=True),
    Kind("market_insight", "Market insight", 2.0, ("market insight", "market insights"), "📈", 5,
         substance=True),
    Kind("introduction", "Introduction", 2.5, ("introduction", "introductions"), "🔗", 3,
         substance=True),
    Kind("referral", "Referral", 3.0, ("referral", "referrals"), "📨", 2, substance=True),
    Kind("hire", "Hire / placement", 4.0, ("hire", "hires"), "🏆", 1, substance=True,
         both_ways=True),
    Kind("favour", "Favour", 2.0, ("favour", "favours"), "🎁", 6, substance=True),
    Kind("ask", "Ask (time, advice or job support)", 1.0, ("answer to an ask", "answers to asks"),
         "🙋", None, is_ask=True),
)
KIND_BY_VALUE = {kind.value: kind for kind in KINDS}
INTERACTION_KINDS = tuple((kind.value, kind.label) for kind in KINDS)  # (value, label) menu
KIND_VALUES = tuple(KIND_BY_VALUE)
KIND_LABELS = {kind.value: kind.label for kind in KINDS}
KIND_ICONS = {kind.value: kind.icon for kind in KINDS}
KIND_UNITS = {kind.value: kind.units for kind in KINDS}
SUBSTANCE_KINDS = frozenset(kind.value for kind in KINDS if kind.substance)
BOTH_WAYS_KINDS = frozenset(kind.value for kind in KINDS if kind.both_ways)
# The one kind that is an ask (the score, the reasons and "Before you ask" treat it apart).
(ASK,) = (kind.value for kind in KINDS if kind.is_ask)
# What the reasons list as given, most telling first.
TELLING_ORDER = tuple(kind.value for kind in sorted(KINDS, key=lambda k: k.telling or 0)
                      if kind.telling is not None)


def kinds_for(role: str) -> tuple[Kind, ...]:
    """The kinds someone of `role` may log, in menu order."""
    return tuple(kind for kind in KINDS if role in kind.logged_by)


# Who the value went to, stored relative to the relationship's two sides "a" and "b".
# "a" means side a gave to side b; "mutual" is an exchange both sides gained from.
GIVERS = tuple(giver.value for giver in Giver)

# What a person picks on the form, relative to themselves.
DIRECTION_CHOICES = (
    ("i_gave", "I gave"),
    ("they_gave", "They gave"),
    ("mutual", "Mutual exchange"),
)

# (value, label) menus of the enums in statuses.py, kept under their old names.
ROLES = tuple((role.value, role.label) for role in Role)
ROLE_VALUES = tuple(role.value for role in Role)
VISIBILITIES = tuple((v.value, v.label) for v in Visibility)
VISIBILITY_VALUES = tuple(v.value for v in Visibility)

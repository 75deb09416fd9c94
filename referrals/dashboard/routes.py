"""The portal's home: my network, what awaits me, recent activity."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from auth.access import public
from auth.validators import without_control_characters
from referrals.display import local_today
from referrals.kinds import ROLES
from referrals.network import dashboard as network
from referrals.openings import pipeline
from referrals.openings import services as openings
from referrals.statuses import Role
from referrals.trust import strength

bp = Blueprint("dashboard", __name__)


def _filter_from_args() -> network.NetworkFilter:
    args = request.args
    role = args.get("role", "")
    last_contact = args.get("last_contact", "")
    sort = args.get("sort", "strength")
    sort = sort if sort in network.SORTS else "strength"
    # Strongest first and latest contact first are what people look for; names read A to Z.
    descending = args.get("dir", "desc" if sort in ("strength", "last_contact") else "asc")
    return network.NetworkFilter(
        role=role if role in dict(ROLES) else "",
        organisation=without_control_characters(args.get("organisation", "")).strip()[:120],
        last_contact=last_contact if last_contact in network.LAST_CONTACT_FILTERS else "",
        sort=sort, descending=descending == "desc")


@bp.route("/")
@public
def index():
    """Anyone: the landing page; signed-in users: their dashboard."""
    if not current_user.is_authenticated:
        return render_template("landing.html")
    me = current_user.person
    flt = _filter_from_args()
    today = local_today()  # the reader's today: cadences fall due on their calendar
    rows = network.network_rows(me.id, flt, today)
    strengths = {rel.id: strength.strength_of(rel, today, me.id) for rel, _ in rows}
    if flt.sort == "strength":
        rows.sort(key=lambda row: (strengths[row[0].id].score, row[1].name.lower()),
                  reverse=flt.descending)
    everyone = rows if not (flt.role or flt.organisation or flt.last_contact) else \
        network.network_rows(me.id, network.NetworkFilter(), today)
    return render_template(
        "referrals/dashboard.html", me=me, flt=flt, today=today, roles=ROLES,
        last_contact_filters=network.LAST_CONTACT_FILTERS, rows=rows, strengths=strengths,
        losing_touch=strength.losing_touch(everyone, me.id, today),
        awaiting=network.awaiting_confirmation(me.id),
        requests=network.connection_requests(me.id),
        consents=openings.pending_consents(me.id),
        to_answer=pipeline.awaiting_answer(me.id) if me.role == Role.CLIENT else [],
        activity=network.recent_activity(me.id))

"""The portal's home: my network, what awaits me, recent activity."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from auth.access import public
from extensions import utcnow
from referrals import network
from referrals.kinds import ROLES

bp = Blueprint("dashboard", __name__)


def _filter_from_args() -> network.NetworkFilter:
    args = request.args
    role = args.get("role", "")
    last_contact = args.get("last_contact", "")
    sort = args.get("sort", "name")
    return network.NetworkFilter(
        role=role if role in dict(ROLES) else "",
        organisation=args.get("organisation", "").strip()[:120],
        last_contact=last_contact if last_contact in network.LAST_CONTACT_FILTERS else "",
        sort=sort if sort in network.SORTS else "name",
        descending=args.get("dir") == "desc")


@bp.route("/")
@public
def index():
    """Anyone: the landing page; signed-in users: their dashboard."""
    if not current_user.is_authenticated:
        return render_template("landing.html")
    me = current_user.person
    flt = _filter_from_args()
    today = utcnow().date()
    return render_template(
        "referrals/dashboard.html", me=me, flt=flt, today=today, roles=ROLES,
        last_contact_filters=network.LAST_CONTACT_FILTERS,
        rows=network.network_rows(me.id, flt, today),
        awaiting=network.awaiting_confirmation(me.id),
        requests=network.connection_requests(me.id),
        activity=network.recent_activity(me.id))

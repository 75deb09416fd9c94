"""The portal's home: my network a page at a time, what awaits me, recent activity."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from auth import standing
from auth.access import public
from auth.validators import without_control_characters
from extensions import db
from referrals.access import side_or_404
from referrals.display import in_place, local_today
from referrals.forms import ActionForm
from referrals.history import services as history
from referrals.kinds import ROLES
from referrals.models import Relationship
from referrals.network import dashboard as network
from referrals.network import listing, losing
from referrals.openings import pipeline
from referrals.openings import services as openings
from referrals.paging import PAGE_SIZE, page_number
from referrals.statuses import Role
from referrals.trust import daily

bp = Blueprint("dashboard", __name__)
PENDING_GROUPS_SHOWN = 10


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
    number = page_number(request.args.get("page"))
    daily.refresh(me.id, today)  # the trust sort and losing touch read today's standings
    page = listing.network_page(me.id, flt, today, number)
    filtered = bool(flt.role or flt.organisation or flt.last_contact)
    return render_template(
        "referrals/dashboard.html", me=me, flt=flt, today=today, roles=ROLES,
        last_contact_filters=network.LAST_CONTACT_FILTERS, page=page, filtered=filtered,
        losing_touch=losing.losing_touch_page(me.id, today, 1, losing.SHOWN_ON_DASHBOARD),
        activity=network.recent_activity(me.id), **_waiting_for(me.id),
        former_application=(standing.pending_application(current_user)
                            if current_user.former_role else None))


def _waiting_for(person_id: int) -> dict:
    """What the "Waiting for you" panel shows (templates/referrals/_waiting.html)."""
    requests, request_count = listing.connection_requests(person_id)
    return {"pending": listing.pending_groups(person_id, size=PENDING_GROUPS_SHOWN),
            "requests": requests, "request_count": request_count,
            "consents": openings.pending_consents(person_id),
            "to_answer": (pipeline.awaiting_answer(person_id)
                          if current_user.role == Role.CLIENT else [])}


@bp.route("/relationships/<int:rel_id>/confirm-all", methods=["POST"])
@login_required
def confirm_all(rel_id):
    """The two parties: confirm every entry the other side logged that waits for them."""
    rel = db.session.get(Relationship, rel_id)
    side_or_404(current_user, rel)
    if not ActionForm().validate_on_submit():
        abort(400)
    other = rel.other(current_user.person.id)
    count = history.confirm_all_from_other_side(current_user, rel.id)
    message = (f"Confirmed {count} {'entry' if count == 1 else 'entries'} from {other.name}."
               if count else f"Nothing from {other.name} was waiting for you.")
    if in_place():
        return render_template("referrals/_waiting.html", announce=message,
                               **_waiting_for(current_user.person.id))
    flash(message, "success" if count else "info")
    return redirect(url_for("dashboard.index") + "#waiting")


@bp.route("/losing-touch")
@login_required
def losing_touch():
    """Signed-in users: everyone they are losing touch with, most urgent first, in pages."""
    today = local_today()
    me = current_user.person.id
    daily.refresh(me, today)
    page = losing.losing_touch_page(me, today, page_number(request.args.get("page")))
    return render_template("referrals/losing_touch.html", page=page)


@bp.route("/waiting")
@login_required
def waiting():
    """Signed-in users: everyone whose entries wait for their confirmation, in pages."""
    summary = listing.pending_groups(current_user.person.id,
                                     page_number(request.args.get("page")), size=PAGE_SIZE)
    return render_template("referrals/waiting.html", pending=summary)

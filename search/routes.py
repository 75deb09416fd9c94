"""The search box: results page and typeahead."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

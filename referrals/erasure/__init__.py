"""Deleting people: a contact a recruiter keeps, and (in time) one's own account."""

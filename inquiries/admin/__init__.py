"""The admissions desk: inquiries worked in Django admin.

Every change made here goes through inquiries.services, so the timeline records it with its
author. What each person may do comes from their group's permissions (see the README):
representatives work their own and unassigned inquiries; managers everything, including
assigning to others, exporting and deleting; the dashboard needs its own permission.
"""

# Imported for their @admin.register, which Django's autodiscover runs by importing this package.
from inquiries.admin import coverage, inquiry, notifications, personal_data, team  # noqa: F401

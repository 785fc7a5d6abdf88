"""Admissions rules. Every write to an inquiry goes through a function in these modules, so
the timeline is complete whatever path made the change: the public form, an admin edit, a
bulk action or a management command.

One module per job; callers import the module they need (`from inquiries.services import
workflow`, then `workflow.change_status(...)`):

- timeline: writing one timeline entry, and which kinds of entry there are;
- rules: each rule of working an inquiry, stated once as "why is this refused?";
- workflow: what staff do to an inquiry (status, owner, follow-up, notes, contacts with their
  outcome), one at a time or in bulk, and `validate_update` for forms that check before saving;
- replies: an email to the prospect written from the inquiry's page, from a template;
- reminders: each representative's morning email of new leads and follow-ups due;
- routing: giving a new inquiry to the next representative covering its program;
- capture: recording what a prospect sent from the request-info form;
- notifications: owing an email and queueing its sending;
- delivery: sending one owed email, with its attempts, backoff and giving up;
- retention: removing the personal data of inquiries nobody has worked on for long, each
  status after its own age;
- personal_data: one person's data on request, exported as a file or erased, and logged.
"""

"""The request-info form page, rendered once per program, language and content version.

The inquiries app cuts its unsent form page into a shell every visitor shares and the few
values that are each visitor's own (inquiries/formpage.py). The project keeps the shells, as
it keeps public pages (portal/pagecache.py): in each process's memory, with the content
version they were rendered under, so that an edit to a program or a campus shows on the next
request. A shell of an older version is never used. If the shared cache (the version) cannot
be reached, the page is rendered in full, as before.

Only a GET or HEAD of the form goes through a shell; a form sent back, with errors or to
change language, is the view's own full render. A form sent back is checked against the
programs and campuses read once per content version too (the two queries every submission
made before), kept in the same way.
"""

from collections import OrderedDict
from functools import wraps

from inquiries import formpage
from inquiries import forms as inquiry_forms
from inquiries import views as inquiry_views
from portal.pagecache import content_version

# Programs x languages x site addresses: a few dozen in practice. The bound keeps an unusual
# stream (made-up program slugs, many Host names) to a little memory.
MAX_SHELLS = 256

_shells: OrderedDict = OrderedDict()
_programs: tuple = (None, None)  # (content version, the form's programs)


def _version():
    try:
        return content_version()
    except Exception:  # e.g. Redis down: render the page in full, never fail
        return None


def _shell(request):
    version = _version()
    if version is None:
        return None
    key = inquiry_views.form_shell_key(request)
    stored = _shells.get(key)
    if stored is not None and stored[0] == version:
        _shells.move_to_end(key)
        return stored[1]
    shell = inquiry_views.render_form_shell(request)
    if shell is not None:
        _shells[key] = (version, shell)
        _shells.move_to_end(key)
        while len(_shells) > MAX_SHELLS:
            _shells.popitem(last=False)
    return shell


def _offered_programs():
    """The form's programs and campuses as read under the current content version: a form
    sent back is checked against them without reading them again."""
    global _programs
    version = _version()
    if version is None:
        return None
    if _programs[0] != version:
        _programs = (version, inquiry_forms.offered_programs())
    return _programs[1]


def cached_form_page(view):
    """Serve the unsent form from a shell of the current content version; give a form sent
    back the programs read under that version."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            shell = _shell(request)
            if shell is not None:
                return formpage.fill_in(shell, request)
        return view(request, *args, programs=_offered_programs(), **kwargs)

    return wrapped

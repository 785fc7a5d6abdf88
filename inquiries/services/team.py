"""The team: managers add representative logins, set the programs they cover and their direct
line, and deactivate them, without superuser rights.

A representative made here is staff, in the "Admissions representative" group and no other,
never a superuser and with no permissions of their own: whatever a form posts, these
functions write only that. Each writes the login, its group, its coverage and its profile in
one transaction. Deactivating keeps the login, its coverage and its inquiries (the figures
and the timeline still name them); routing skips inactive staff, so no new inquiry goes to
them, and their open inquiries stay theirs unless the manager asks to unassign them.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from inquiries.models import OPEN_STATUSES, Coverage, Inquiry, StaffProfile
from inquiries.services import workflow
from programs.models import Program

REPRESENTATIVE_GROUP = "Admissions representative"


def can_manage_team(user) -> bool:
    return bool(user and user.is_active and user.has_perm("inquiries.manage_team"))


def representatives():
    """Every login the team page shows and changes, active or not: in the representatives'
    group and no other, no permissions of its own, never a superuser."""
    others = Group.objects.exclude(name=REPRESENTATIVE_GROUP)
    return (
        get_user_model()
        .objects.filter(
            pk__in=Group.objects.filter(name=REPRESENTATIVE_GROUP).values("user"),
            is_superuser=False,
        )
        .exclude(groups__in=others)
        .exclude(user_permissions__isnull=False)
    )


def is_representative(user) -> bool:
    return representatives().filter(pk=user.pk).exists()


def _check(by, user=None) -> None:
    if not can_manage_team(by):
        raise PermissionDenied("Only admissions managers may change the team.")
    if user is not None and not is_representative(user):
        raise PermissionDenied("The team page changes representatives only.")


def spoken_languages(value: str | None) -> list[str]:
    """The language codes a profile's `languages` lists, in settings.LANGUAGES order; no
    profile (None) is the site's default language."""
    if value is None:
        return [settings.LANGUAGE_CODE]
    given = {code.strip() for code in value.split(",")}
    return [code for code, _ in settings.LANGUAGES if code in given]


def languages_value(languages: Iterable[str]) -> str:
    """What a profile stores for these codes: the known ones, comma-separated, in order."""
    return ",".join(spoken_languages(",".join(languages)))


def _write_coverage_and_profile(
    user, programs: Iterable[Program], direct_line: str, languages: Iterable[str] | None
) -> None:
    wanted = {program.pk for program in programs}
    Coverage.objects.filter(representative=user).exclude(program_id__in=wanted).delete()
    have = set(Coverage.objects.filter(representative=user).values_list("program_id", flat=True))
    Coverage.objects.bulk_create(
        [Coverage(representative=user, program_id=pk) for pk in sorted(wanted - have)]
    )
    profile = {"direct_line": direct_line}
    if languages is not None:
        profile["languages"] = languages_value(languages)
    StaffProfile.objects.update_or_create(user=user, defaults=profile)


@transaction.atomic
def add_representative(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    by,
    password: str = "",
    direct_line: str = "",
    programs: Iterable[Program] = (),
    languages: Iterable[str] | None = None,
):
    """A new representative login. Without a password it has none that works until they set
    one through a set-password link (`set_password_path`)."""
    _check(by)
    user = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=True,
        is_active=True,
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=REPRESENTATIVE_GROUP)])
    _write_coverage_and_profile(user, programs, direct_line, languages)
    return user


@transaction.atomic
def update_representative(
    *,
    user,
    first_name: str,
    last_name: str,
    email: str,
    by,
    direct_line: str = "",
    programs: Iterable[Program] = (),
    languages: Iterable[str] | None = None,
):
    """Change a representative's name, email, coverage, direct line and the languages they
    speak (None leaves those as they are), nothing else."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check(by, user)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    _write_coverage_and_profile(user, programs, direct_line, languages)
    return user


@transaction.atomic
def deactivate_representative(*, user, by, unassign_open: bool = False) -> int:
    """They can no longer sign in and get no new inquiries; their inquiries, coverage and
    history stay. With `unassign_open`, their open inquiries become unassigned (each noted on
    its timeline) for a manager to give out again. Returns how many were unassigned."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check(by, user)
    if user.pk == by.pk:
        raise PermissionDenied("You cannot deactivate yourself.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    if not unassign_open:
        return 0
    open_inquiries = Inquiry.objects.select_for_update().filter(
        owner=user, status__in=OPEN_STATUSES
    )
    unassigned = 0
    for inquiry in open_inquiries:
        workflow.assign_owner(inquiry=inquiry, owner=None, by=by)
        unassigned += 1
    return unassigned


@transaction.atomic
def reactivate_representative(*, user, by):
    """They may sign in again, and routing gives them their programs' new inquiries again."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check(by, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def clear_password(*, user, by):
    """Their password stops working; they choose a new one through a set-password link."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check(by, user)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user

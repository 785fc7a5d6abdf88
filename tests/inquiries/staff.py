"""Staff users in the groups the data migration creates, for the workflow and admin tests."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import InquiryFactory, UserFactory

REPRESENTATIVE = "Admissions representative"
MANAGER = "Admissions manager"
CONTENT_EDITOR = "Content editor"


def staff_in(group_name: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def representative(**kwargs):
    return staff_in(REPRESENTATIVE, **kwargs)


def manager(**kwargs):
    return staff_in(MANAGER, **kwargs)


def content_editor(**kwargs):
    return staff_in(CONTENT_EDITOR, **kwargs)


def inquiry_submitted(ago: datetime.timedelta, **kwargs):
    """An inquiry whose submission time lies `ago` in the past (submitted_at is auto_now_add)."""
    inquiry = InquiryFactory(**kwargs)
    inquiry.submitted_at = timezone.now() - ago
    type(inquiry).objects.filter(pk=inquiry.pk).update(submitted_at=inquiry.submitted_at)
    return inquiry

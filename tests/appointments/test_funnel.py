"""The dashboard's funnel with visits, counted by inquiries through reverse relations."""

import pytest
from django.urls import reverse

from appointments.models import Attendance as AppointmentAttendance
from inquiries import reports
from inquiries.models import Inquiry, Status
from inquiries.visit_funnel import visit_funnel
from tests.appointments.factories import BookingFactory
from tests.factories import InquiryFactory
from tests.inquiries.staff import manager
from tests.visits.factories import EventFactory, RegistrationFactory
from visits.models import Attendance, RegistrationStatus

pytestmark = pytest.mark.django_db


def funnel():
    return {
        row["key"]: (row["count"], row.get("of_before"))
        for row in reports.dashboard()["visit_funnel"]
    }


def test_the_funnel_counts_bookings_attendance_then_applications_and_enrollments():
    InquiryFactory()  # never booked
    booked_only = InquiryFactory()
    RegistrationFactory(inquiry=booked_only, status=RegistrationStatus.CANCELLED)
    came = InquiryFactory()
    RegistrationFactory(inquiry=came, attendance=Attendance.ATTENDED)
    RegistrationFactory(inquiry=came, event=EventFactory(), attendance=Attendance.ATTENDED)
    applied = InquiryFactory(status=Status.APPLIED)
    BookingFactory(inquiry=applied, attendance=AppointmentAttendance.ATTENDED)
    enrolled = InquiryFactory(status=Status.ENROLLED)
    RegistrationFactory(inquiry=enrolled, attendance=Attendance.ATTENDED)
    BookingFactory(inquiry=enrolled)
    InquiryFactory(status=Status.ENROLLED)  # enrolled without a visit: not in this funnel
    assert funnel() == {
        "inquiries": (6, None),
        "booked": (4, "67%"),
        "attended": (3, "75%"),
        "applied": (2, "67%"),
        "enrolled": (1, "50%"),
    }


def test_the_funnel_is_one_query_however_many_visits(django_assert_num_queries):
    def count_once():
        asked = reports.prospects(reports.DateRange.default().filter(Inquiry.objects.all()))
        with django_assert_num_queries(1):
            visit_funnel(asked, reached=reports.reached)

    RegistrationFactory(inquiry=InquiryFactory(), attendance=Attendance.ATTENDED)
    count_once()
    for _ in range(5):
        inquiry = InquiryFactory(status=Status.APPLIED)
        RegistrationFactory(inquiry=inquiry, attendance=Attendance.ATTENDED)
        BookingFactory(inquiry=inquiry)
    count_once()


def test_the_dashboard_shows_the_funnel_with_visits(client):
    client.force_login(manager())
    RegistrationFactory(inquiry=InquiryFactory(), attendance=Attendance.ATTENDED)
    response = client.get(reverse("admin:inquiries_inquiry_dashboard"))
    html = response.content.decode()
    assert "The funnel with visits" in html
    assert "Booked a visit or appointment" in html

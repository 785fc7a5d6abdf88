"""The request-info form cannot be used to mail strangers: only addresses a prospect could
read mail at, one confirmation per address per day, nothing typed in the subject line."""

import pytest
from django.core import mail
from django.urls import reverse

from inquiries.addresses import NOT_A_PROSPECT_ADDRESS, is_prospect_address
from inquiries.forms import RequestInfoForm
from inquiries.models import Inquiry, Notification, NotificationKind, NotificationStatus
from tests.factories import ProgramFactory
from tests.inquiries.test_forms import form_data

pytestmark = pytest.mark.django_db

URL = reverse("inquiries:request-info")

NOT_A_PROSPECTS = [
    "x@[127.0.0.1]",
    "x@[IPv6:::1]",
    "x@127.0.0.1",
    "x@localhost",
    "x@intranet",
    "x@printer.local",
    "x@mail.test",
    "x@site.example",
    "x@nowhere.invalid",
    "x@box.localhost",
    "x@something.onion",
    "x@router.home.arpa",
    "x@corp.internal",
    "x@example.com..",
]


@pytest.fixture
def program():
    return ProgramFactory(slug="medical-assistant-technician")


@pytest.mark.parametrize("address", NOT_A_PROSPECTS)
def test_addresses_that_cannot_be_a_prospects_are_recognised(address):
    assert not is_prospect_address(address)


@pytest.mark.parametrize(
    "address",
    ["maria@gmail.com", "m.lopez@mail.ucf.edu", "ana@xn--bcher-kva.de", "pat@example.com."],
)
def test_ordinary_addresses_are_accepted(address):
    assert is_prospect_address(address)


@pytest.mark.parametrize("address", ["x@[127.0.0.1]", "x@localhost", "x@mail.test"])
def test_the_form_refuses_them_beside_the_email_field(program, address):
    form = RequestInfoForm(data=form_data(program, email=address))

    assert not form.is_valid()
    assert form.errors["email"] in (
        [NOT_A_PROSPECT_ADDRESS],
        ["Enter an email address in the form name@example.com."],
    )


def test_an_address_literal_is_refused_with_its_message_and_kept_as_typed(client, program):
    response = client.post(URL, form_data(program, email="x@[127.0.0.1]"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "we can only reply to an address with an ordinary domain name" in html
    assert 'value="x@[127.0.0.1]"' in html
    assert 'value="Maria"' in html
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_sending_the_form_twice_in_a_day_sends_one_confirmation(
    client, program, immediate_tasks, django_capture_on_commit_callbacks
):
    for first_name in ("Maria", "Click http://spam.example now"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, form_data(program, first_name=first_name))

    confirmations = Notification.objects.filter(kind=NotificationKind.CONFIRMATION)
    assert [n.status for n in confirmations.order_by("pk")] == [
        NotificationStatus.SENT,
        NotificationStatus.WITHHELD,
    ]
    to_prospect = [m for m in mail.outbox if m.to == ["maria.lopez@example.com"]]
    assert len(to_prospect) == 1
    assert "Maria" not in to_prospect[0].subject

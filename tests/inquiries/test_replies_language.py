"""Template replies in the prospect's language: the Spanish text of a template for an
inquiry sent from the Spanish form (English where the Spanish is empty), its placeholders and
the email's footer in Spanish too; English inquiries unchanged."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from inquiries.models import ReplyTemplate, StaffProfile
from inquiries.services import replies
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory, StartDateFactory
from tests.inquiries.staff import representative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


@pytest.fixture
def rep():
    user = representative(first_name="Rosa", last_name="Alvarez", email="rosa@ftc.example")
    StaffProfile.objects.create(user=user, languages="en,es")
    return user


@pytest.fixture
def template():
    return ReplyTemplate.objects.create(
        name="Intro",
        subject_en="About {program}, {first_name}",
        subject_es="Sobre el {program}, {first_name}",
        body_en="Hi {first_name}, the next class starts {next_start}. Call {rep_phone}.",
        body_es="Hola, {first_name}: la próxima clase empieza el {next_start}. "
        "Llama a {rep_phone}.",
    )


@pytest.fixture
def program():
    program = ProgramFactory(name="Medical Assistant Technician", name_es="Asistente Médico")
    start = datetime.date(2027, 3, 2)  # a Tuesday
    StartDateFactory(program=program, campus=CampusFactory(phone=""), starts_on=start)
    return program


@pytest.fixture(autouse=True)
def _before_the_start(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2027, 1, 4))


def test_a_spanish_inquiry_gets_the_spanish_template_filled_in_spanish(rep, template, program):
    inquiry = InquiryFactory(first_name="Ana", program=program, language="es")
    subject, body = replies.render_reply(template=template, inquiry=inquiry, by=rep)
    assert subject == "Sobre el Asistente Médico, Ana"
    assert body == (
        "Hola, Ana: la próxima clase empieza el martes, 2 de marzo de 2027. "
        "Llama a la oficina de admisiones."
    )


def test_an_english_inquiry_gets_the_english_template(rep, template, program):
    inquiry = InquiryFactory(first_name="Ana", program=program, language="en")
    subject, body = replies.render_reply(template=template, inquiry=inquiry, by=rep)
    assert subject == "About Medical Assistant Technician, Ana"
    assert "starts Tuesday, March 2, 2027. Call the admissions office." in body


def test_an_empty_spanish_text_falls_back_to_the_english(rep, program):
    template = ReplyTemplate.objects.create(
        name="English only", subject_en="Hello {first_name}", body_en="Just English."
    )
    inquiry = InquiryFactory(first_name="Ana", program=program, language="es")
    assert replies.render_reply(template=template, inquiry=inquiry, by=rep) == (
        "Hello Ana",
        "Just English.",
    )


def test_the_reply_email_to_a_spanish_inquiry_has_a_spanish_footer(
    rep, template, program, django_capture_on_commit_callbacks
):
    inquiry = InquiryFactory(
        first_name="Ana", program=program, language="es", email="ana@example.com", owner=rep
    )
    subject, body = replies.render_reply(template=template, inquiry=inquiry, by=rep)
    with django_capture_on_commit_callbacks(execute=True):
        replies.send_reply(inquiry=inquiry, subject=subject, body=body, by=rep, template=template)
    (email,) = mail.outbox
    assert email.subject == "Sobre el Asistente Médico, Ana"
    assert "Para dejar de recibir nuestros correos:" in email.body
    assert "/es/solicitar-informacion/darse-de-baja/" in email.body
    assert "To stop emails" not in email.body

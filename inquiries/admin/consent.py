"""Consent per channel in the inquiry admin: a compact column in the list, the state on the
inquiry's page, and the page where staff record a withdrawal (how and when they learned it),
which goes through services.consent so that the timeline has it."""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from inquiries.models import Channel, Inquiry
from inquiries.services import consent

# The list's short names: "Email ✓ · Call ✗ · Text ✓".
SHORT_NAMES = {Channel.EMAIL: "Email", Channel.PHONE: "Call", Channel.TEXT: "Text"}
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def channel_state(inquiry: Inquiry, channel: str) -> str:
    """ "yes", "withdrawn" (given once, no longer) or "not given"."""
    if consent.has_consent(inquiry, channel):
        return "yes"
    given_on_form = channel == Channel.EMAIL or channel in inquiry.consent_channels.split(",")
    return "withdrawn" if given_on_form else "not given"


def consent_summary(inquiry: Inquiry) -> str:
    """One line for the list: "Email ✓ · Call ✗ · Text ✓"."""
    return " · ".join(
        f"{SHORT_NAMES[channel]} {'✓' if consent.has_consent(inquiry, channel) else '✗'}"
        for channel in Channel
    )


class WithdrawConsentForm(forms.Form):
    channel = forms.ChoiceField(
        label="Stop contact by", widget=forms.RadioSelect, choices=Channel.choices
    )
    how = forms.ChoiceField(
        label="How you learned it", choices=[("", "Choose one"), *consent.STAFF_HOW_CHOICES]
    )
    when = forms.DateTimeField(
        label="When",
        input_formats=[LOCAL_INPUT_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
        help_text="When the prospect told us (in the college's time zone).",
        error_messages={"invalid": "Enter a date and time, such as 2026-01-15 14:30."},
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.value, c.label) for c in channels]
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0].value
        self.fields["when"].initial = timezone.localtime().replace(second=0, microsecond=0)


def withdraw_consent_view(request, object_id, *, model_admin):
    """Record that a prospect asked us to stop one way of contacting them."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    inquiry = model_admin.get_object(request, unquote(object_id))
    if inquiry is None:
        raise Http404("No such inquiry.")
    if not model_admin.has_change_permission(request, inquiry):
        raise PermissionDenied
    change_url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    channels = [channel for channel in Channel if consent.has_consent(inquiry, channel)]
    form = WithdrawConsentForm(
        request.POST if request.method == "POST" else None, channels=channels
    )
    if channels and form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            consent.withdraw_consent(
                inquiry=inquiry,
                channel=data["channel"],
                how=data["how"],
                when=data["when"],
                by=request.user,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            label = Channel(data["channel"]).label
            model_admin.message_user(
                request,
                f"{label}: consent withdrawn and noted on the timeline.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Record a withdrawal of consent: {inquiry}",
        "opts": model_admin.opts,
        "original": inquiry,
        "form": form,
        "channels": channels,
        "change_url": change_url,
        "states": [(channel.label, channel_state(inquiry, channel)) for channel in Channel],
    }
    return TemplateResponse(request, "admin/inquiries/inquiry/withdraw_consent.html", context)


_CONSENT_CELLS: dict[tuple[bool, ...], str] = {}


class ConsentAdminMixin:
    """The consent column and field of InquiryAdmin, and its withdrawal page's address."""

    @admin.display(description="consent")
    def consent_column(self, obj):
        # One short line per channel keeps the column narrow in a crowded list. There are
        # eight cells in all (each channel yes or no): each is written once.
        flags = tuple(consent.has_consent(obj, channel) for channel in Channel)
        cell = _CONSENT_CELLS.get(flags)
        if cell is None:
            cell = _CONSENT_CELLS[flags] = format_html_join(
                mark_safe("<br>"),
                '<span class="nowrap">{} {}</span>',
                (
                    (SHORT_NAMES[channel], "✓" if given else "✗")
                    for channel, given in zip(Channel, flags, strict=True)
                ),
            )
        return cell

    @admin.display(description="consent now")
    def consent_now(self, obj):
        if obj is None or obj.pk is None:
            return ""
        states = format_html_join(
            " · ",
            "{}: {}",
            ((channel.label, channel_state(obj, channel)) for channel in Channel),
        )
        url = reverse("admin:inquiries_inquiry_withdraw_consent", args=[obj.pk])
        return format_html('{}<br><a href="{}">Record a withdrawal…</a>', states, url)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_withdraw_consent"
        view = functools.partial(withdraw_consent_view, model_admin=self)
        return [
            path(
                "<path:object_id>/withdraw-consent/",
                self.admin_site.admin_view(view),
                name=name,
            ),
            *super().get_urls(),
        ]

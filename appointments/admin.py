"""Appointment slots and bookings for the admissions desk.

Representatives open, change and withdraw their own slots and see only those (and the
bookings on them); managers see and change everyone's. Bookings only change through
`appointments.services` (cancelling is an action here), so the timelines and the prospect's
emails always say what happened.
"""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from appointments import services
from appointments.models import Attendance, Booking, BookingStatus, Mode, Slot
from inquiries.selectors import staff_name
from inquiries.services.rules import can_assign_to_others

TIME_HELP = (
    "Wall-clock time where it happens: the campus's time zone for an on-campus slot, the "
    f"college's ({settings.TIME_ZONE}) for a call."
)


def sees_everyone(user) -> bool:
    """Managers see and change every slot; representatives only their own."""
    return can_assign_to_others(user)


class SlotForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = [
            "representative",
            "mode",
            "campus",
            "video_url",
            "programs",
            "starts_at",
            "ends_at",
        ]
        help_texts = {"starts_at": TIME_HELP, "ends_at": TIME_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "representative" in self.fields:
            self.fields["representative"].queryset = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )
        if self.instance.pk:
            # Shown as the wall-clock time where it happens, as it was typed.
            self.initial["starts_at"] = self.instance.local_start.replace(tzinfo=None)
            self.initial["ends_at"] = self.instance.local_end.replace(tzinfo=None)

    def _zone(self, campus) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(campus.time_zone if campus else settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def clean(self):
        data = super().clean()
        mode, campus = data.get("mode"), data.get("campus")
        if mode == Mode.CAMPUS and campus is None:
            self.add_error("campus", "Choose the campus an on-campus appointment is held at.")
        if mode == Mode.VIDEO and not data.get("video_url"):
            self.add_error("video_url", "Give the link the prospect joins the video call with.")
        zone = self._zone(campus if mode == Mode.CAMPUS else None)
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                data[name] = timezone.make_naive(data[name]).replace(tzinfo=zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        if starts and starts <= timezone.now() and "starts_at" in self.changed_data:
            self.add_error("starts_at", "This time has passed: choose one from now on.")
        if mode != Mode.CAMPUS:
            data["campus"] = None
        return data


class CampusFilter(admin.RelatedFieldListFilter):
    """The campus filter, its empty choice named for the slots it picks (not "-")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "No campus (by phone or video)"


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    can_delete = False
    fields = ["first_name", "last_name", "email", "phone", "status", "inquiry", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    form = SlotForm
    list_display = ["when", "mode", "campus", "representative_name", "state", "booked_by"]
    list_filter = [
        "mode",
        ("campus", CampusFilter),
        ("representative", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["campus", "representative"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["programs"]
    inlines = [BookingInline]
    actions = ["withdraw_slots"]

    def get_queryset(self, request):
        slots = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "bookings",
                    queryset=Booking.objects.filter(status=BookingStatus.BOOKED),
                    to_attr="live_bookings",
                )
            )
        )
        return slots if sees_everyone(request.user) else slots.filter(representative=request.user)

    def get_fields(self, request, obj=None):
        fields = list(SlotForm.Meta.fields)
        if not sees_everyone(request.user):
            fields.remove("representative")
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return sees_everyone(request.user) or obj.representative_id == request.user.pk

    def save_model(self, request, obj, form, change):
        if not sees_everyone(request.user):
            obj.representative = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="when", ordering="starts_at")
    def when(self, slot):
        return str(slot).rsplit(",", 1)[0]

    @admin.display(description="representative", ordering="representative__first_name")
    def representative_name(self, slot):
        return staff_name(slot.representative)

    @admin.display(description="booked by")
    def booked_by(self, slot):
        booking = slot.live_bookings[0] if slot.live_bookings else None
        if booking is None:
            return "–"
        url = reverse("admin:appointments_booking_change", args=[booking.pk])
        return format_html('<a href="{}">{}</a>', url, str(booking))

    @admin.display(description="state")
    def state(self, slot):
        if slot.is_cancelled:
            return "Withdrawn"
        if slot.live_bookings:
            return "Booked"
        return "Past, not booked" if slot.starts_at <= timezone.now() else "Open"

    @admin.action(description="Withdraw the selected slots (cancels their bookings)")
    def withdraw_slots(self, request, queryset):
        withdrawn = sum(services.cancel_slot(slot=slot, by=request.user) for slot in queryset)
        self.message_user(
            request, f"Withdrew {withdrawn} slot{'s' if withdrawn != 1 else ''}.", messages.SUCCESS
        )


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "email",
        "slot",
        "status",
        "attendance",
        "inquiry_link",
        "created_at",
    ]
    list_filter = ["status", "attendance"]
    list_select_related = ["slot__campus", "slot__representative", "inquiry"]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = [
        "slot",
        "first_name",
        "last_name",
        "email",
        "phone",
        "topic",
        "language",
        "status",
        "attendance",
        "inquiry_link",
        "rescheduled_to",
        "created_at",
        "cancelled_at",
    ]
    fields = readonly_fields
    actions = ["cancel_bookings", "mark_attended", "mark_no_show"]

    def get_queryset(self, request):
        bookings = super().get_queryset(request)
        if sees_everyone(request.user):
            return bookings
        return bookings.filter(slot__representative=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="inquiry")
    def inquiry_link(self, booking):
        if booking.inquiry_id is None:
            return "–"
        return format_html(
            '<a href="{}">Inquiry {}</a>', booking.inquiry.get_absolute_url(), booking.inquiry_id
        )

    @admin.action(description="Cancel the selected bookings (the prospect is emailed)")
    def cancel_bookings(self, request, queryset):
        cancelled = sum(services.cancel(booking=booking, by=request.user) for booking in queryset)
        self.message_user(
            request,
            f"Cancelled {cancelled} booking{'s' if cancelled != 1 else ''}.",
            messages.SUCCESS,
        )

    def _mark(self, request, queryset, attendance: str, label: str):
        marked = sum(
            services.mark_attendance(booking=booking, attendance=attendance, by=request.user)
            for booking in queryset
        )
        self.message_user(
            request,
            f"Marked {marked} booking{'s' if marked != 1 else ''} {label}.",
            messages.SUCCESS,
        )

    @admin.action(description="Mark the selected appointments attended")
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Attendance.ATTENDED, "attended")

    @admin.action(description="Mark the selected appointments no-shows")
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Attendance.NO_SHOW, "no-shows")

"""Events and their registrations for the admissions desk.

Seats only ever change through `visits.services` (under the event's lock): registrations
are not added or edited here, and cancelling (a registration or a whole event) is an action
that calls the service, so the waitlist moves up and the timelines say what happened.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from programs.models import Campus
from visits import rebooking, roster, services
from visits.models import Event, Registration, RegistrationStatus

TIME_HELP = (
    "In the campus's time zone ({zone}; for an online session, the college's): type the "
    "time people read on the campus clock. Changing it emails everyone registered."
)
CLOSES_HELP = "In the same time zone ({zone}). Empty: registration stays open until the start."


class WhenFilter(admin.SimpleListFilter):
    """Upcoming events (not started yet) or past ones."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "past":
            return queryset.filter(starts_at__lte=now)
        return queryset


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["first_name", "last_name", "email", "phone", "guests", "status", "created_at"]
    readonly_fields = fields
    ordering = ["status", "created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "campus_or_online",
        "local_start",
        "capacity",
        "seats_taken_display",
        "seats_left_display",
        "waitlisted_display",
        "is_published",
        "cancelled_display",
        "roster_link",
    ]
    list_filter = [WhenFilter, "kind", "campus", "is_published"]
    list_select_related = ["campus"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["programs"]
    readonly_fields = ["cancelled_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "description", "programs", "is_published"]}),
        ("Where", {"fields": ["campus", "online_url"]}),
        ("When", {"fields": ["starts_at", "ends_at", "registration_closes_at"]}),
        ("Seats", {"fields": ["capacity"]}),
        ("History", {"fields": ["cancelled_at", "created_at", "updated_at"]}),
    ]
    inlines = [RegistrationInline]
    actions = ["cancel_events"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_seats_taken()
            .annotate(
                waitlisted=Count(
                    "registrations",
                    filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                )
            )
        )

    @admin.display(description="where", ordering="campus__name")
    def campus_or_online(self, event):
        return event.campus.name if event.campus else "Online"

    @admin.display(description="starts (campus time)", ordering="starts_at")
    def local_start(self, event):
        return event.local_starts_at.strftime("%b %-d, %Y, %-I:%M %p %Z")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Times are typed and shown in the event's own zone: its campus's (the one posted,
        when the form is sent), or the college's for an online session."""
        event = Event(campus=None)
        if request.method == "POST" and "campus" in request.POST:
            campus_id = request.POST["campus"]
            event.campus = (
                Campus.objects.filter(pk=campus_id).first() if campus_id.isdigit() else None
            )
        elif object_id and str(object_id).isdigit():
            event = Event.objects.select_related("campus").filter(pk=object_id).first() or event
        with timezone.override(event.time_zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # the widgets show the times while the zone is active
            return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        zone = timezone.get_current_timezone_name()
        kwargs["help_texts"] = {
            name: TIME_HELP.format(zone=zone) for name in ["starts_at", "ends_at"]
        } | {"registration_closes_at": CLOSES_HELP.format(zone=zone)}
        return super().get_form(request, obj, change=change, **kwargs)

    def get_urls(self):
        return roster.urls(self) + super().get_urls()

    @admin.display(description="at the door")
    def roster_link(self, event):
        url = reverse("admin:visits_event_roster", args=[event.pk])
        return format_html('<a href="{}">Roster</a>', url)

    @admin.display(description="seats taken", ordering="seats_taken")
    def seats_taken_display(self, event):
        return event.seats_taken

    @admin.display(description="seats left")
    def seats_left_display(self, event):
        return event.seats_left

    @admin.display(description="waitlist", ordering="waitlisted")
    def waitlisted_display(self, event):
        return event.waitlisted

    @admin.display(description="cancelled", boolean=True, ordering="cancelled_at")
    def cancelled_display(self, event):
        return event.is_cancelled

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"starts_at", "ends_at"} & set(form.changed_data):
            told = rebooking.reschedule_event(event=obj)
            if told:
                self.message_user(
                    request,
                    f"Emailed {told} registered {'person' if told == 1 else 'people'} the new "
                    "time, with updated invitations and reminders.",
                    messages.SUCCESS,
                )
        if change and "capacity" in form.changed_data:
            promoted = services.promote_waitlist(event=obj)
            if promoted:
                names = ", ".join(str(registration) for registration in promoted)
                self.message_user(request, f"Moved off the waitlist: {names}.", messages.SUCCESS)

    @admin.action(description="Cancel the selected events", permissions=["change"])
    def cancel_events(self, request, queryset):
        events = [event for event in queryset if not event.is_cancelled]
        registrations = sum(services.cancel_event(event=event, by=request.user) for event in events)
        self.message_user(
            request,
            f"Cancelled {len(events)} event{'s' if len(events) != 1 else ''} and "
            f"{registrations} registration{'s' if registrations != 1 else ''}.",
            messages.SUCCESS,
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "email",
        "event",
        "guests",
        "status",
        "attendance",
        "inquiry_link",
        "created_at",
    ]
    list_filter = ["status", "attendance", "event"]
    list_select_related = ["event__campus", "inquiry"]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = [
        "event",
        "first_name",
        "last_name",
        "email",
        "phone",
        "guests",
        "status",
        "attendance",
        "inquiry_link",
        "created_at",
        "updated_at",
        "cancelled_at",
    ]
    fields = readonly_fields
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="inquiry")
    def inquiry_link(self, registration):
        if registration.inquiry_id is None:
            return "–"
        return format_html(
            '<a href="{}">Inquiry {}</a>',
            registration.inquiry.get_absolute_url(),
            registration.inquiry_id,
        )

    @admin.action(description="Cancel the selected registrations", permissions=["change"])
    def cancel_registrations(self, request, queryset):
        promoted = []
        cancelled = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
            promoted += services.cancel(registration=registration, by=request.user)
            cancelled += 1
        message = f"Cancelled {cancelled} registration{'s' if cancelled != 1 else ''}."
        if promoted:
            message += " Moved off the waitlist: " + ", ".join(map(str, promoted)) + "."
        self.message_user(request, message, messages.SUCCESS)

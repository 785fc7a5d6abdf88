"""The team page: admissions managers add representative logins, set the programs they cover
and their direct line, and deactivate them. Every write goes through services.team, which
writes only what a representative may have, whatever a form posts."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetConfirmView
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_encode

from inquiries import selectors
from inquiries.languages import language_name
from inquiries.models import OPEN_STATUSES, Representative, StaffProfile
from inquiries.services import team
from programs.models import Program

SET_PASSWORD_DAYS = settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)


class RepresentativeForm(forms.ModelForm):
    """A representative's login and desk details; nothing that grants rights is a field."""

    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Leave both empty to give them a set-password link instead "
            f"(shown on their page once saved, valid for {SET_PASSWORD_DAYS} days)."
        ),
    )
    password2 = forms.CharField(
        label="Password again",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    programs = forms.ModelMultipleChoiceField(
        queryset=Program.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="New inquiries for these programs go to them, in turn with the others who "
        "cover them.",
    )
    direct_line = forms.CharField(
        max_length=20, required=False, help_text="The phone number prospects may call them on."
    )
    languages = forms.MultipleChoiceField(
        label="Languages they speak",
        choices=[(code, language_name(code)) for code, _ in settings.LANGUAGES],
        initial=[settings.LANGUAGE_CODE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A new inquiry goes first to someone covering its program who speaks the "
        "language of the form the prospect sent; in turn with the others if nobody does.",
    )
    active = forms.BooleanField(
        label="Active (may sign in and gets new inquiries)", required=False, initial=True
    )
    unassign_open = forms.BooleanField(
        label="When deactivating, unassign their open inquiries",
        required=False,
        help_text="Otherwise they stay assigned to them for a manager to reassign.",
    )
    new_link = forms.BooleanField(
        label="Stop their current password and give me a new set-password link",
        required=False,
    )

    class Meta:
        model = Representative
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        user = self.instance
        if user.pk:
            self.fields["programs"].initial = list(
                user.coverages.values_list("program_id", flat=True)
            )
            profile = StaffProfile.objects.filter(user=user).first()
            self.fields["direct_line"].initial = profile.direct_line if profile else ""
            self.fields["languages"].initial = team.spoken_languages(
                profile.languages if profile else None
            )
            self.fields["active"].initial = user.is_active
            open_count = user.owned_inquiries.filter(status__in=OPEN_STATUSES).count()
            self.fields["unassign_open"].help_text = (
                f"They own {open_count} open inquir{'y' if open_count == 1 else 'ies'}. "
                "Unticked, those stay assigned to them (routing gives them nothing new) "
                "until a manager reassigns them."
            )
            for name in ("password1", "password2"):
                del self.fields[name]
        else:
            for name in ("active", "unassign_open", "new_link"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first or second:
            if first != second:
                self.add_error("password2", "The two passwords differ.")
            else:
                try:
                    password_validation.validate_password(first, self.instance)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data


class SetPasswordView(PasswordResetConfirmView):
    """Where a new representative chooses their password (Django's reset confirmation)."""

    success_url = reverse_lazy("admin:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set: sign in with it.")
        return response


def set_password_path(user) -> str:
    """The page where this login chooses a password, until it has one (then the link dies)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("admin:inquiries_representative_set_password", args=[uid, token])


class ActiveFilter(admin.SimpleListFilter):
    """Who may sign in and gets new inquiries, and who was deactivated."""

    title = "access"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Active"), ("no", "Deactivated")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_active=self.value() == "yes")
        return queryset


@admin.register(Representative)
class TeamAdmin(admin.ModelAdmin):
    form = RepresentativeForm
    list_display = [
        "name",
        "email",
        "covers",
        "speaks",
        "direct_line",
        "open_inquiries",
        "active",
    ]
    list_filter = [ActiveFilter]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["-is_active", "first_name", "last_name"]
    readonly_fields = ["set_password_link", "last_login"]

    class Media:
        css = {"all": ["css/admin-inquiries.css"]}

    def has_module_permission(self, request):
        return team.can_manage_team(request.user)

    def has_view_permission(self, request, obj=None):
        return team.can_manage_team(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: their inquiries and timeline entries keep their name.
        return False

    def get_queryset(self, request):
        return (
            Representative.objects.filter(pk__in=team.representatives().values("pk"))
            .select_related("admissions_profile")
            .prefetch_related("coverages__program")
            .annotate(
                open_count=Count(
                    "owned_inquiries", filter=Q(owned_inquiries__status__in=OPEN_STATUSES)
                )
            )
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "The team: admissions representatives", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_fieldsets(self, request, obj=None):
        login = ["username", "first_name", "last_name", "email"]
        if obj is None:
            login += ["password1", "password2"]
        fieldsets = [
            ("Login", {"fields": login}),
            ("At the desk", {"fields": ["programs", "languages", "direct_line"]}),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    "Access",
                    {
                        "fields": [
                            "active",
                            "unassign_open",
                            "new_link",
                            "set_password_link",
                            "last_login",
                        ],
                        "description": "Deactivating keeps their login, their coverage and "
                        "every inquiry and timeline entry that names them; they can no "
                        "longer sign in and routing gives them no new inquiries.",
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["username", *self.readonly_fields] if obj is not None else []

    @admin.display(description="name", ordering="first_name")
    def name(self, obj):
        return selectors.staff_name(obj)

    @admin.display(description="covers")
    def covers(self, obj):
        return ", ".join(c.program.name for c in obj.coverages.all()) or "–"

    @admin.display(description="speaks")
    def speaks(self, obj):
        profile = getattr(obj, "admissions_profile", None)
        codes = team.spoken_languages(profile.languages if profile else None)
        return ", ".join(language_name(code) for code in codes) or "–"

    @admin.display(description="direct line")
    def direct_line(self, obj):
        profile = getattr(obj, "admissions_profile", None)
        return profile.direct_line if profile else ""

    @admin.display(description="open inquiries", ordering="open_count")
    def open_inquiries(self, obj):
        url = reverse("admin:inquiries_inquiry_changelist")
        return format_html(
            '<a href="{}?owner={}&amp;status=open">{}</a>', url, obj.pk, obj.open_count
        )

    @admin.display(description="active", boolean=True, ordering="is_active")
    def active(self, obj):
        return obj.is_active

    @admin.display(description="set-password link")
    def set_password_link(self, obj):
        if obj.has_usable_password():
            return "They have a password. Tick the box above to give them a new link instead."
        return format_html(
            '<a href="{}">Set-password link for {}</a><br>Copy the link and send it to them '
            "yourself; it works until they choose a password, for {} days at most.",
            set_password_path(obj),
            selectors.staff_name(obj),
            SET_PASSWORD_DAYS,
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        details = {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "direct_line": data.get("direct_line", ""),
            "programs": data.get("programs") or [],
            "languages": data.get("languages") or [],
            "by": request.user,
        }
        if not change:
            user = team.add_representative(
                username=data["username"], password=data.get("password1") or "", **details
            )
            obj.pk = user.pk
            obj.refresh_from_db()
            return
        team.update_representative(user=obj, **details)
        if data.get("new_link"):
            team.clear_password(user=obj, by=request.user)
        if obj.is_active and not data.get("active"):
            unassigned = team.deactivate_representative(
                user=obj, by=request.user, unassign_open=data.get("unassign_open", False)
            )
            self.message_user(
                request,
                f"{selectors.staff_name(obj)} is deactivated; "
                + (
                    f"{unassigned} open inquiries are now unassigned."
                    if data.get("unassign_open")
                    else "their open inquiries stay assigned to them."
                ),
                messages.WARNING,
            )
        elif not obj.is_active and data.get("active"):
            team.reactivate_representative(user=obj, by=request.user)
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        if obj.has_usable_password() or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        # Without a password, the manager needs the set-password link on their page.
        self.message_user(
            request,
            f"{selectors.staff_name(obj)} was added. Send them the set-password link below.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:inquiries_representative_change", args=[obj.pk]))

    def save_related(self, request, form, formsets, change):
        # Coverage and the profile were written by the service with the login.
        pass

    def get_urls(self):
        confirm = SetPasswordView.as_view(
            extra_context={"site_header": self.admin_site.site_header}
        )
        return [
            path(
                "set-password/<uidb64>/<token>/",
                confirm,
                name="inquiries_representative_set_password",
            ),
            *super().get_urls(),
        ]

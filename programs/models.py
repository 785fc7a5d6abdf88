from decimal import Decimal
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SAMPLE_HELP = (
    "Check when the value is a placeholder, not the college's published fact: "
    "pages mark it “Sample”."
)


class Campus(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    street_address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state", max_length=50)
    postal_code = models.CharField("ZIP code", max_length=10)
    phone = models.CharField(max_length=30, blank=True)
    hours = models.CharField(
        "admissions hours",
        max_length=200,
        blank=True,
        help_text="When admissions answers the phone and sees visitors, e.g. “Mon–Fri 8–6”.",
    )
    map_url = models.URLField(
        "map link", blank=True, help_text="Empty: pages link a map search for the address."
    )
    contact_is_sample = models.BooleanField(
        "address, phone and hours are samples", default=False, help_text=SAMPLE_HELP
    )
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        help_text="The IANA time zone its events are held in, e.g. America/New_York.",
    )
    is_active = models.BooleanField("active", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "campuses"

    def __str__(self):
        return self.name

    @property
    def one_line_address(self) -> str:
        return f"{self.street_address}, {self.city}, {self.region} {self.postal_code}"

    @property
    def map_link(self) -> str:
        if self.map_url:
            return self.map_url
        query = urlencode({"api": 1, "query": self.one_line_address})
        return f"https://www.google.com/maps/search/?{query}"

    @property
    def phone_uri(self) -> str:
        """A tel: link for the phone number as typed, e.g. "(407) 555-0100"."""
        digits = "".join(char for char in self.phone if char.isdigit())
        if not digits:
            return ""
        if len(digits) == 10:
            digits = f"1{digits}"
        return f"tel:+{digits}"


class Credential(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificate", _("Certificate")
    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree")


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Program(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    credential = models.CharField(max_length=20, choices=Credential, default=Credential.DIPLOMA)
    summary = models.CharField(max_length=300, help_text="One or two sentences for cards.")
    description = models.TextField()
    full_time_months = models.PositiveSmallIntegerField(
        "full-time length (months)", help_text="Typical length when studying full time."
    )
    part_time_months = models.PositiveSmallIntegerField(
        "part-time length (months)", null=True, blank=True, help_text="Empty if not offered."
    )
    part_time_is_sample = models.BooleanField(
        "part-time length is a sample", default=False, help_text=SAMPLE_HELP
    )
    total_clock_hours = models.PositiveSmallIntegerField(
        "total clock hours",
        null=True,
        blank=True,
        help_text="Every hour of the program, practice included.",
    )
    clock_hours_are_sample = models.BooleanField(
        "clock and course hours are samples", default=False, help_text=SAMPLE_HELP
    )
    curriculum_is_sample = models.BooleanField(
        "course codes and titles are samples", default=False, help_text=SAMPLE_HELP
    )
    cost_as_of = models.DateField(
        "costs as of", null=True, blank=True, help_text="The date the cost lines were true."
    )
    cost_source_url = models.URLField(
        "cost source", blank=True, help_text="The college's published cost sheet, if online."
    )
    financial_aid_kinds = models.TextField(
        "kinds of financial aid", blank=True, help_text="One kind a line."
    )
    financial_aid_eligibility = models.TextField("who is eligible for aid", blank=True)
    financial_aid_how_to_apply = models.TextField("how to apply for aid", blank=True)
    net_price_calculator_url = models.URLField("net price calculator", blank=True)
    financial_aid_is_sample = models.BooleanField(
        "financial aid details are samples", default=False, help_text=SAMPLE_HELP
    )
    placement_services = models.TextField(
        "career and placement services", blank=True, help_text="What the college offers graduates."
    )
    programmatic_accreditation = models.TextField(
        "programmatic accreditation",
        blank=True,
        help_text=(
            "Whether the program itself is accredited by CAAHEP or ABHES (or another "
            "programmatic accreditor), as of the date below."
        ),
    )
    programmatic_accreditation_checked_on = models.DateField(
        "programmatic accreditation checked on", null=True, blank=True
    )
    clinical_experience = models.TextField(
        "externship or capstone",
        blank=True,
        help_text="The supervised clinical practice or capstone that ends the program.",
    )
    careers = models.ManyToManyField("roles.Role", related_name="programs", blank=True)
    certifications = models.ManyToManyField(
        "roles.Certification",
        related_name="programs",
        blank=True,
        help_text="Exams the program prepares graduates to sit.",
    )
    campuses = models.ManyToManyField(Campus, related_name="programs", blank=True)
    is_published = models.BooleanField("published", default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:program-detail", args=[self.slug])

    @property
    def financial_aid_kind_list(self) -> list[str]:
        return [line.strip() for line in self.financial_aid_kinds.splitlines() if line.strip()]


class CostKind(models.TextChoices):
    TUITION = "tuition", _("Tuition")
    FEES = "fees", _("Fees")
    BOOKS_SUPPLIES = "books_supplies", _("Books and supplies")
    UNIFORM = "uniform", _("Uniform")
    OTHER = "other", _("Other")


class CostItem(models.Model):
    """One line of a program's total cost."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cost_items")
    kind = models.CharField(max_length=20, choices=CostKind)
    label = models.CharField(
        max_length=100, blank=True, help_text="Shown instead of the kind, e.g. “Registration fee”."
    )
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    is_sample = models.BooleanField("sample", default=False, help_text=SAMPLE_HELP)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]
        verbose_name = "cost line"

    def __str__(self):
        return f"{self.program}: {self.name}"

    @property
    def name(self) -> str:
        return self.label or self.get_kind_display()


def total_cost(items) -> Decimal | None:
    items = list(items)
    return sum((item.amount for item in items), Decimal(0)) if items else None


class RouteStatus(models.TextChoices):
    QUALIFIES = "qualifies", _("Graduates qualify")
    CONDITIONAL = "conditional", _("Graduates may qualify")
    DOES_NOT_QUALIFY = "does_not_qualify", _("Graduates do not qualify through the program")


class CredentialRoute(models.Model):
    """What the program's accreditation status means for one credential's routes."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="credential_routes")
    certification = models.ForeignKey(
        "roles.Certification", on_delete=models.CASCADE, related_name="program_routes"
    )
    status = models.CharField(max_length=20, choices=RouteStatus)
    explanation = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]
        verbose_name = "credential route"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "certification"], name="one_route_per_credential"
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.certification.abbreviation}"


class OutcomeKind(models.TextChoices):
    COMPLETION = "completion", _("Completion rate")
    PLACEMENT = "placement", _("Placement rate")
    PASS_RATE = "pass_rate", _("Credential exam pass rate")


class Outcome(models.Model):
    """A published outcome rate of the program, with its cohort and source."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=OutcomeKind)
    label = models.CharField(
        max_length=100, blank=True, help_text="e.g. “NCMA exam pass rate”; empty: the kind."
    )
    rate = models.DecimalField("rate (%)", max_digits=5, decimal_places=1)
    cohort = models.CharField(
        max_length=100, help_text="Who was counted, e.g. “Students who started in 2024”."
    )
    source_name = models.CharField(max_length=200)
    source_url = models.URLField(blank=True)
    as_of = models.DateField()
    is_sample = models.BooleanField("sample", default=False, help_text=SAMPLE_HELP)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self):
        return f"{self.program}: {self.name}"

    @property
    def name(self) -> str:
        return self.label or self.get_kind_display()


class Pace(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")


class Schedule(models.Model):
    """A way to attend the program, e.g. full-time days or part-time evenings."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(max_length=100)
    pace = models.CharField(max_length=20, choices=Pace)
    description = models.CharField(max_length=300, blank=True)
    class_times = models.CharField(
        max_length=200,
        blank=True,
        help_text="Days and hours of class, e.g. “Mon–Thu 8 a.m.–1 p.m.”.",
    )
    class_times_are_sample = models.BooleanField(
        "class times are samples", default=False, help_text=SAMPLE_HELP
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self):
        return self.name


class AdmissionRequirement(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="admission_requirements"
    )
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self):
        return self.text


class Course(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    hours = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="unique_course_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class StartDateQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        return self.filter(starts_on__gte=today or timezone.localdate())


class StartDate(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="start_dates")
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="start_dates")
    starts_on = models.DateField()
    pace = models.CharField(max_length=20, choices=Pace, default=Pace.FULL_TIME)

    objects = StartDateQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "campus"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "campus", "starts_on", "pace"], name="unique_start_date"
            ),
        ]

    def __str__(self):
        return f"{self.program} at {self.campus}, {self.starts_on:%B %-d, %Y}"

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Comparison addresses join career slugs with this, so no slug may contain it.
COMPARISON_SEPARATOR = "-vs-"


def validate_comparable_slug(value: str) -> None:
    if COMPARISON_SEPARATOR in value or value.startswith("vs-") or value.endswith("-vs"):
        raise ValidationError(
            "A career's address may not contain “-vs-”, start with “vs-” or end with “-vs”: "
            "comparison pages use it to join two careers."
        )


class RoleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Role(models.Model):
    """A healthcare career a visitor can read about and compare."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_comparable_slug])
    soc_code = models.CharField(
        "SOC code",
        max_length=7,
        blank=True,
        help_text="U.S. Bureau of Labor Statistics occupation code, e.g. 31-9092.",
    )
    tagline = models.CharField(max_length=200, help_text="One line shown on cards and in lists.")
    summary = models.TextField(help_text="A short paragraph introducing the career.")
    next_step = models.TextField(
        "next step with us",
        blank=True,
        help_text=(
            "What the page tells a visitor about training for this career here, shown beside "
            "the call to action: say plainly when the college does not offer it."
        ),
    )
    is_published = models.BooleanField("published", default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "career"
        verbose_name_plural = "careers"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:career-detail", args=[self.slug])

    @property
    def comparison_key(self) -> tuple[int, str]:
        """Careers appear in this order on comparison pages and in their addresses."""
        return (self.order, self.slug)


def in_comparison_order(roles: Iterable[Role]) -> list[Role]:
    return sorted(roles, key=lambda role: role.comparison_key)


def comparison_url(roles: Iterable[Role]) -> str:
    """The one canonical address of the comparison of these careers, whatever their order."""
    slugs = COMPARISON_SEPARATOR.join(role.slug for role in in_comparison_order(roles))
    return reverse("roles:comparison-detail", args=[slugs])


class Area(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    CLINICAL = "clinical", _("Clinical")
    LABORATORY = "laboratory", _("Laboratory")


class Duty(models.Model):
    """One task that one or more careers perform; shared so overlaps are computed."""

    name = models.CharField(max_length=200, unique=True)
    area = models.CharField(max_length=20, choices=Area)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area", "order", "name"]
        verbose_name_plural = "duties"

    def __str__(self):
        return self.name


class Emphasis(models.TextChoices):
    CORE = "core", _("Core")
    REGULAR = "regular", _("Regular")
    OCCASIONAL = "occasional", _("Occasional")


class RoleDuty(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_duties")
    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="role_duties")
    emphasis = models.CharField(max_length=20, choices=Emphasis, default=Emphasis.REGULAR)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["role", "duty"]
        verbose_name = "duty of a career"
        verbose_name_plural = "duties of the career"
        constraints = [
            models.UniqueConstraint(fields=["role", "duty"], name="unique_duty_per_role"),
        ]

    def __str__(self):
        return f"{self.role}: {self.duty}"


class Dimension(models.Model):
    """A row of the at-a-glance table: scope, settings, training, certification..."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# A dated figure older than this is flagged in the admin for an editor to refresh.
STALE_AFTER_MONTHS = 18


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from `earlier` to `later` (negative if `later` is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


class RoleFact(models.Model):
    """A career's value for one dimension, cited and dated."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="facts")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="facts")
    value = models.TextField()
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=(
            "The figure as a plain number, for a pay fact the median annual wage in dollars "
            "(e.g. 44200): search engines read it. Leave empty for statements."
        ),
    )
    period = models.CharField(
        max_length=50,
        blank=True,
        help_text="The period the figure describes, as the source names it: “May 2024”, “2024–34”.",
    )
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    as_of = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "The date the value describes (for a May 2024 wage, 2024-05-01). The admin flags "
            f"a value older than {STALE_AFTER_MONTHS} months."
        ),
    )
    checked_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the value against its source."
    )

    class Meta:
        ordering = ["dimension__order", "role__order"]
        verbose_name = "fact"
        constraints = [
            models.UniqueConstraint(fields=["role", "dimension"], name="unique_fact_per_dimension"),
        ]

    def __str__(self):
        return f"{self.role}: {self.dimension}"

    def is_stale(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return self.as_of is not None and months_between(self.as_of, today) > STALE_AFTER_MONTHS


class Education(models.TextChoices):
    NONE = "none", _("No formal education beyond high school")
    POSTSECONDARY_PROGRAM = "program", _("A postsecondary diploma or certificate program")
    COLLEGE_CREDIT = (
        "college_credit",
        _("An associate degree or 60 semester hours of college credit"),
    )
    ASSOCIATE = "associate", _("An associate degree")
    BACHELOR = "bachelor", _("A bachelor's degree")


DEGREES = {Education.COLLEGE_CREDIT, Education.ASSOCIATE, Education.BACHELOR}


class Certification(models.Model):
    abbreviation = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    issuing_body = models.CharField(max_length=200)
    issuing_body_abbreviation = models.CharField(max_length=20, blank=True)
    url = models.URLField("link", blank=True)
    minimum_education = models.CharField(
        max_length=20, choices=Education, default=Education.POSTSECONDARY_PROGRAM
    )
    requires_accredited_program = models.BooleanField(default=False)
    requires_exam = models.BooleanField(default=True)
    eligibility = models.TextField(
        help_text="In plain words, what a candidate needs before sitting the exam."
    )
    routes = models.TextField(
        "eligibility routes",
        blank=True,
        help_text=(
            "One route a line, as the issuing body publishes them (a candidate needs any one). "
            "Pages list them under the credential."
        ),
    )
    eligibility_url = models.URLField(
        "eligibility page", blank=True, help_text="The issuing body's own page of routes."
    )
    checked_on = models.DateField(
        null=True,
        blank=True,
        help_text="When an editor last checked the routes against that page; empty if not yet.",
    )

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self):
        return f"{self.abbreviation} ({self.issuing_body_abbreviation or self.issuing_body})"

    @property
    def needs_degree(self) -> bool:
        """A diploma or certificate alone does not make anyone eligible."""
        return self.minimum_education in DEGREES

    @property
    def route_list(self) -> list[str]:
        return [line.strip() for line in self.routes.splitlines() if line.strip()]

    @property
    def pathway(self) -> list[str]:
        """The least a candidate needs on any route, step by step, in plain words."""
        steps = []
        if self.minimum_education == Education.NONE:
            steps.append(gettext("a high school diploma or equivalent"))
        else:
            steps.append(self.get_minimum_education_display().lower())
        if self.requires_accredited_program:
            steps.append(gettext("graduation from an accredited program"))
        if self.requires_exam:
            steps.append(gettext("a passing score on the certification exam"))
        return steps


class Requirement(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary")
    SOME_STATES = "some_states", _("Required in some states")
    REQUIRED = "required", _("Required")


class RoleCertification(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_certifications")
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="role_certifications"
    )
    requirement = models.CharField(
        max_length=20, choices=Requirement, default=Requirement.VOLUNTARY
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["role", "certification"]
        verbose_name = "credential of a career"
        verbose_name_plural = "credentials of the career"
        constraints = [
            models.UniqueConstraint(
                fields=["role", "certification"], name="unique_certification_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.certification.abbreviation}"


class ComparisonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, left__is_published=True, right__is_published=True)

    def featured(self):
        return self.published().filter(is_featured=True)

    def including(self, role):
        return self.filter(models.Q(left=role) | models.Q(right=role))

    def of_pair(self, first, second):
        return self.filter(models.Q(left=first, right=second) | models.Q(left=second, right=first))


class Comparison(models.Model):
    """The editorial layer over a pair of careers; the data side is computed."""

    left = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    lede = models.TextField()
    caveat = models.TextField(
        blank=True, help_text="A reminder that duties and settings vary by employer and state."
    )
    is_published = models.BooleanField("published", default=True)
    is_featured = models.BooleanField("featured on the home page", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(left=models.F("right")), name="comparison_of_two_roles"
            ),
            models.UniqueConstraint(
                Least("left", "right"), Greatest("left", "right"), name="one_comparison_per_pair"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return comparison_url([self.left, self.right])

    @property
    def roles(self) -> list[Role]:
        return in_comparison_order([self.left, self.right])

    def clean(self):
        if self.left_id and self.left_id == self.right_id:
            raise ValidationError("A comparison needs two different careers.")


class ComparisonSection(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200)
    body = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["comparison", "order", "id"]

    def __str__(self):
        return self.heading


class ComparisonAdvice(models.Model):
    """One "choose this career if..." point for one side of a comparison."""

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="advice")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["comparison", "role", "order", "id"]
        verbose_name_plural = "advice"

    def __str__(self):
        return self.text

    def clean(self):
        comparison = getattr(self, "comparison", None)
        if comparison and self.role_id not in (comparison.left_id, comparison.right_id):
            raise ValidationError({"role": "Advice must be for one of the two compared careers."})

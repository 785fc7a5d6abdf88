from django.db import models
from django.urls import reverse
from django.utils import timezone


class Campus(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    street_address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state", max_length=50)
    postal_code = models.CharField("ZIP code", max_length=10)
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField("active", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "campuses"

    def __str__(self):
        return self.name

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
    DIPLOMA = "diploma", "Diploma"
    CERTIFICATE = "certificate", "Certificate"
    ASSOCIATE = "associate", "Associate degree"
    BACHELOR = "bachelor", "Bachelor's degree"


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


class Pace(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"


class Schedule(models.Model):
    """A way to attend the program, e.g. full-time days or part-time evenings."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(max_length=100)
    pace = models.CharField(max_length=20, choices=Pace)
    description = models.CharField(max_length=300, blank=True)
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

import copy

import pytest

from portal import demo as portal_demo
from roles.demo import load_demo_roles, read_demo_data
from roles.models import (
    Certification,
    Comparison,
    ComparisonAdvice,
    ComparisonSection,
    Dimension,
    Duty,
    Role,
    RoleCertification,
    RoleDuty,
    RoleFact,
)
from tests.factories import DimensionFactory, DutyFactory, RoleDutyFactory, RoleFactFactory

pytestmark = pytest.mark.django_db

MODELS = [
    Role,
    Duty,
    RoleDuty,
    Dimension,
    RoleFact,
    Certification,
    RoleCertification,
    Comparison,
    ComparisonSection,
    ComparisonAdvice,
]


def snapshot():
    rows = {}
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "updated_at"]
        rows[model.__name__] = sorted(model.objects.values_list(*fields))
    return rows


def duties_of(slug, area=None):
    links = RoleDuty.objects.filter(role__slug=slug)
    if area:
        links = links.filter(duty__area=area)
    return set(links.values_list("duty__name", flat=True))


def performers(duty_name):
    return set(RoleDuty.objects.filter(duty__name=duty_name).values_list("role__slug", flat=True))


def test_loading_twice_gives_the_same_rows():
    load_demo_roles()
    first = snapshot()
    load_demo_roles()
    assert snapshot() == first
    assert Role.objects.count() == 3


def test_the_roles_loader_runs_right_after_the_site_and_before_programs():
    assert portal_demo.LOADERS[:2] == [portal_demo.load_site, load_demo_roles]


def test_demo_careers_carry_their_soc_codes():
    load_demo_roles()
    assert dict(Role.objects.values_list("slug", "soc_code")) == {
        "medical-assistant": "31-9092",
        "laboratory-technician": "29-2012",
        "phlebotomist": "31-9097",
    }


def test_every_seed_duty_of_each_career_is_in_its_area():
    load_demo_roles()
    assert len(duties_of("medical-assistant", "administrative")) == 8
    assert len(duties_of("medical-assistant", "clinical")) == 12
    assert len(duties_of("medical-assistant", "laboratory")) == 4
    assert len(duties_of("laboratory-technician", "administrative")) == 5
    assert len(duties_of("laboratory-technician", "laboratory")) == 10
    assert duties_of("laboratory-technician", "clinical") == set()
    assert duties_of("phlebotomist") == {
        "Drawing blood (phlebotomy)",
        "Labeling, handling and preparing specimens for testing, storage or shipment",
    }


def test_shared_duties_are_one_row_linked_to_every_career_that_performs_them():
    load_demo_roles()
    assert performers("Drawing blood (phlebotomy)") == {
        "medical-assistant",
        "laboratory-technician",
        "phlebotomist",
    }
    assert performers(
        "Running routine lab tests, such as urinalysis, pregnancy screens and blood glucose"
    ) == {"medical-assistant", "laboratory-technician"}
    assert performers("Collecting urine, sputum, stool and other specimens") == {
        "medical-assistant",
        "laboratory-technician",
    }
    assert performers("Tracking inventory and restocking supplies") == {
        "medical-assistant",
        "laboratory-technician",
    }
    blood = RoleDuty.objects.filter(duty__name="Drawing blood (phlebotomy)")
    assert dict(blood.values_list("role__slug", "emphasis")) == {
        "medical-assistant": "regular",
        "laboratory-technician": "occasional",
        "phlebotomist": "core",
    }


def test_every_dimension_of_both_articles_has_a_value_for_each_career():
    load_demo_roles()
    slugs = {
        "scope",
        "settings",
        "phlebotomy",
        "training",
        "certification",
        "licensing",
        "patient-contact",
        "specialization",
        "advancement",
    }
    assert slugs <= set(Dimension.objects.values_list("slug", flat=True))
    for role in Role.objects.all():
        assert slugs <= set(role.facts.values_list("dimension__slug", flat=True))


def test_pay_and_outlook_are_dated_figures_with_their_source_and_period():
    load_demo_roles()
    pay = {f.role.slug: f for f in RoleFact.objects.filter(dimension__slug="median-pay")}
    outlook = RoleFact.objects.filter(dimension__slug="job-outlook")
    assert len(pay) == 3 and outlook.count() == 3
    assert pay["medical-assistant"].amount == 44200
    assert pay["medical-assistant"].period == "May 2024"
    assert "$44,200" in pay["medical-assistant"].value
    assert "12 percent from 2024 to 2034" in outlook.get(role__slug="medical-assistant").value
    for fact in [*pay.values(), *outlook]:
        assert fact.source_name and fact.source_url.startswith("https://www.bls.gov/")
        assert fact.period and fact.as_of and fact.checked_on
    assert not RoleFact.objects.filter(dimension__slug="pay-outlook").exists()


def test_figures_we_could_not_verify_say_so_and_are_flagged_stale():
    import datetime

    load_demo_roles()
    phlebotomist = RoleFact.objects.get(role__slug="phlebotomist", dimension__slug="median-pay")
    assert phlebotomist.period == "May 2023"
    assert "latest figure we could verify" in phlebotomist.value
    assert phlebotomist.is_stale(datetime.date(2026, 12, 1))


def test_no_statement_says_medical_assistants_never_need_a_state_credential():
    load_demo_roles()
    licensing = RoleFact.objects.get(role__slug="medical-assistant", dimension__slug="licensing")
    assert "Washington" in licensing.value and "Medical Assistant-Certified" in licensing.value
    assert licensing.value.strip() != "No."
    assert licensing.source_url.startswith("https://doh.wa.gov/")
    text = " ".join(ComparisonSection.objects.values_list("body", flat=True))
    assert "No state makes medical assistants certify" not in text
    assert "California, Louisiana, Nevada and Washington" in text


def test_phlebotomist_has_training_length_credentials_and_the_four_states():
    load_demo_roles()
    facts = {f.dimension.slug: f for f in RoleFact.objects.filter(role__slug="phlebotomist")}
    assert "less than a year" in facts["training"].value
    for state in ("California", "Louisiana", "Nevada", "Washington"):
        assert state in facts["certification"].value
    links = RoleCertification.objects.filter(role__slug="phlebotomist")
    assert set(links.values_list("certification__abbreviation", flat=True)) == {
        "CPT",
        "PBT(ASCP)",
        "NCPT",
        "RPT",
    }
    assert (
        "certified phlebotomist"
        not in RoleFact.objects.get(
            role__slug="medical-assistant", dimension__slug="advancement"
        ).value
    )


def test_credentials_carry_their_issuers_and_honest_pathways():
    load_demo_roles()
    credentials = {c.abbreviation: c for c in Certification.objects.all()}
    assert set(credentials) == {
        "NCMA",
        "CMA",
        "RMA",
        "CCMA",
        "MLT(ASCP)",
        "MLT(AMT)",
        "CPT",
        "PBT(ASCP)",
        "NCPT",
        "RPT",
    }
    assert "CLT" not in credentials  # AMT's laboratory credential is MLT(AMT)
    assert credentials["NCMA"].issuing_body_abbreviation == "NCCT"
    assert credentials["MLT(ASCP)"].issuing_body_abbreviation == "ASCP BOC"
    assert credentials["MLT(AMT)"].issuing_body_abbreviation == "AMT"
    mlt = credentials["MLT(ASCP)"]
    assert mlt.needs_degree and mlt.requires_accredited_program
    assert "60 semester hours" in mlt.routes and "60 semester hours" in mlt.eligibility
    assert credentials["MLT(AMT)"].needs_degree
    assert not credentials["NCMA"].needs_degree
    # The CMA's main route is a CAAHEP- or ABHES-accredited program, as AAMA publishes it.
    assert "CAAHEP- or ABHES-accredited" in credentials["CMA"].routes
    # The RMA no longer says a program is required while naming a work-experience route.
    rma = credentials["RMA"]
    assert rma.minimum_education == "none" and "Work experience" in rma.routes
    assert "graduation from an accredited program" not in rma.pathway
    for abbreviation in ("CMA", "RMA", "CCMA", "MLT(ASCP)", "MLT(AMT)", "CPT", "PBT(ASCP)"):
        assert credentials[abbreviation].checked_on and credentials[abbreviation].eligibility_url
    for abbreviation in ("NCMA", "NCPT", "RPT"):  # not verified: the text says so
        assert credentials[abbreviation].checked_on is None
        assert "could not read" in credentials[abbreviation].eligibility
    lab_tech = RoleCertification.objects.filter(role__slug="laboratory-technician")
    assert set(lab_tech.values_list("certification__abbreviation", flat=True)) == {
        "MLT(ASCP)",
        "MLT(AMT)",
    }


def test_the_two_curated_comparisons_have_sections_advice_and_a_caveat():
    load_demo_roles()
    comparisons = {c.get_absolute_url(): c for c in Comparison.objects.all()}
    assert set(comparisons) == {
        "/compare/medical-assistant-vs-laboratory-technician/",
        "/compare/medical-assistant-vs-phlebotomist/",
    }
    for comparison in comparisons.values():
        assert comparison.is_featured
        assert "tendencies" in comparison.caveat
        assert comparison.sections.count() >= 4
        advised = set(comparison.advice.values_list("role_id", flat=True))
        assert advised == {comparison.left_id, comparison.right_id}


def test_the_data_file_is_the_truth_for_demo_careers():
    load_demo_roles()
    stray_duty = RoleDutyFactory(role=Role.objects.get(slug="phlebotomist"))
    stray_fact = RoleFactFactory(
        role=Role.objects.get(slug="phlebotomist"), dimension=DimensionFactory()
    )
    data = read_demo_data()
    trimmed = copy.deepcopy(data)
    trimmed["duties"]["administrative"] = [
        duty
        for duty in trimmed["duties"]["administrative"]
        if duty["name"] != "Answering the phone"
    ]
    trimmed["comparisons"][0]["sections"].pop()

    load_demo_roles(data=trimmed)

    assert not RoleDuty.objects.filter(pk=stray_duty.pk).exists()
    assert not RoleFact.objects.filter(pk=stray_fact.pk).exists()
    assert "Answering the phone" not in duties_of("medical-assistant")
    assert ComparisonSection.objects.count() == sum(
        len(item["sections"]) for item in trimmed["comparisons"]
    )


def test_the_loader_leaves_careers_it_does_not_describe_alone():
    other = RoleDutyFactory(duty=DutyFactory())
    load_demo_roles()
    assert RoleDuty.objects.filter(pk=other.pk).exists()

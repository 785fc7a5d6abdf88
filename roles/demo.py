"""Demo careers, duties, facts, credentials and comparisons from roles/demo_content.yaml.

Idempotent: every row is found by its natural key (slug, abbreviation, name, or the pair of
careers) and updated, so a second run changes nothing. For the careers and comparisons the
file describes, the file is the truth: duty links, facts, credentials, sections and advice
it no longer lists are removed. Rows editors added elsewhere are left alone.
"""

from pathlib import Path

import yaml
from django.db import transaction

from roles.models import (
    Area,
    Certification,
    Comparison,
    ComparisonAdvice,
    ComparisonSection,
    Dimension,
    Duty,
    Emphasis,
    Role,
    RoleCertification,
    RoleDuty,
    RoleFact,
)

DATA_FILE = Path(__file__).resolve().parent / "demo_content.yaml"


def read_demo_data(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def load_demo_roles(*, data: dict | None = None) -> str:
    data = data if data is not None else read_demo_data()
    retired = data.get("retired", {})
    Dimension.objects.filter(slug__in=retired.get("dimensions", [])).delete()
    Certification.objects.filter(abbreviation__in=retired.get("certifications", [])).delete()
    dimensions = {
        item["slug"]: Dimension.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item.get("description", ""),
                "order": order,
            },
        )[0]
        for order, item in enumerate(data["dimensions"], start=1)
    }
    certifications = {
        item["abbreviation"]: Certification.objects.update_or_create(
            abbreviation=item["abbreviation"],
            defaults={key: value for key, value in item.items() if key != "abbreviation"},
        )[0]
        for item in data["certifications"]
    }
    roles = {}
    for item in data["roles"]:
        role, _ = Role.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "soc_code": item.get("soc_code", ""),
                "tagline": item["tagline"],
                "summary": item["summary"],
                "next_step": item.get("next_step", ""),
                "order": item["order"],
                "is_published": item.get("published", True),
            },
        )
        roles[role.slug] = role
        _sync_facts(role, item.get("facts", {}), dimensions)
        _sync_certifications(role, item.get("certifications", []), certifications)
    duty_count = _sync_duties(data["duties"], roles)
    for item in data["comparisons"]:
        _sync_comparison(item, roles)
    return (
        f"roles: {len(roles)} careers, {duty_count} duties, {len(dimensions)} dimensions, "
        f"{len(certifications)} credentials, {len(data['comparisons'])} comparisons"
    )


def _sync_facts(role: Role, facts: dict, dimensions: dict) -> None:
    kept = []
    for slug, fact in facts.items():
        fact = fact if isinstance(fact, dict) else {"value": fact}
        row, _ = RoleFact.objects.update_or_create(
            role=role,
            dimension=dimensions[slug],
            defaults={
                "value": fact["value"],
                "amount": fact.get("amount"),
                "period": fact.get("period", ""),
                "source_name": fact.get("source_name", ""),
                "source_url": fact.get("source_url", ""),
                "as_of": fact.get("as_of"),
                "checked_on": fact.get("checked_on"),
            },
        )
        kept.append(row.pk)
    RoleFact.objects.filter(role=role).exclude(pk__in=kept).delete()


def _sync_certifications(role: Role, links: list, certifications: dict) -> None:
    kept = []
    for link in links:
        row, _ = RoleCertification.objects.update_or_create(
            role=role,
            certification=certifications[link["abbreviation"]],
            defaults={"requirement": link["requirement"], "note": link.get("note", "")},
        )
        kept.append(row.pk)
    RoleCertification.objects.filter(role=role).exclude(pk__in=kept).delete()


def _sync_duties(duties_by_area: dict, roles: dict) -> int:
    kept = []
    count = 0
    for area, duties in duties_by_area.items():
        area = Area(area)
        for order, item in enumerate(duties, start=1):
            duty, _ = Duty.objects.update_or_create(
                name=item["name"],
                defaults={
                    "area": area,
                    "order": order,
                    "description": item.get("description", ""),
                },
            )
            count += 1
            for slug, link in item["roles"].items():
                row, _ = RoleDuty.objects.update_or_create(
                    role=roles[slug],
                    duty=duty,
                    defaults={
                        "emphasis": Emphasis(link.get("emphasis", Emphasis.REGULAR)),
                        "note": link.get("note", ""),
                    },
                )
                kept.append(row.pk)
    RoleDuty.objects.filter(role__in=roles.values()).exclude(pk__in=kept).delete()
    return count


def _sync_comparison(item: dict, roles: dict) -> Comparison:
    left, right = (roles[slug] for slug in item["roles"])
    fields = {
        "left": left,
        "right": right,
        "title": item["title"],
        "lede": item["lede"],
        "caveat": item.get("caveat", ""),
        "is_featured": item.get("featured", False),
        "is_published": item.get("published", True),
    }
    comparison = Comparison.objects.of_pair(left, right).first()
    if comparison is None:
        comparison = Comparison.objects.create(**fields)
    else:
        for name, value in fields.items():
            setattr(comparison, name, value)
        comparison.save()

    kept = []
    for order, section in enumerate(item.get("sections", []), start=1):
        row, _ = ComparisonSection.objects.update_or_create(
            comparison=comparison,
            order=order,
            defaults={"heading": section["heading"], "body": section["body"]},
        )
        kept.append(row.pk)
    comparison.sections.exclude(pk__in=kept).delete()

    kept = []
    for slug, points in item.get("advice", {}).items():
        for order, text in enumerate(points, start=1):
            row, _ = ComparisonAdvice.objects.update_or_create(
                comparison=comparison, role=roles[slug], order=order, defaults={"text": text}
            )
            kept.append(row.pk)
    comparison.advice.exclude(pk__in=kept).delete()
    return comparison


SPANISH_FILE = Path(__file__).resolve().parent / "demo_content_es.yaml"


def set_translations(queryset, key_field: str, rows: dict, language: str = "es") -> int:
    """Write `rows` ({english key: {field: text}}) into each row's `<field>_<language>`
    column, found by `key_field` (e.g. "slug_en"). Idempotent; returns the rows written."""
    written = 0
    for key, fields in (rows or {}).items():
        values = {f"{field}_{language}": text for field, text in fields.items()}
        written += queryset.filter(**{key_field: key}).update(**values)
    return written


@transaction.atomic
def load_demo_translations(*, path: Path = SPANISH_FILE, language: str = "es") -> str:
    """The Spanish of the demo careers and everything said about them: facts, credential
    notes, dimensions, credentials, duties and comparisons (demo_content_es.yaml)."""
    data = read_demo_data(path)
    count = 0
    for slug, fields in (data.get("roles") or {}).items():
        role_fields = {k: v for k, v in fields.items() if k not in ("facts", "certifications")}
        count += set_translations(Role.objects, "slug_en", {slug: role_fields}, language=language)
        facts = {
            dimension: fact if isinstance(fact, dict) else {"value": fact}
            for dimension, fact in (fields.get("facts") or {}).items()
        }
        count += set_translations(
            RoleFact.objects.filter(role__slug_en=slug), "dimension__slug", facts, language=language
        )
        notes = {
            abbreviation: {"note": note}
            for abbreviation, note in (fields.get("certifications") or {}).items()
        }
        count += set_translations(
            RoleCertification.objects.filter(role__slug_en=slug),
            "certification__abbreviation",
            notes,
            language=language,
        )
    count += set_translations(Dimension.objects, "slug", data.get("dimensions"), language=language)
    count += set_translations(
        Certification.objects, "abbreviation", data.get("certifications"), language=language
    )
    for name, fields in (data.get("duties") or {}).items():
        count += set_translations(
            Duty.objects, "name_en", {name: {"name": fields["name"]}}, language=language
        )
        notes = {slug: {"note": note} for slug, note in (fields.get("notes") or {}).items()}
        count += set_translations(
            RoleDuty.objects.filter(duty__name_en=name), "role__slug_en", notes, language=language
        )
    for pair, fields in (data.get("comparisons") or {}).items():
        count += _translate_comparison(pair.split("/"), fields, language)
    return f"{count} rows translated into Spanish"


def _translate_comparison(pair: list[str], fields: dict, language: str) -> int:
    comparison = Comparison.objects.filter(left__slug_en__in=pair, right__slug_en__in=pair)
    own = {k: v for k, v in fields.items() if k not in ("sections", "advice")}
    count = comparison.update(**{f"{field}_{language}": text for field, text in own.items()})
    sections = {order: section for order, section in enumerate(fields.get("sections", []), start=1)}
    count += set_translations(
        ComparisonSection.objects.filter(comparison__in=comparison),
        "order",
        sections,
        language=language,
    )
    for slug, points in (fields.get("advice") or {}).items():
        advice = {order: {"text": text} for order, text in enumerate(points, start=1)}
        count += set_translations(
            ComparisonAdvice.objects.filter(comparison__in=comparison, role__slug_en=slug),
            "order",
            advice,
            language=language,
        )
    return count

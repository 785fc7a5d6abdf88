"""Timeline entries for visits (registered, moved off the waitlist, cancelled)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0010_reminder_without_inquiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="kind",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted"),
                    ("repeat", "Asked again"),
                    ("note", "Note"),
                    ("call", "Call"),
                    ("email", "Email"),
                    ("text", "Text message"),
                    ("status", "Status change"),
                    ("assignment", "Assignment"),
                    ("notification", "Notification"),
                    ("consent", "Consent change"),
                    ("merge", "Merge or split"),
                    ("spam_review", "Spam review"),
                    ("data_request", "Personal data request"),
                    ("visit", "Visit"),
                ],
                max_length=20,
            ),
        ),
    ]

"""Look-ups by number logged the number typed (a person's number in the views log): from
this version they log the flags they showed (access.record_lookup); the numbers already
kept are removed from the log, their views kept without a target."""

from django.db import migrations


def forget_numbers(apps, schema_editor):
    page_view = apps.get_model("accounts", "PageView")
    page_view.objects.filter(kind__in=("search", "exclusions")).update(target="")


class Migration(migrations.Migration):

    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(forget_numbers, migrations.RunPython.noop)]

"""django-axes kept each failed sign-in's login as typed (a password typed in the login's
field stayed in clear): from this version a login that names no account is kept as a
keyed digest (accounts.throttle); the logins already kept are replaced by theirs."""

from django.db import migrations

from workspace.accounts.throttle import UNKNOWN_LOGIN, keyed


def key_failed_logins(apps, schema_editor):
    accounts = apps.get_model("accounts", "Account").objects.values_list("username", flat=True)
    attempts = apps.get_model("axes", "AccessAttempt").objects.exclude(username=None).exclude(
        username__in=list(accounts)).exclude(username__startswith=UNKNOWN_LOGIN)
    for attempt in attempts:
        attempt.username = keyed(attempt.username)
        attempt.save(update_fields=["username"])


class Migration(migrations.Migration):

    dependencies = [("accounts", "0002_views_log_without_numbers"),
                    ("axes", "0010_accessattemptexpiration")]

    operations = [migrations.RunPython(key_failed_logins, migrations.RunPython.noop)]

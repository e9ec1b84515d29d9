"""Teams become records: the free-text User.team turns into a foreign key to Team."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def teams_from_text(apps, schema_editor):
    User = apps.get_model("collections_app", "User")
    Team = apps.get_model("collections_app", "Team")
    for name in User.objects.exclude(team="").values_list("team", flat=True).distinct():
        team, _ = Team.objects.get_or_create(name=name)
        User.objects.filter(team=name).update(team_ref=team)


def teams_to_text(apps, schema_editor):
    User = apps.get_model("collections_app", "User")
    for user in User.objects.exclude(team_ref=None).select_related("team_ref"):
        user.team = user.team_ref.name
        user.save(update_fields=["team"])


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0002_role_groups")]

    operations = [
        migrations.CreateModel(
            name="Team",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("supervisor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="supervised_teams", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="user", name="team_ref",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="members", to="collections_app.team"),
        ),
        migrations.RunPython(teams_from_text, teams_to_text),
        migrations.RemoveField(model_name="user", name="team"),
        migrations.RenameField(model_name="user", old_name="team_ref", new_name="team"),
    ]

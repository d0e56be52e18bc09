"""In-company sessions from requests (issue 13 item 5): trainings not listed publicly,
private registration links, and what a pressure cooker is for (unit, district or
municipality; earlier requests were always for one municipality)."""

import django.db.models.deletion
import learning.models
from django.db import migrations, models


def earlier_pressure_cookers_were_for_one_municipality(apps, schema_editor):
    TrainingRequest = apps.get_model("learning", "TrainingRequest")
    TrainingRequest.objects.filter(kind="pressure_cooker").update(scope="municipality")


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0008_organisation_key_sector_merge'),
        ('website', '0003_content_stamp'),
    ]

    operations = [
        migrations.AddField(
            model_name='trainingpage',
            name='unlisted',
            field=models.BooleanField(default=False, help_text='For in-company sessions: the training is not in the catalogue, feeds, search or sitemap, and its page is not shown; people register only through the private link of a session.', verbose_name='not listed publicly'),
        ),
        migrations.AddField(
            model_name='trainingrequest',
            name='region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='website.region', verbose_name='district (region)'),
        ),
        migrations.AddField(
            model_name='trainingrequest',
            name='scope',
            field=models.CharField(blank=True, choices=[('unit', 'The whole unit (all municipalities)'), ('region', 'A district (region)'), ('municipality', 'One municipality')], default='', max_length=20, verbose_name='for'),
        ),
        migrations.AddField(
            model_name='trainingrequest',
            name='session',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='learning.session', verbose_name='planned session'),
        ),
        migrations.CreateModel(
            name='PrivateLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(default=learning.models.new_token, editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(verbose_name='created at')),
                ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='private_link', to='learning.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'private registration link',
                'verbose_name_plural': 'private registration links',
            },
        ),
        migrations.RunPython(
            earlier_pressure_cookers_were_for_one_municipality, migrations.RunPython.noop
        ),
    ]

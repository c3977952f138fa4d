# The withdrawal of a flag's outcome recorded by mistake (an event like the others:
# nothing is changed nor deleted).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0008_other_reason_label'),
    ]

    operations = [
        migrations.AlterField(
            model_name='decisionevent',
            name='kind',
            field=models.CharField(choices=[('TAKEN', 'signalement pris en charge'), ('RELEASED', 'signalement rendu'), ('COMMENT', 'commentaire'), ('ASSIGNED', 'signalement attribué'), ('UNASSIGNED', 'attribution retirée'), ('OTHER_GROUND_UNDER_EXAMINATION', "examen d'un autre fondement de séjour ouvert"), ('OTHER_GROUND_CLOSED', "examen d'un autre fondement de séjour clos"), ('OQTF_TAKEN', 'OQTF prise'), ('PRISON_ANSWER', "réponse à l'établissement pénitentiaire"), ('NEXT_STEP', 'étape suivante planifiée'), ('NOT_PURSUED', 'non poursuivi'), ('OUTCOME_WITHDRAWN', 'suite retirée (enregistrée par erreur)')], max_length=40),
        ),
    ]

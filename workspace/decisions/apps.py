from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "workspace.decisions"
    label = "decisions"
    verbose_name = "Décisions des agents"

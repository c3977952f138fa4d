from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "workspace.lists"
    label = "lists"
    verbose_name = "Listes"

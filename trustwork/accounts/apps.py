from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trustwork.accounts"
    label = "accounts"
    verbose_name = "Accounts"

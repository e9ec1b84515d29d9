from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "team", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "team"]
    fieldsets = BaseUserAdmin.fieldsets + (("Collections", {"fields": ("time_zone", "team")}),)

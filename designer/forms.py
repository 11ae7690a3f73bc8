"""The site's form renderer: Django's form machinery with the design system's templates."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Renders forms, fields and widgets from the project's templates (Bootstrap markup).

    ``TemplatesSetting`` looks in the project's template folders before Django's own, so the
    widget templates under ``templates/django/forms/widgets/`` replace Django's and every
    other template falls back to Django's.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

"""The wizard's forms: field and cross-field checks only.

Every page of the wizard is one HTML form with one Save. A step's form (``StepForm``) carries
the connector's title (shown in the header bar) and the draft version it was based on
(``based_on_version``); a trigger's page adds one prefixed ``TriggerForm`` per section, all in
the same HTML form. Each form reads its initial values from a design (``initial_for``) and
writes its cleaned data into one (``apply`` / ``apply_trigger``, in place). What the design
means stays in ``connectors.domain``; these forms only translate between HTML fields and the
design's keys.
"""

from __future__ import annotations

import copy
import json
import math
import re
from typing import Any

from django import forms

from connectors.domain.authoring.triggers import (
    operation_id_from_summary,
    path_parameters_from_template,
    propose_delete_action,
    set_item_samples,
    set_notification_samples,
)
from connectors.domain.design import (
    HTTP_METHODS,
    IDENTITY_PROVIDERS,
    PRIMITIVE_TYPES,
    SCHEMES,
    SECURITY_TYPES,
    VISIBILITIES,
)
from connectors.domain.runner.inputs import TEST_VALUE, value_text
from connectors.domain.schema.inference import SchemaInferenceError, parse_samples
from connectors.domain.swagger.exporting.package import ICON_MAX_BYTES, Icon, IconError, read_icon
from connectors.domain.wizard.convert import KINDS, convert_trigger
from connectors.domain.wizard.edit import (
    set_retry_interval,
    sync_path_parameters,
    taken_operation_ids,
)
from connectors.domain.wizard.sample import (
    SampleError,
    apply_sample_request,
    default_sample_method,
    parse_sample_request,
)
from connectors.fields import JSONTextField

Design = dict[str, Any]
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$")
_OPERATION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_SAMPLE_SEPARATOR = re.compile(r"^\s*---\s*$", re.M)
VISIBILITY_CHOICES = [(v, v) for v in VISIBILITIES]
SECRET_TEST_VALUE = (
    "This parameter holds a secret (format password): a test value would be exported for "
    "everyone to read. Type it in the Test step instead."
)
# The maker portal's default icon background.
DEFAULT_ICON_COLOUR = "#007ee5"


def _text(**kwargs: Any) -> forms.CharField:
    return forms.CharField(required=False, **kwargs)


def _area(rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class _LightFields(dict):  # type: ignore[type-arg]
    """A form class's fields, copied for each form without deep-copying choice lists.

    Django deep-copies every field of a form for every instance, choices included; a
    trigger's page builds a dozen forms, and those copies were a large part of its time. The
    copy here is what Django's ``Field.__deepcopy__`` makes, less the choice lists, which are
    shared: they are only ever replaced (``field.choices = ...``), never changed in place.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        copied = {}
        for name, field in self.items():
            new = copy.copy(field)
            new.widget = copy.copy(field.widget)
            new.widget.attrs = field.widget.attrs.copy()
            new.error_messages = field.error_messages.copy()
            new.validators = field.validators[:]
            copied[name] = new
        return copied


class _LightFieldsMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: Any, attrs: Any) -> Any:
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = _LightFields(new_class.base_fields)  # type: ignore[attr-defined]
        return new_class


class WizardForm(forms.Form, metaclass=_LightFieldsMetaclass):
    """The base of the wizard's forms: Django's form, with light copies of its fields."""


class StepForm(WizardForm):
    """What every step saves: the connector's title and the version the edit started from."""

    title = forms.CharField(label="Connector title", max_length=200)
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        return {"title": design["general"]["title"], "based_on_version": version}

    def apply(self, design: Design) -> None:
        design["general"]["title"] = self.cleaned_data["title"]

    def save_options(self) -> dict[str, Any]:
        """What the save needs besides the design (``services.draft_save`` keywords)."""
        return {}


class IconField(forms.FileField):
    """An uploaded icon, checked by its content (``read_icon``): cleans to an ``Icon`` or None."""

    default_error_messages = {
        "empty": "The file is empty; choose a PNG or JPEG image.",
        "invalid": "No file was sent; choose the icon again.",
    }

    def clean(self, data: Any, initial: Any = None) -> Icon | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > ICON_MAX_BYTES:  # refused before a byte of it is read
            raise forms.ValidationError(
                f"The icon is {upload.size:,} bytes; an icon may be at most 1 MB "
                f"({ICON_MAX_BYTES:,} bytes)."
            )
        upload.seek(0)
        try:
            return read_icon(upload.read())
        except IconError as error:
            raise forms.ValidationError(str(error)) from None


class GeneralForm(StepForm):
    description = _area(4)
    version = forms.CharField(label="API version", max_length=50)
    schemes = forms.MultipleChoiceField(
        label="Scheme",
        choices=[(s, s.upper()) for s in SCHEMES],
        widget=forms.CheckboxSelectMultiple,
    )
    host = forms.CharField(
        max_length=253, help_text="Only the host name (and port): no https://, no path."
    )
    basePath = forms.CharField(label="Base URL", max_length=200, initial="/")
    iconBrandColor = forms.RegexField(
        label="Icon background colour",
        regex=r"^#[0-9a-fA-F]{6}$",
        error_messages={"invalid": "Enter a colour as #rrggbb."},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    publisher = _text(max_length=200)
    stackOwner = _text(label="Stack owner", max_length=200)
    website = forms.URLField(required=False, assume_scheme="https")
    privacyPolicy = forms.URLField(label="Privacy policy", required=False, assume_scheme="https")
    categories = _text(help_text="Separate categories with commas.", max_length=500)
    icon = IconField(
        label="Icon",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text="PNG or JPEG, at most 1 MB; about 230 x 230 pixels on the background colour.",
    )
    remove_icon = forms.BooleanField(label="Remove the icon", required=False)

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        general = design["general"]
        metadata = general.get("metadata") or {}
        initial = super().initial_for(design, version)
        for key in ("description", "version", "schemes", "host", "basePath", "iconBrandColor"):
            initial[key] = general.get(key)
        # A colour input always sends a colour: without one it would send black.
        initial["iconBrandColor"] = initial["iconBrandColor"] or DEFAULT_ICON_COLOUR
        for key in ("publisher", "stackOwner"):
            initial[key] = general.get(key) or ""
        initial["website"] = metadata.get("website") or ""
        initial["privacyPolicy"] = metadata.get("privacyPolicy") or ""
        initial["categories"] = ", ".join(metadata.get("categories") or [])
        return initial

    def clean_host(self) -> str:
        host = self.cleaned_data["host"].strip()
        if "://" in host:
            raise forms.ValidationError("Leave out the scheme (https://): choose it under Scheme.")
        if "/" in host:
            raise forms.ValidationError("Leave out the path: put it in the base URL.")
        if not _HOST.match(host):
            raise forms.ValidationError("Enter a host name such as api.example.com.")
        return host

    def clean_basePath(self) -> str:
        base = self.cleaned_data["basePath"].strip()
        if not base.startswith("/"):
            raise forms.ValidationError("The base URL starts with '/' (use '/' for none).")
        return base

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("icon") and data.get("remove_icon"):
            self.add_error("remove_icon", "Choose one: upload a new icon or remove the icon.")
        return data

    def save_options(self) -> dict[str, Any]:
        return {"icon": self.cleaned_data["icon"], "remove_icon": self.cleaned_data["remove_icon"]}

    def apply(self, design: Design) -> None:
        super().apply(design)
        data, general = self.cleaned_data, design["general"]
        for key in ("description", "version", "host", "basePath", "iconBrandColor"):
            general[key] = data[key]
        general["schemes"] = [s for s in SCHEMES if s in data["schemes"]]
        for key in ("publisher", "stackOwner"):
            general[key] = data[key] or None
        general["metadata"] = {
            "website": data["website"] or None,
            "privacyPolicy": data["privacyPolicy"] or None,
            "categories": [c.strip() for c in data["categories"].split(",") if c.strip()],
        }


_SECURITY_LABELS = {"none": "No authentication", "basic": "Basic authentication"}
_REQUIRED_BY_TYPE = {
    "basic": ("basic_usernameLabel", "basic_passwordLabel"),
    "apiKey": ("apiKey_label", "apiKey_name", "apiKey_in"),
    "oauth2": ("oauth2_identityProvider", "oauth2_clientId"),
}


class SecurityForm(StepForm):
    """Labels and settings only: passwords, keys and client secrets belong to connections."""

    type = forms.ChoiceField(
        label="Authentication type",
        choices=[
            (t, _SECURITY_LABELS.get(t, {"apiKey": "API key", "oauth2": "OAuth 2.0"}.get(t)))
            for t in SECURITY_TYPES
        ],
        widget=forms.RadioSelect,
    )
    basic_usernameLabel = _text(label="User name label", max_length=100)
    basic_passwordLabel = _text(label="Password label", max_length=100)
    apiKey_label = _text(label="Parameter label", max_length=100)
    apiKey_name = _text(label="Parameter name", max_length=100)
    apiKey_in = forms.ChoiceField(
        label="Parameter location",
        required=False,
        choices=[("header", "Header"), ("query", "Query")],
    )
    oauth2_identityProvider = forms.ChoiceField(
        label="Identity provider", required=False, choices=[(p, p) for p in IDENTITY_PROVIDERS]
    )
    oauth2_clientId = _text(label="Client ID", max_length=200)
    oauth2_authorizationUrl = forms.URLField(
        label="Authorization URL", required=False, assume_scheme="https"
    )
    oauth2_tokenUrl = forms.URLField(label="Token URL", required=False, assume_scheme="https")
    oauth2_refreshUrl = forms.URLField(label="Refresh URL", required=False, assume_scheme="https")
    oauth2_scopes = _text(label="Scopes", help_text="Separate scopes with spaces.", max_length=1000)

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        security = design["security"]
        initial = super().initial_for(design, version)
        initial["type"] = security["type"]
        for kind in ("basic", "apiKey", "oauth2"):
            for key, value in (security.get(kind) or {}).items():
                initial[f"{kind}_{key}"] = " ".join(value) if key == "scopes" else value
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in _REQUIRED_BY_TYPE.get(data.get("type", ""), ()):
            if not data.get(name):
                self.add_error(name, "This field is required for this authentication type.")
        return data

    def apply(self, design: Design) -> None:
        super().apply(design)
        data, old = self.cleaned_data, design["security"]
        kind = data["type"]
        security: dict[str, Any] = {"type": kind}
        if kind == old["type"]:  # keep what an import brought that the wizard does not show
            for key in ("definitionName", "extras"):
                if key in old:
                    security[key] = old[key]
        else:  # the imported connection parameters described the old type
            extra = (design["passthrough"].get("properties") or {}).get("properties") or {}
            extra.pop("connectionParameters", None)
        if kind != "none":
            prefix = f"{kind}_"
            config = {
                name.removeprefix(prefix): value
                for name, value in data.items()
                if name.startswith(prefix) and value not in ("", None)
            }
            if kind == "oauth2":
                config["scopes"] = data["oauth2_scopes"].split()
                config.setdefault("flow", (old.get("oauth2") or {}).get("flow", "accessCode"))
            security[kind] = config
        design["security"] = security


def _samples(text: str) -> list[Any]:
    """Sample payloads pasted one after another, separated by lines of ``---``."""
    if not text.strip():
        return []
    try:
        return parse_samples([part for part in _SAMPLE_SEPARATOR.split(text) if part.strip()])
    except SchemaInferenceError as error:
        raise forms.ValidationError(str(error)) from None


class TriggerForm(WizardForm):
    """A section of one trigger's page, under its own prefix in the page's one form."""

    def __init__(self, *args: Any, trigger: dict[str, Any], design: Design, **kwargs: Any):
        self.trigger, self.design = trigger, design
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        return {}

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        raise NotImplementedError


class TriggerGeneralForm(TriggerForm):
    kind = forms.ChoiceField(
        label="Trigger type",
        required=False,  # left out: the type stays as it is
        choices=[
            ("webhook", "Webhook: the service calls the flow"),
            ("polling", "Polling: the flow asks the service"),
        ],
        help_text=(
            "Changing it keeps the texts, operation ID, path and parameters; a polling trigger "
            "gets default polling settings and loses the callback URL and DELETE action, a "
            "webhook gets a POST with a callback URL and a proposed DELETE action."
        ),
    )
    summary = forms.CharField(max_length=200, help_text='Read it as "When ...".')
    description = _area(3, max_length=1000)
    operationId = forms.CharField(
        label="Operation ID",
        required=False,
        max_length=100,
        help_text="PascalCase; left empty, it is suggested from the summary.",
    )
    visibility = forms.ChoiceField(choices=VISIBILITY_CHOICES)
    triggerHint = _text(label="Trigger hint", max_length=300)
    cardinality = forms.ChoiceField(
        label="Fires",
        choices=[("single", "Once per event (single)"), ("batch", "With a list (batch)")],
    )

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        trigger = kwargs["trigger"]
        initial = super().initial_for(design, version)
        for key in ("kind", "summary", "description", "operationId", "visibility", "cardinality"):
            initial[key] = trigger.get(key)
        initial["triggerHint"] = trigger.get("triggerHint") or ""
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "summary" in data and not data.get("operationId"):
            try:
                data["operationId"] = operation_id_from_summary(data["summary"])
            except ValueError:
                self.add_error("operationId", "Enter an operation ID.")
                return data
        wanted = data.get("operationId")
        if wanted and not _OPERATION_ID.match(wanted):
            self.add_error("operationId", "Use letters and digits only, starting with a letter.")
        taken = taken_operation_ids(self.design["triggers"], besides=self.trigger)
        if wanted and wanted in taken:
            self.add_error("operationId", f"{wanted} is already used by another operation.")
        return data

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        data = self.cleaned_data
        for key in ("summary", "description", "operationId", "visibility", "cardinality"):
            trigger[key] = data[key]
        trigger["triggerHint"] = data["triggerHint"] or None
        kind = data.get("kind") or trigger["kind"]
        if kind in KINDS and kind != trigger["kind"]:
            others = [t for t in design["triggers"] if t is not trigger]
            converted = convert_trigger(trigger, kind, others=others)
            trigger.clear()  # in place: the caller holds this dict inside the design
            trigger.update(converted)


class RequestForm(TriggerForm):
    method = forms.ChoiceField(label="Verb", choices=[(m, m.upper()) for m in HTTP_METHODS])
    path = forms.CharField(
        max_length=500, help_text="Relative to the base URL; {name} segments are path parameters."
    )

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        request = kwargs["trigger"]["request"]
        initial = super().initial_for(design, version)
        initial.update(method=request["method"], path=request["path"])
        return initial

    def clean_path(self) -> str:
        path = self.cleaned_data["path"].strip()
        if not path.startswith("/") or "?" in path or "#" in path:
            raise forms.ValidationError("A path starts with '/' and has no '?' or '#'.")
        return path

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        request = trigger["request"]
        request["method"] = self.cleaned_data["method"]
        request["path"] = self.cleaned_data["path"]
        request["parameters"] = sync_path_parameters(request["parameters"], request["path"])


class ParameterForm(WizardForm):
    """One row of the parameter editor; ``name`` and ``location`` find its parameter."""

    name = forms.CharField(widget=forms.HiddenInput)
    location = forms.CharField(widget=forms.HiddenInput, required=False)
    summary = _text(max_length=200)
    description = _text(max_length=1000)
    type = forms.ChoiceField(choices=[(t, t) for t in PRIMITIVE_TYPES])
    required = forms.BooleanField(required=False)
    default = _text(max_length=1000)
    test_value = _text(max_length=1000, label="Test value")
    visibility = forms.ChoiceField(choices=VISIBILITY_CHOICES)


ParameterFormSet = forms.formset_factory(ParameterForm, extra=0, can_delete=True)


def parameter_initial(trigger: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": p["name"],
            "location": p["in"],
            "summary": p.get("summary") or "",
            "description": p.get("description") or "",
            "type": p.get("type", "string"),
            "required": p.get("required", False),
            "default": "" if p.get("default") is None else str(p["default"]),
            "test_value": value_text((p.get("extras") or {}).get(TEST_VALUE)),
            "visibility": p.get("visibility", "none"),
        }
        for p in trigger["request"]["parameters"]
        if "ref" not in p
    ]


def apply_parameters(formset: Any, trigger: dict[str, Any], *, path: str | None = None) -> None:
    """Write the parameter editor's rows back onto the modeled parameters (found by name and
    location) and drop the rows ticked for removal. ``path``: the path being saved.

    A removal that cannot be is an error on its row's Remove box (then ``ValidationError``): a
    path parameter stays while ``{name}`` is in the path, and the polling state parameter
    stays while it is the state. A test value on a secret parameter is refused the same way.
    """
    request = trigger["request"]
    path = request["path"] if path is None else path
    state = (trigger.get("polling") or {}).get("stateParameter")
    removed: list[dict[str, Any]] = []
    refused = False
    for form in formset.forms:
        row: dict[str, Any] = getattr(form, "cleaned_data", None) or {}
        parameter = _parameter_of(request["parameters"], row) if row else None
        if parameter is None:
            continue
        if not row.get("DELETE"):
            if row.get("test_value") and _is_secret(parameter):
                form.add_error("test_value", SECRET_TEST_VALUE)
                refused = True
                continue
            _edit_parameter(parameter, row)
            continue
        problem = _removal_problem(parameter, path, state)
        if problem:
            form.add_error("DELETE", problem)
            refused = True
        else:
            removed.append(parameter)
    if refused:
        raise forms.ValidationError("Check the parameters below.")
    request["parameters"] = [
        p for p in request["parameters"] if not any(p is gone for gone in removed)
    ]


def _parameter_of(parameters: list[dict[str, Any]], row: dict[str, Any]) -> Any:
    for parameter in parameters:
        if "ref" in parameter or parameter.get("name") != row.get("name"):
            continue
        if not row.get("location") or parameter.get("in") == row["location"]:
            return parameter
    return None


def _edit_parameter(parameter: dict[str, Any], row: dict[str, Any]) -> None:
    for key in ("summary", "description"):
        if row[key]:
            parameter[key] = row[key]
        elif parameter.get(key):  # cleared by the maker; never added where there was none
            parameter[key] = None
    parameter["type"] = row["type"]
    parameter["required"] = row["required"] or parameter["in"] == "path"
    if row["default"]:
        parameter["default"] = row["default"]
    else:
        parameter.pop("default", None)
    if row["visibility"] == "none":
        parameter.pop("visibility", None)
    else:
        parameter["visibility"] = row["visibility"]
    _set_test_value(parameter, row.get("test_value") or "")


def _set_test_value(parameter: dict[str, Any], text: str) -> None:
    """The parameter's test value (``x-ms-test-value``) from the form: an unchanged text keeps
    the value as it was (a number stays a number), "" removes it."""
    extras = parameter.get("extras") or {}
    if not text:
        if TEST_VALUE in extras:
            del parameter["extras"][TEST_VALUE]
    elif value_text(extras.get(TEST_VALUE)) != text:
        parameter.setdefault("extras", {})[TEST_VALUE] = text


def _is_secret(parameter: dict[str, Any]) -> bool:
    extras = parameter.get("extras") or {}
    return extras.get("format") == "password"


def _removal_problem(parameter: dict[str, Any], path: str, state: str | None) -> str | None:
    name = parameter["name"]
    if parameter["in"] == "path" and name in _path_names(path):
        return f"{{{name}}} is in the path: take it out of the path to remove {name}."
    if parameter["in"] == "query" and name == state:
        return f"{name} keeps the polling state: choose another under Polling settings first."
    return None


def _path_names(path: str) -> set[str]:
    return {p["name"] for p in path_parameters_from_template(path)}


# What a hand-added parameter's name may hold: path segments and RFC 9110 header tokens are
# strict; a query name only must not break the query string.
_PARAMETER_NAMES = {
    "path": (
        re.compile(r"^[A-Za-z0-9_.~-]+$"),
        "A path parameter name holds only letters, digits and _ - . ~",
    ),
    "query": (
        re.compile(r"^[^\s&=#?/{}]+$"),
        "A query parameter name has no spaces and none of & = # ? / { }",
    ),
    "header": (
        re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"),
        "A header name holds only letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ (no spaces"
        " or colons)",
    ),
}
_ADD_TYPES = ("string", "integer", "number", "boolean")
_BOOLEANS = {"true": True, "false": False}


class ParameterAddForm(TriggerForm):
    """ "Add parameter" under the parameter editor: one path, query or header parameter."""

    name = forms.CharField(max_length=200)
    location = forms.ChoiceField(
        label="In",
        choices=[("query", "Query"), ("header", "Header"), ("path", "Path")],
        help_text="A path parameter must appear as {name} in the path.",
    )
    type = forms.ChoiceField(choices=[(t, t) for t in _ADD_TYPES])
    required = forms.BooleanField(
        required=False, help_text="Path and internal parameters are always required."
    )
    summary = _text(max_length=200, help_text="The label users see.")
    description = _text(max_length=1000)
    default = _text(max_length=1000)
    test_value = _text(
        max_length=1000,
        label="Test value",
        help_text="Filled in for test reports; exported as x-ms-test-value. Never a secret.",
    )
    visibility = forms.ChoiceField(choices=VISIBILITY_CHOICES)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, location = data.get("name"), data.get("location")
        if name and location:
            self._check_name(name, location)
        if data.get("type") and data.get("default"):
            try:
                data["default"] = _typed_default(data["default"], data["type"])
            except ValueError as error:
                self.add_error("default", str(error))
        if data.get("visibility") == "internal" and data.get("default") in (None, ""):
            self.add_error("default", "An internal parameter needs a default: nobody fills it.")
        return data

    def __init__(self, *args: Any, path: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The path as the page sends it: it may be edited in the same Save.
        self.path = path if path is not None else self.trigger["request"]["path"]

    def _check_name(self, name: str, location: str) -> None:
        pattern, rule = _PARAMETER_NAMES[location]
        request = self.trigger["request"]
        same = str.lower if location == "header" else str  # header names ignore case
        if not pattern.match(name):
            self.add_error("name", f"{rule}.")
        elif any(
            "ref" not in p and p.get("in") == location and same(p["name"]) == same(name)
            for p in request["parameters"]
        ):
            self.add_error("name", f"This trigger already has a {location} parameter {name}.")
        elif location == "path" and name not in _path_names(self.path):
            self.add_error(
                "name",
                f"The path {self.path} has no {{{name}}}: add it to the path above "
                "first, or choose query or header.",
            )

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        data = self.cleaned_data
        parameter: dict[str, Any] = {
            "name": data["name"],
            "in": data["location"],
            "required": bool(
                data["required"] or data["location"] == "path" or data["visibility"] == "internal"
            ),
            "type": data["type"],
            "summary": data["summary"] or None,
            "description": data["description"] or None,
        }
        if data["default"] not in (None, ""):
            parameter["default"] = data["default"]
        if data["visibility"] != "none":
            parameter["visibility"] = data["visibility"]
        if data.get("test_value"):
            parameter["extras"] = {TEST_VALUE: data["test_value"]}
        parameters = trigger["request"]["parameters"]
        # A path parameter of a segment typed in the same Save was made by the path: fill it.
        made = next(
            (
                p
                for p in parameters
                if "ref" not in p
                and p.get("in") == parameter["in"] == "path"
                and p["name"] == parameter["name"]
            ),
            None,
        )
        if made is not None:
            made.clear()
            made.update(parameter)
        else:
            parameters.append(parameter)


def _typed_default(text: str, kind: str) -> Any:
    """A default as its type's JSON value: "10" -> 10 for an integer, "true" -> True."""
    text = text.strip()
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number.") from None
    if kind == "number":
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number.") from None
        if not math.isfinite(number):  # JSON has no infinity
            raise ValueError(f"{text!r} is not a number.")
        return number
    if kind == "boolean":
        if text.lower() not in _BOOLEANS:
            raise ValueError("Enter true or false.")
        return _BOOLEANS[text.lower()]
    return text


class SampleForm(TriggerForm):
    """Microsoft's "Import from sample" dialog: replaces the request with the sample's."""

    verb = forms.ChoiceField(choices=[(v, v.upper()) for v in ("post", "put", "patch", "get")])
    url = forms.CharField(label="URL", max_length=2000)
    headers = _area(3, help_text="One 'Name: value' per line; standard headers are skipped.")
    body = _area(8, label="Body", help_text="A JSON sample of the body.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["sample"] = parse_sample_request(
                verb=data["verb"],
                url=data["url"],
                headers=data["headers"],
                body=data["body"],
                base_path=self.design["general"]["basePath"],
            )
        except SampleError as error:
            self.add_error(error.field, str(error))
        if self.trigger["kind"] == "webhook" and data.get("verb") == "get":
            self.add_error("verb", "A webhook registers with POST, PUT or PATCH and a body.")
        return data

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        return {"verb": default_sample_method(kwargs["trigger"]["kind"])}

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        apply_sample_request(trigger, self.cleaned_data["sample"])


class NotificationForm(TriggerForm):
    description = _text(label="Response name", max_length=300)
    samples = _area(
        8,
        label="Sample payloads",
        help_text="One or more JSON payloads; separate several with a line holding only ---.",
    )

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        notification = kwargs["trigger"].get("notification") or {}
        initial = super().initial_for(design, version)
        initial["description"] = notification.get("description") or ""
        initial["samples"] = "\n---\n".join(
            json.dumps(s, indent=2) for s in notification.get("samples") or []
        )
        return initial

    def clean_samples(self) -> list[Any]:
        return _samples(self.cleaned_data["samples"])

    def samples_changed(self) -> bool:
        """Whether the samples say something new: compared as JSON, since a browser sends the
        text back with other line breaks (and a maker may re-indent it)."""
        if not hasattr(self, "_samples_changed"):
            try:
                before = _samples(str(self.initial.get("samples") or ""))
            except forms.ValidationError:
                before = None
            self._samples_changed = self.cleaned_data["samples"] != before
        return bool(self._samples_changed)

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        # The schema is inferred again only from new samples: otherwise it keeps the edits
        # made in the schema editor.
        if self.cleaned_data["samples"] and self.samples_changed():
            set_notification_samples(trigger, self.cleaned_data["samples"])
        elif trigger.get("notification") is None:
            set_notification_samples(trigger, [])
        trigger["notification"]["description"] = self.cleaned_data["description"] or None


class DeleteActionForm(TriggerForm):
    enabled = forms.BooleanField(label="Unsubscribe with a DELETE action", required=False)
    operationId = forms.CharField(label="Operation ID", required=False, max_length=100)
    path = forms.CharField(required=False, max_length=500)
    summary = _text(max_length=200)
    description = _area(2, max_length=1000)
    visibility = forms.ChoiceField(choices=VISIBILITY_CHOICES, initial="internal")

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        trigger = kwargs["trigger"]
        action = trigger.get("deleteAction")
        initial = super().initial_for(design, version)
        initial["enabled"] = action is not None
        action = action or propose_delete_action(trigger)
        for key in ("operationId", "path", "summary", "description", "visibility"):
            initial[key] = action.get(key) or ""
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("enabled"):
            return data
        if not _OPERATION_ID.match(data.get("operationId") or ""):
            self.add_error("operationId", "Use letters and digits only, starting with a letter.")
        if not (data.get("path") or "").startswith("/"):
            self.add_error("path", "A path starts with '/'.")
        return data

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        data = self.cleaned_data
        if not data["enabled"]:
            trigger["deleteAction"] = None
            return
        action = copy.deepcopy(trigger.get("deleteAction") or propose_delete_action(trigger))
        for key in ("operationId", "path", "summary", "description", "visibility"):
            action[key] = data[key] or None if key in ("summary", "description") else data[key]
        kept = {p["name"]: p for p in action["parameters"] if "ref" not in p}
        action["parameters"] = [
            kept.get(p["name"], p) for p in path_parameters_from_template(data["path"])
        ]
        trigger["deleteAction"] = action


class PollingForm(TriggerForm):
    stateParameter = forms.ChoiceField(label="State parameter (query)")
    valueCollection = _text(label="Value collection", help_text="e.g. value", max_length=200)
    valuePath = _text(label="Value path", help_text="e.g. id", max_length=200)
    retryInterval = forms.IntegerField(
        label="Retry interval (seconds)", min_value=1, max_value=86400
    )
    itemSamples = _area(
        6, label="Sample items", help_text="JSON of one item (or several, separated by ---)."
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        names = [p["name"] for p in self.trigger["request"]["parameters"] if p.get("in") == "query"]
        state = self.fields["stateParameter"]
        assert isinstance(state, forms.ChoiceField)
        state.choices = [(n, n) for n in names]

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        polling = kwargs["trigger"].get("polling") or {}
        initial = super().initial_for(design, version)
        for key in ("stateParameter", "valueCollection", "valuePath"):
            initial[key] = polling.get(key) or ""
        initial["retryInterval"] = polling.get("retryInterval", 300)
        return initial

    def clean_itemSamples(self) -> list[Any]:
        return _samples(self.cleaned_data["itemSamples"])

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        data, polling = self.cleaned_data, trigger["polling"]
        state = data["stateParameter"]
        polling["stateParameter"] = state
        if polling.get("policy") is None:
            polling["valueCollection"] = data["valueCollection"] or None
            polling["valuePath"] = data["valuePath"] or None
        set_retry_interval(trigger, data["retryInterval"])
        for parameter in trigger["request"]["parameters"]:
            if parameter.get("name") == state:  # the platform fills it: internal and required
                parameter.update(required=True, visibility="internal")
                parameter.setdefault("default", "0")
        if data["itemSamples"] and "itemSamples" in self.changed_data:
            set_item_samples(trigger, data["itemSamples"])


class OverwriteForm(forms.Form):
    """The conflict page's "overwrite with my edit": the design the user meant, in full."""

    design = JSONTextField(widget=forms.HiddenInput, label="design")
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP token (RFC 9110)
TRAY_FILTER_KEYS = ("headerName", "headerValue", "bodyPointer", "bodyValue")
TRAY_DELIVERY_CHOICES = [
    ("fire_and_forget", "Fire and forget (tray answers 200)"),
    ("acknowledge", "Acknowledge (the connector replies)"),
    ("request_response", "Request and response (the workflow replies)"),
]


class TrayForm(TriggerForm):
    """The tray.io export of a webhook trigger: delivery mode, request filter, reply."""

    delivery = forms.ChoiceField(label="Delivery mode", choices=TRAY_DELIVERY_CHOICES)
    headerName = _text(label="Event header", max_length=200, help_text="e.g. X-GitHub-Event")
    headerValue = _text(label="Header value to match", max_length=500)
    bodyPointer = _text(label="Body field (JSON pointer)", max_length=500, help_text="e.g. /action")
    bodyValue = _text(label="Body value to match", max_length=500)
    replyStatus = forms.IntegerField(
        label="Reply status", min_value=100, max_value=599, initial=200, required=False
    )
    replyContentType = _text(label="Reply content type", max_length=200)
    replyBody = _area(
        3,
        label="Reply body",
        max_length=5000,
        help_text="Text; {{/pointer}} puts in a field of the notification, e.g. {{/challenge}}.",
    )

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        tray = kwargs["trigger"].get("tray") or {}
        found, reply = tray.get("filter") or {}, tray.get("reply") or {}
        initial = {key: found.get(key) or "" for key in TRAY_FILTER_KEYS}
        initial["delivery"] = tray.get("delivery") or "fire_and_forget"
        initial["replyStatus"] = reply.get("status", 200)
        initial["replyContentType"] = reply.get("contentType", "application/json")
        initial["replyBody"] = reply.get("body", "")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in (("headerName", "headerValue"), ("bodyPointer", "bodyValue")):
            if data.get(name) and not data.get(value):
                self.add_error(value, "Give the value to match, or leave both empty.")
            if data.get(value) and not data.get(name):
                self.add_error(name, "Name what to match, or leave both empty.")
        if data.get("headerName") and not _HEADER_NAME.match(data["headerName"]):
            self.add_error("headerName", "A header name is letters, digits and - only.")
        if data.get("bodyPointer") and not data["bodyPointer"].startswith("/"):
            self.add_error("bodyPointer", "A JSON pointer starts with '/', e.g. /action.")
        if data.get("delivery") == "acknowledge" and data.get("replyStatus") is None:
            self.add_error("replyStatus", "Acknowledge mode answers with a status: give one.")
        return data

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        data = self.cleaned_data
        tray: dict[str, Any] = {"delivery": data["delivery"]}
        found = {key: data[key] for key in TRAY_FILTER_KEYS if data.get(key)}
        if found:
            tray["filter"] = found
        if data["delivery"] == "acknowledge" or (trigger.get("tray") or {}).get("reply"):
            tray["reply"] = {
                "status": data["replyStatus"] if data["replyStatus"] is not None else 200,
                "contentType": data["replyContentType"] or "application/json",
                "body": data["replyBody"],
            }
        if tray == {"delivery": "fire_and_forget"} and not trigger.get("tray"):
            return  # nothing chosen: the design stays as it was (no tray key)
        trigger["tray"] = tray

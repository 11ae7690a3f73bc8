"""The paconn package of a design: a zip that ``paconn create -s settings.json`` can take as is.

Purpose: bundle the exported ``apiDefinition.swagger.json`` and ``apiProperties.json``, the icon
(when there is one), a ``settings.json`` naming those files for paconn (no connectorId or
environment: they are not known before the first ``paconn create``) and a ``readme.md`` written
from the design (what the certification submission asks for).

The icon: ``read_icon`` is the one check of an uploaded icon (PNG or JPEG by content, at most
1 MB, decoded in full with Pillow so that a file that only starts like an image is refused).
The package always holds it as ``icon.png``, the name paconn's settings and the certification
rules use: a PNG goes in verbatim, a JPEG is re-encoded to PNG (``icon_png``).

Input: a design and, optionally, the icon's PNG or JPEG bytes.
Output: the zip as ``bytes``. Entries are sorted, timestamps and permissions fixed, so the same
design (and icon) always gives byte-identical bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

from connectors.domain.swagger.exporting.definition import dump_json, export_swagger
from connectors.domain.swagger.exporting.properties import REDIRECT_URL, export_properties

API_DEFINITION = "apiDefinition.swagger.json"
API_PROPERTIES = "apiProperties.json"
ICON = "icon.png"
README = "readme.md"
SETTINGS = "settings.json"
ICON_MAX_BYTES = 1024 * 1024  # the portal's limit for a connector icon
# Decoding allocates width x height pixels: a 1 MB file can claim a gigapixel image, so the
# header's size is checked before the pixels are read. Icons are about 230 x 230.
ICON_MAX_SIDE = 4096
# Pillow's name of the format -> the content type stored and served (MPO: a camera's JPEG).
_ICON_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg"}
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_KINDS = {"webhook": "Webhook (the service calls the flow)", "polling": "Polling (the flow asks)"}


class IconError(ValueError):
    """An upload that is not a usable icon; the message says why, for the maker."""


@dataclass(frozen=True)
class Icon:
    data: bytes
    content_type: str  # image/png or image/jpeg
    width: int
    height: int


def read_icon(data: bytes) -> Icon:
    """``data`` as an icon, or ``IconError``: PNG or JPEG by content (never by file name or the
    browser's content type), at most ``ICON_MAX_BYTES``, and decodable to the last pixel."""
    if len(data) > ICON_MAX_BYTES:
        raise IconError(
            f"The icon is {len(data):,} bytes; an icon may be at most 1 MB "
            f"({ICON_MAX_BYTES:,} bytes)."
        )
    if not data:
        raise IconError("The file is empty; choose a PNG or JPEG image.")
    too_big = IconError(
        f"The icon has too many pixels; use at most {ICON_MAX_SIDE} x {ICON_MAX_SIDE} "
        "(about 230 x 230 is what shows)."
    )
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as image:
            kind, (width, height) = image.format or "", image.size
            if width > ICON_MAX_SIDE or height > ICON_MAX_SIDE:
                raise too_big
            image.load()  # every pixel: a truncated or corrupt file fails here
    except IconError:
        raise
    except Image.DecompressionBombError as error:  # so many pixels Pillow will not even open it
        raise too_big from error
    except Exception as error:  # Pillow's decoders raise many types on a hostile file
        raise IconError("This file is not a PNG or JPEG image; choose a .png or .jpg.") from error
    if kind not in _ICON_FORMATS:  # pragma: no cover - formats= above admits only these
        raise IconError("This file is not a PNG or JPEG image; choose a .png or .jpg.")
    return Icon(data=bytes(data), content_type=_ICON_FORMATS[kind], width=width, height=height)


def icon_png(data: bytes) -> bytes:
    """The icon as PNG bytes: a PNG verbatim, a JPEG re-encoded (turned as its EXIF says, as a
    browser shows it); ``ValueError`` for anything that is not a PNG or JPEG icon."""
    try:
        icon = read_icon(data)
    except IconError as error:
        raise ValueError(f"the icon must be a PNG or JPEG image (icon.png): {error}") from error
    if icon.content_type == "image/png":
        return icon.data
    with Image.open(io.BytesIO(icon.data)) as image:
        pixels = ImageOps.exif_transpose(image)
        if pixels.mode not in ("1", "L", "RGB", "RGBA"):
            pixels = pixels.convert("RGB")  # CMYK and YCbCr JPEGs: PNG holds neither
        buffer = io.BytesIO()
        pixels.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def build_package(design: dict[str, Any], *, icon: bytes | None = None) -> bytes:
    """The zip of the paconn files for ``design``; ``icon``: PNG or JPEG bytes (``ValueError``
    for anything else), written as icon.png."""
    if icon is not None:
        icon = icon_png(icon)
    files = {
        API_DEFINITION: dump_json(export_swagger(design, share=True)),  # only dumped
        API_PROPERTIES: dump_json(export_properties(design)),
        README: render_readme(design),
        SETTINGS: dump_json(paconn_settings(with_icon=icon is not None)),
    }
    contents = {name: text.encode("utf-8") for name, text in files.items()}
    if icon is not None:
        contents[ICON] = bytes(icon)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(contents):
            entry = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever machine builds it
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, contents[name], compresslevel=9)
    return buffer.getvalue()


def paconn_settings(*, with_icon: bool) -> dict[str, Any]:
    """settings.json for paconn (schema: shared/schemas/paconn-settings.schema.json)."""
    settings: dict[str, Any] = {"apiDefinition": API_DEFINITION, "apiProperties": API_PROPERTIES}
    if with_icon:
        settings["icon"] = ICON
    settings.update(
        {
            "powerAppsUrl": "https://api.powerapps.com",
            "powerAppsApiVersion": "2016-11-01",
            "flowUrl": "https://api.flow.microsoft.com",
            "flowApiVersion": "2016-11-01",
        }
    )
    return settings


def render_readme(design: dict[str, Any]) -> str:
    """readme.md in the section order of Microsoft's certified-connector readme template."""
    general = design["general"]
    lines = [f"# {general['title']}", "", general.get("description") or "No description yet.", ""]
    if general.get("publisher"):
        lines += [f"## Publisher: {general['publisher']}", ""]
    lines += ["## Prerequisites", "", *_prerequisites(design), ""]
    lines += ["## Obtaining credentials", "", *_credentials(design), ""]
    lines += ["## Supported operations", "", *_operations(design["triggers"])]
    lines += ["## Known issues and limitations", "", *_known_issues(design["triggers"]), ""]
    lines += ["## Deployment instructions", "", *_deployment(design), ""]
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"


def _prerequisites(design: dict[str, Any]) -> list[str]:
    general = design["general"]
    items = [
        f"- An account with the service at `{general['host']}`.",
        "- A Power Automate or Logic Apps plan that allows custom connectors.",
    ]
    if design["security"]["type"] == "oauth2":
        items.append("- An app registered with the identity provider (see below).")
    return items


def _credentials(design: dict[str, Any]) -> list[str]:
    security = design["security"]
    kind = security["type"]
    if kind == "basic":
        labels = security.get("basic") or {}
        return [
            "The connector uses basic authentication. When you create a connection, enter your "
            f"**{labels.get('usernameLabel') or 'Username'}** and "
            f"**{labels.get('passwordLabel') or 'Password'}** for the service."
        ]
    if kind == "apiKey":
        config = security.get("apiKey") or {}
        where = "query parameter" if config.get("in") == "query" else "header"
        return [
            f"The connector sends an API key in the `{config.get('name') or 'api_key'}` {where}. "
            "Create a key in your account on the service, then paste it in the "
            f"**{config.get('label') or 'API Key'}** field when you create a connection."
        ]
    if kind == "oauth2":
        return _oauth_credentials(security.get("oauth2") or {})
    return ["The service needs no credentials: connections are anonymous."]


def _oauth_credentials(config: dict[str, Any]) -> list[str]:
    provider = config.get("identityProvider") or "oauth2"
    lines = [
        f"The connector signs in with OAuth 2.0 (identity provider `{provider}`).",
        "",
        "1. Register an app with the identity provider and allow the redirect URL "
        f"`{REDIRECT_URL}`.",
        "2. Put the app's client ID in `apiProperties.json` (`oAuthSettings.clientId`).",
        "3. Give the client secret to paconn with `--secret`: it is never stored in these files.",
    ]
    if config.get("scopes"):
        lines += ["", "Scopes requested: " + ", ".join(f"`{s}`" for s in config["scopes"]) + "."]
    return lines


def _operations(triggers: list[dict[str, Any]]) -> list[str]:
    if not triggers:
        return ["This connector defines no triggers yet.", ""]
    lines = ["### Triggers", ""]
    for trigger in triggers:
        request = trigger["request"]
        lines += [
            f"#### {trigger.get('summary') or trigger.get('operationId') or 'Unnamed trigger'}",
            "",
            trigger.get("description") or "No description yet.",
            "",
            f"- Kind: {_KINDS.get(trigger['kind'], trigger['kind'])}",
            f"- Operation ID: `{trigger.get('operationId') or '(none)'}`",
            f"- Request: `{request['method'].upper()} {request['path']}`",
            "",
        ]
    return lines


def _known_issues(triggers: list[dict[str, Any]]) -> list[str]:
    issues = []
    for trigger in triggers:
        name = trigger.get("summary") or trigger.get("operationId") or "A trigger"
        action = trigger.get("deleteAction")
        if trigger["kind"] == "webhook" and action:
            issues.append(
                f"- {name}: the subscription is removed with `{action['operationId']}` "
                f"(`DELETE {action['path']}`) when the flow is turned off or deleted."
            )
        elif trigger["kind"] == "webhook":
            issues.append(
                f"- {name}: no DELETE action is defined, so subscriptions stay on the service "
                "after the flow is turned off or deleted; remove them by hand."
            )
        else:
            seconds = (trigger.get("polling") or {}).get("retryInterval")
            asked = f" (the connector asks for {seconds} s)" if seconds else ""
            issues.append(
                f"- {name}: polls on the schedule your plan allows{asked}; the first poll only "
                "records where to start, so items that existed before the flow do not start it."
            )
    return issues or ["None known."]


def _deployment(design: dict[str, Any]) -> list[str]:
    secret = " --secret <client secret>" if design["security"]["type"] == "oauth2" else ""
    return [
        "Install the Power Platform connectors CLI (`pip install paconn`), sign in with "
        "`paconn login`, then create the connector from this folder:",
        "",
        "```",
        f"paconn create -s {SETTINGS}{secret}",
        "```",
        "",
        "paconn asks for the environment. After the first create, add the connector ID it prints "
        f"to `{SETTINGS}` as `connectorId` and use `paconn update -s {SETTINGS}` from then on.",
    ]

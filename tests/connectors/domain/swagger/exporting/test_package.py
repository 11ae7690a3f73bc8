"""package: the paconn zip holds the right files, settings.json fits paconn's schema, the
same design always gives the same bytes, and only a real PNG or JPEG becomes its icon.png."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from typing import Any

import pytest
from jsonschema.validators import validator_for
from PIL import Image

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design, validate_design
from connectors.domain.swagger.exporting.definition import dump_json, export_swagger
from connectors.domain.swagger.exporting.package import (
    ICON_MAX_BYTES,
    ICON_MAX_SIDE,
    IconError,
    build_package,
    icon_png,
    read_icon,
    render_readme,
)
from connectors.domain.swagger.exporting.properties import export_properties
from tests.paths import SHARED

SHARED = SHARED


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xda\x3b\x01")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def design(security: dict[str, Any] | None = None) -> dict[str, Any]:
    result = new_design("Contoso Orders")
    result["general"].update(description="Orders of the Contoso shop.", publisher="Contoso")
    result["security"] = security or {
        "type": "apiKey",
        "apiKey": {"label": "Key", "name": "X-Key", "in": "header"},
    }
    result["triggers"] = [
        new_webhook_trigger(
            summary="When an order is created", path="/hooks", notification_samples=[{"id": 1}]
        ),
        new_polling_trigger(
            summary="When an invoice is added", path="/invoices", state_parameter="since"
        ),
    ]
    return validate_design(result)


def entries(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.mark.parametrize(
    ("icon", "names"),
    [
        (None, ["apiDefinition.swagger.json", "apiProperties.json", "readme.md", "settings.json"]),
        (
            tiny_png(),
            [
                "apiDefinition.swagger.json",
                "apiProperties.json",
                "icon.png",
                "readme.md",
                "settings.json",
            ],
        ),
    ],
)
def test_entries_sorted_and_icon_only_when_given(icon: bytes | None, names: list[str]) -> None:
    files = entries(build_package(design(), icon=icon))
    assert list(files) == names
    assert files.get("icon.png") == icon


def test_definition_files_are_the_exports_as_text() -> None:
    files = entries(build_package(design()))
    assert files["apiDefinition.swagger.json"].decode() == dump_json(export_swagger(design()))
    assert files["apiProperties.json"].decode() == dump_json(export_properties(design()))


@pytest.mark.parametrize("icon", [None, tiny_png()])
def test_settings_fit_paconns_schema_and_name_the_files(icon: bytes | None) -> None:
    settings = json.loads(entries(build_package(design(), icon=icon))["settings.json"])
    schema = json.loads(
        (SHARED / "schemas" / "paconn-settings.schema.json").read_text(encoding="utf-8")
    )
    cls = validator_for(schema)
    assert list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(settings)) == []
    expected = {
        "apiDefinition": "apiDefinition.swagger.json",
        "apiProperties": "apiProperties.json",
        "powerAppsUrl": "https://api.powerapps.com",
        "powerAppsApiVersion": "2016-11-01",
        "flowUrl": "https://api.flow.microsoft.com",
        "flowApiVersion": "2016-11-01",
    }
    if icon:
        expected["icon"] = "icon.png"
    assert settings == expected


@pytest.mark.parametrize("icon", [None, tiny_png()])
def test_same_design_gives_byte_identical_zip(icon: bytes | None) -> None:
    first = build_package(design(), icon=icon)
    assert build_package(design(), icon=icon) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_icon_must_be_png() -> None:
    with pytest.raises(ValueError, match="PNG"):
        build_package(design(), icon=b"GIF89a")


@pytest.mark.parametrize(
    ("security", "says"),
    [
        ({"type": "none"}, "needs no credentials"),
        (
            {"type": "basic", "basic": {"usernameLabel": "Email", "passwordLabel": "PIN"}},
            "**Email** and **PIN**",
        ),
        (
            {"type": "apiKey", "apiKey": {"label": "Key", "name": "key", "in": "query"}},
            "`key` query parameter",
        ),
        (
            {"type": "oauth2", "oauth2": {"identityProvider": "oauth2", "scopes": ["read"]}},
            "https://global.consent.azure-apim.net/redirect",
        ),
    ],
)
def test_readme_explains_credentials_per_security_type(security: dict[str, Any], says: str) -> None:
    readme = render_readme(design(security))
    assert says in readme
    if security["type"] == "oauth2":
        assert "paconn create -s settings.json --secret <client secret>" in readme


def test_readme_lists_sections_and_triggers() -> None:
    readme = entries(build_package(design()))["readme.md"].decode()
    headings = [line for line in readme.splitlines() if line.startswith("#")]
    assert headings == [
        "# Contoso Orders",
        "## Publisher: Contoso",
        "## Prerequisites",
        "## Obtaining credentials",
        "## Supported operations",
        "### Triggers",
        "#### When an order is created",
        "#### When an invoice is added",
        "## Known issues and limitations",
        "## Deployment instructions",
    ]
    assert "This operation triggers when an order is created." in readme
    assert "- Kind: Webhook (the service calls the flow)" in readme
    assert "- Kind: Polling (the flow asks)" in readme
    assert "`DeleteHook` (`DELETE /hooks/{hookId}`)" in readme
    assert readme.endswith("\n") and not readme.endswith("\n\n")
    assert all(line == line.rstrip() for line in readme.splitlines())


def test_readme_warns_about_a_webhook_without_delete_action() -> None:
    unsubscribable = design()
    unsubscribable["triggers"][0]["deleteAction"] = None
    assert "no DELETE action is defined" in render_readme(unsubscribable)


# -- the icon -----------------------------------------------------------------------------------


def image(kind: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (218, 59, 1) if mode == "RGB" else None).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type", "size"),
    [
        (tiny_png(), "image/png", (1, 1)),
        (image("PNG"), "image/png", (40, 30)),
        (image("PNG", mode="RGBA"), "image/png", (40, 30)),
        (image("JPEG"), "image/jpeg", (40, 30)),
        (image("JPEG", (230, 230), mode="CMYK"), "image/jpeg", (230, 230)),
    ],
)
def test_read_icon_knows_png_and_jpeg_by_content(
    data: bytes, content_type: str, size: tuple[int, int]
) -> None:
    icon = read_icon(data)
    assert (icon.content_type, (icon.width, icon.height), icon.data) == (content_type, size, data)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (image("GIF"), "not a PNG or JPEG"),
        (image("BMP"), "not a PNG or JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really", "not a PNG or JPEG"),
        (image("PNG", (300, 300))[:200], "not a PNG or JPEG"),  # cut off in its pixels
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "not a PNG or JPEG"),  # a JPEG in name only
        (image("PNG", (ICON_MAX_SIDE + 1, 1), mode="1"), "too many pixels"),
        (b"\x00" * (ICON_MAX_BYTES + 1), "at most 1 MB"),
    ],
)
def test_read_icon_refuses_what_is_not_a_usable_icon(data: bytes, says: str) -> None:
    with pytest.raises(IconError, match=says):
        read_icon(data)


def test_a_huge_claimed_size_is_refused_before_decoding() -> None:
    """A few hundred bytes that claim 30000 x 30000 pixels (a decompression bomb)."""
    bomb = image("PNG", (1, 1))
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    bomb = (
        bomb[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + bomb[33:]
    )
    with pytest.raises(IconError, match="too many pixels"):
        read_icon(bomb)


def test_a_jpeg_icon_goes_into_the_package_as_png() -> None:
    jpeg = image("JPEG", (48, 32))
    files = entries(build_package(design(), icon=jpeg))
    assert json.loads(files["settings.json"])["icon"] == "icon.png"
    with Image.open(io.BytesIO(files["icon.png"])) as packed:
        assert (packed.format, packed.size) == ("PNG", (48, 32))
    assert build_package(design(), icon=jpeg) == build_package(design(), icon=jpeg)


def test_a_png_icon_goes_in_verbatim() -> None:
    png = image("PNG", (64, 64))
    assert icon_png(png) == png
    assert entries(build_package(design(), icon=png))["icon.png"] == png

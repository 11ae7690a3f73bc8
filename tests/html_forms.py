"""What a browser would send from a page's form, read from the page's HTML.

The wizard's pages are one form each; a test edits a few fields of it and posts the rest as
the page holds them, as a person pressing Save would. ``form_data`` reads the fields of the
form ``form_id`` (and of the elements outside it that join it with ``form="..."``): text
inputs, checked boxes and radios, selected options, textareas. Submit buttons are left out;
pass the pressed one's name and value yourself (``action="add-parameter"``).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

_SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def _joins(self, attrs: dict[str, str | None]) -> bool:
        owner = attrs.get("form")
        return owner == self.form_id if owner is not None else self.inside

    def handle_starttag(self, tag: str, raw: list[tuple[str, str | None]]) -> None:
        attrs = dict(raw)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        elif tag == "input" and self._joins(attrs) and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in _SKIPPED_INPUTS or "disabled" in attrs:
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((str(attrs["name"]), attrs.get("value") or default))
        elif tag == "select" and self._joins(attrs) and attrs.get("name"):
            self._select = {"name": attrs["name"], "chosen": [], "first": None}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": "",
            }
        elif tag == "textarea" and self._joins(attrs) and attrs.get("name"):
            self._textarea = {"name": attrs["name"], "text": ""}

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            if self._select["first"] is None:
                self._select["first"] = value
            if option["selected"]:
                self._select["chosen"].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or (
                [self._select["first"]] if self._select["first"] is not None else []
            )
            self.fields += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline HTML drops right after <textarea>.
            self.fields.append((self._textarea["name"], self._textarea["text"].removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str = "wizard-form") -> list[tuple[str, str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


def form_data(html: str, form_id: str = "wizard-form", **changes: Any) -> dict[str, Any]:
    """The form's fields as a dict for the test client (lists for repeated names), with
    ``changes`` applied: a value replaces the field's, None removes it."""
    data: dict[str, Any] = {}
    for name, value in form_fields(html, form_id):
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def page_data(client: Any, url: str, **changes: Any) -> dict[str, Any]:
    """GET ``url`` and read its wizard form, with ``changes`` (keyword names may use ``__``
    for ``-``: ``general__summary="x"`` sets ``general-summary``)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    named = {name.replace("__", "-"): value for name, value in changes.items()}
    return form_data(response.content.decode(), **named)

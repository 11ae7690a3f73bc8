"""The JavaScript files of a tray.io trigger message, as Falafel (``@trayio/falafel``) loads them.

Purpose: the text of ``schema.js``, ``model.js``, ``destroy.js``, ``request.js`` and
``response.js`` for one webhook trigger, and of the connector's ``connector.js``,
``global_model.js``, ``index.js`` and ``package.json``. Every value taken from the design is
written as a JSON literal (``json.dumps``), so no text of a design can break out of its string.

Input: plain values worked out by ``connectors.domain.swagger.exporting.tray``.
Output: ``str`` file contents.
"""

from __future__ import annotations

import json
from string import Template
from typing import Any

FALAFEL_VERSION = "1.38.1"  # the newest release whose dependencies npm can install


def js(value: Any) -> str:
    """``value`` as a JavaScript literal (JSON is one), indented like the files around it."""
    return json.dumps(value, indent=2)


# Reads an RFC 6901 pointer in plain objects and arrays; undefined when a step is missing.
_READ_POINTER = """function readPointer(value, pointer) {
  var steps = pointer.split('/').slice(1);
  for (var i = 0; i < steps.length; i++) {
    var step = steps[i].replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !(step in value)) return undefined;
    value = value[step];
  }
  return value;
}"""

_MODEL = Template("""\
// The registration request tray sends when a workflow with this trigger is enabled.
// tray supplies the URL of the workflow's webhook as the `webhook_url` input; it is placed at
// $pointer_text in the body.
var PATH_PARAMETERS = $path;
var QUERY_PARAMETERS = $query;
var HEADER_PARAMETERS = $headers;
var BODY_INPUTS = $body;
var CALLBACK_POINTER = $pointer;

function pick(params, names) {
  var picked = {};
  Object.keys(names).forEach(function (input) {
    if (params[input] !== undefined && params[input] !== '') picked[names[input]] = params[input];
  });
  return picked;
}

function setPointer(target, pointer, value) {
  var steps = pointer.split('/').slice(1).map(function (step) {
    return step.replace(/~1/g, '/').replace(/~0/g, '~');
  });
  for (var i = 0; i < steps.length - 1; i++) {
    if (target[steps[i]] === null || typeof target[steps[i]] !== 'object') target[steps[i]] = {};
    target = target[steps[i]];
  }
  target[steps[steps.length - 1]] = value;
}

module.exports = {
  method: $method,
  url: function (params) {
    var path = $path_template;
    Object.keys(PATH_PARAMETERS).forEach(function (input) {
      path = path.split('{' + PATH_PARAMETERS[input] + '}').join(
        encodeURIComponent(String(params[input])));
    });
    return path;
  },
  query: function (params) { return pick(params, QUERY_PARAMETERS); },
  headers: function (params) { return pick(params, HEADER_PARAMETERS); },
  options: { json: true },
  data: function (params) {
    var body = JSON.parse(JSON.stringify(pick(params, BODY_INPUTS)));
    if (CALLBACK_POINTER) setPointer(body, CALLBACK_POINTER, params.webhook_url);
    return body;
  },
  expects: [200, 201, 202],
  // What the workflow keeps of the subscription: destroy.js deletes it with these.
  afterSuccess: function (body, params, res) {
    var headers = (res && res.headers) || {};
    var id = body && typeof body === 'object' && body.id !== undefined ? String(body.id) : null;
    return { hook_id: id, hook_location: headers.location || null };
  }
};
""")

_DESTROY_BY_ID = Template("""\
// Removes the subscription when the workflow is disabled: DELETE $path_text, the hook id
// being the `id` the registration answered with.
var PATH_PARAMETERS = $path;

module.exports = {
  method: 'delete',
  url: function (params) {
    var path = $path_template;
    Object.keys(PATH_PARAMETERS).forEach(function (input) {
      path = path.split('{' + PATH_PARAMETERS[input] + '}').join(
        encodeURIComponent(String(params[input])));
    });
    return path.split('{' + $id_name + '}').join(encodeURIComponent(String(params.hook_id)));
  },
  expects: [200, 202, 204, 404]
};
""")

_DESTROY_BY_LOCATION = """\
// Removes the subscription when the workflow is disabled: DELETE at the Location the
// registration answered with.
module.exports = {
  method: 'delete',
  url: function (params) { return params.hook_location; },
  expects: [200, 202, 204, 404]
};
"""

_REQUEST = Template("""\
// A request tray received at the workflow's webhook URL. `filter` says whether it starts
// the workflow; `before` gives the workflow the notification body.
var METHOD = $method;
var HEADER_NAME = $header_name;
var HEADER_VALUE = $header_value;
var BODY_POINTER = $body_pointer;
var BODY_VALUE = $body_value;

$read_pointer

function header(http, name) {
  var value = (http.headers || {})[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

module.exports = {
  filter: function (params, http) {
    if (String(http.method || '').toUpperCase() !== METHOD) return false;
    if (HEADER_NAME && header(http, HEADER_NAME) !== HEADER_VALUE) return false;
    if (BODY_POINTER && String(readPointer(http.body, BODY_POINTER)) !== BODY_VALUE) return false;
    return true;
  },
  before: function (params, http) {
    return http.body;
  }$reply
};
""")

_REPLY = Template(""",
  // delivery: acknowledge. The answer the publisher gets.
  reply: function (params, http) {
    return {
      status: $status,
      headers: { 'Content-Type': $content_type },
      body: renderReply($body, http.body)
    };
  }""")

_RENDER = """function renderReply(template, body) {
  return template.replace(/\\{\\{(\\/[^{}]*)\\}\\}/g, function (whole, pointer) {
    var value = readPointer(body, pointer);
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}"""

RESPONSE = """// delivery: acknowledge. The workflow's reply goes back to the publisher as it is.
module.exports = function (params, http, reply) {
  return when.resolve(reply);
};
"""


def model_js(
    *, method: str, path: str, inputs: dict[str, dict[str, str]], pointer: str | None
) -> str:
    return _MODEL.substitute(
        method=js(method),
        path_template=js(path),
        path=js(inputs["path"]),
        query=js(inputs["query"]),
        headers=js(inputs["header"]),
        body=js(inputs["body"]),
        pointer=js(pointer),
        pointer_text=js(pointer) if pointer else "no pointer (the design names none)",
    )


def destroy_js(*, path: str | None, path_inputs: dict[str, str], id_name: str | None) -> str:
    if path is None or id_name is None:
        return _DESTROY_BY_LOCATION
    return _DESTROY_BY_ID.substitute(
        path_text=js(path), path_template=js(path), path=js(path_inputs), id_name=js(id_name)
    )


def request_js(*, tray: dict[str, Any]) -> str:
    filter_ = tray.get("filter") or {}
    reply = ""
    helpers = _READ_POINTER
    if tray.get("delivery") == "acknowledge":
        answer = tray.get("reply") or {}
        reply = _REPLY.substitute(
            status=js(answer.get("status") or 200),
            content_type=js(answer.get("contentType") or "application/json"),
            body=js(answer.get("body") or ""),
        )
        helpers += "\n\n" + _RENDER
    header_name = filter_.get("headerName") or None
    body_pointer = filter_.get("bodyPointer") or None
    return _REQUEST.substitute(
        method=js("POST"),
        header_name=js(header_name),
        header_value=js(filter_.get("headerValue") or "" if header_name else None),
        body_pointer=js(body_pointer),
        body_value=js(filter_.get("bodyValue") or "" if body_pointer else None),
        read_pointer=helpers,
        reply=reply,
    )


def module_js(comment: str, value: Any) -> str:
    return f"// {comment}\nmodule.exports = {js(value)};\n"


INDEX = """// The entry point tray runs: Falafel loads ./connectors and answers tray's messages.
var falafel = require('@trayio/falafel')();

exports.handler = falafel.wrap({ directory: __dirname });
"""


def package_json(name: str, version: str, description: str) -> str:
    package = {
        "name": name.replace("_", "-"),
        "version": version,
        "description": description,
        "main": "index.js",
        "private": True,
        "dependencies": {"@trayio/falafel": FALAFEL_VERSION},
    }
    return js(package) + "\n"


_GLOBAL_MODEL = Template("""\
// What every request of the connector shares: the API's base URL (the `base_url` input
// overrides it, for a test copy of the API) and the credentials tray keeps for the account.
var BASE_URL = $base_url;
var AUTH = $auth;

module.exports = {
  baseUrl: function (params) { return params.base_url || BASE_URL; },
  headers: function (params) {
    var auth = params['#auth'] || {};
    var headers = {};
    if (AUTH.type === 'apiKey' && AUTH.in === 'header' && auth.api_key) {
      headers[AUTH.name] = auth.api_key;
    }
    if (AUTH.type === 'oauth2' && auth.access_token) {
      headers.Authorization = 'Bearer ' + auth.access_token;
    }
    if (AUTH.type === 'basic' && auth.username) {
      headers.Authorization = 'Basic ' +
        Buffer.from(auth.username + ':' + (auth.password || '')).toString('base64');
    }
    return headers;
  },
  query: function (params) {
    var auth = params['#auth'] || {};
    var query = {};
    if (AUTH.type === 'apiKey' && AUTH.in === 'query' && auth.api_key) {
      query[AUTH.name] = auth.api_key;
    }
    return query;
  }
};
""")


def global_model_js(*, base_url: str, auth: dict[str, Any]) -> str:
    return _GLOBAL_MODEL.substitute(base_url=js(base_url), auth=js(auth))

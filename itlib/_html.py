"""HTML and JavaScript machinery shared by :mod:`itlib.quiz` and :mod:`itlib.sliders`.

Both display as a ``<div>`` that carries its data in a ``<script type="application/json">``
element and is brought to life by a small inline script.  The same output can appear
several times on a page (a re-run cell, a notebook saved with outputs), and each copy
brings its own script; the script therefore binds every copy not yet bound
(``:not([data-bound])``) and marks it.  The scripts avoid template literals and arrow
functions so that old notebook front ends run them too.
"""

from __future__ import annotations

import json

__all__: list[str] = []  # private module


def script_json(data, **dumps_kwargs) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element.

    ``</`` is written ``<\\/`` (the same string to a JSON parser), so that no text in the
    data can close the element early.

    >>> script_json(["</script>"])
    '["<\\\\/script>"]'
    """
    return json.dumps(data, **dumps_kwargs).replace("</", "<\\/")


def bind_once(root_class: str, body: str) -> str:
    """A script that runs ``body`` once for each ``div.<root_class>`` not yet bound.

    ``body`` is JavaScript that sees the element as ``root``; it is indented by the
    caller to sit inside the loop.
    """
    return (
        "\n(function () {\n"
        f"  var roots = document.querySelectorAll('div.{root_class}:not([data-bound])');\n"
        "  Array.prototype.forEach.call(roots, function (root) {\n"
        "    root.setAttribute('data-bound', '1');\n"
        f"{body}"
        "  });\n"
        "})();\n"
    )

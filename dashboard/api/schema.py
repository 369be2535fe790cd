"""Postprocessing of the OpenAPI schema, so a generated client parses what the API really does:
every operation declares our error body on 400/401/403/404, and request bodies are JSON (the
parsers also take forms, for the browsable API and pages; multipart stays where a file goes)."""

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_LIST = {"$ref": "#/components/schemas/ErrorList"}
ERRORS = {
    "400": "Refused: each error names its field (null when about the whole request).",
    "401": "Not authenticated: send a session cookie or `Authorization: Token <key>`.",
    "403": "Authenticated, but this role may not do this.",
    "404": "No such object, or not one this role may see.",
}
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def declare_errors_and_json_bodies(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    _ensure_error_components(schemas)
    for item in result.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody")
            if body and "application/json" in body["content"]:
                uploads = _uploads(body["content"].get("multipart/form-data"), schemas)
                body["content"] = {
                    media: content
                    for media, content in body["content"].items()
                    if media not in FORMS or (uploads and media == "multipart/form-data")
                }
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                declared = responses.setdefault(code, {"description": description})
                declared["content"] = {"application/json": {"schema": ERROR_LIST}}
    return result


def _uploads(content: dict | None, schemas: dict) -> bool:
    """Whether a multipart body carries a file (a binary property)."""
    if not content:
        return False
    schema = content.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = schemas.get(ref.rsplit("/", 1)[-1], {})
    return any(p.get("format") == "binary" for p in schema.get("properties", {}).values())


def _ensure_error_components(schemas: dict) -> None:
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "field": {"type": "string", "nullable": True},
                "message": {"type": "string"},
            },
            "required": ["field", "message"],
        },
    )
    schemas.setdefault(
        "ErrorList",
        {
            "type": "object",
            "properties": {
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Error"}}
            },
            "required": ["errors"],
        },
    )

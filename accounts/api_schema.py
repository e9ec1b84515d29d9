"""The OpenAPI schema tells the truth about errors (issue 14, item 4).

Every operation documents the error answers the stack can give, with their JSON body:
- 401 (no or bad credentials) and 403 (a role the endpoint does not allow, or a second factor missing):
  every operation behind authentication and ``HasRole`` (all but the token login, which states its own);
- 429: every operation that takes a token: an address that sent too many bad tokens is locked out of
  token authentication for a while (collections_app.auth.ThrottledTokenAuthentication);
- 404: operations with a path parameter (and every unknown path under /api/, collections_app.urls);
- 400: operations that take query parameters or a body (validation errors: field -> messages);
- 405 is not listed: schemathesis does not call undeclared methods by default.
An endpoint that answers 409 or 422 declares it in its own ``@extend_schema(responses=...)``.

Paginated list endpoints document their envelope with ``paginated(...)``.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` says why; a validation error maps each field to its messages.",
    "properties": {"detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
    "additionalProperties": True,
}
_DESCRIPTIONS = {
    "400": "Invalid parameters or body: each field with its messages",
    "401": "Not authenticated (send a token or a session cookie)",
    "403": "Your role may not use this endpoint (or a second factor is required)",
    "404": "No such object",
    "409": "Conflicts with the current state",
    "415": "Unsupported media type for the body",
    "422": "Refused by the rules (the reasons are in the body)",
    "429": "Too many failed token authentications from this address: token authentication is locked for it "
           "for a while (`Retry-After` says how long), whatever the token",
}


def error_response(code: str) -> dict:
    return {"description": _DESCRIPTIONS.get(code, "Error"), "content": {"application/json": {"schema": ERROR_SCHEMA}}}


class CollectionsAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        authenticators = getattr(self.view, "authentication_classes", ())
        codes = ["401", "403"] if authenticators else []  # an open endpoint (the token login) declares its own
        if any(getattr(cls, "locks_out_addresses", False) for cls in authenticators):
            codes.append("429")
        if "{" in self.path or any(p.get("name") == "page" for p in self._get_parameters()):
            codes.append("404")  # an unknown object, or a page past the end
        if self.method in ("POST", "PUT", "PATCH") or self._has_query_parameters():
            codes.append("400")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")  # a body in a media type the endpoint does not parse
        for code in codes:
            responses.setdefault(code, error_response(code))
        for code, response in responses.items():
            if code[0] in "45" and not response.get("content"):
                described = response.get("description")  # an endpoint's own words win over the generic ones
                response.update(error_response(code))
                if described:
                    response["description"] = described
        return responses

    def _has_query_parameters(self) -> bool:
        return any(p.get("in") == "query" for p in self._get_parameters())


def paginated(serializer_class, *, name: str):
    """The PageNumberPagination envelope around a list of ``serializer_class``."""
    return inline_serializer(name=name, fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True),
    })

"""The token API's login: a user name and password in, that user's API token out.

It is the API's only password door, so it is locked like the login pages: it authenticates through
``django.contrib.auth.authenticate`` with the request, and django-axes (first in AUTHENTICATION_BACKENDS)
counts each failure per user name and per address, refuses a locked name or address even with the right
password, and audits the lockout (collections_app.auth). A user whose role requires a second factor must
send a current TOTP code too: a token must not be a way around it.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .auth import API_LOCKED_OUT, two_factor_required


class TokenLoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.RegexField(r"^[0-9]{6,8}$", required=False, help_text="a current TOTP code: required of "
                                 "users whose role needs a second factor (admin, compliance) or who enrolled one")


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send it as `Authorization: Token <token>`")


class TokenLoginApi(APIView):
    # Open to anyone on purpose (it is the login); nothing else is. No authentication classes: a stale
    # token or session sent along must not stand in the way of logging in.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser]
    throttle_classes: list = []

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenLoginInputSerializer,
        auth=[],
        responses={
            200: OpenApiResponse(TokenOutputSerializer, description="The user's API token (the same token each "
                                                                    "time, until an administrator replaces it)."),
            400: OpenApiResponse(description="A field is missing or malformed, or the user "
                                                                "name and password do not match an active user "
                                                                "(counted towards the lockout)."),
            403: OpenApiResponse(description="The password is right but this user needs a "
                                                                "second factor: send `otp`, a current TOTP code "
                                                                "(enrol one at /2fa/ first)."),
            429: OpenApiResponse(description="Too many failed logins for this user name or "
                                                                "address (AXES_FAILURE_LIMIT, the same count as the "
                                                                "login pages): locked for AXES_COOLOFF_MINUTES, even "
                                                                "with the right password. `Retry-After` says how "
                                                                "long."),
        },
        description="Exchange a user name and password for the user's API token. Locked out like the login "
                    "pages after repeated failures (per user name and per address).",
    )
    def post(self, request):
        incoming = TokenLoginInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        django_request = request._request  # what django-axes reads (address) and flags (locked out)
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware answers with collections_app.auth.lockout_response (the same JSON 429).
            return Response({"detail": API_LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            return Response({"detail": "Unable to log in with this user name and password."},
                            status=status.HTTP_400_BAD_REQUEST)
        if two_factor_required(user) and not _second_factor_ok(user, data.get("otp")):
            return Response({"detail": "This user needs a second factor: send `otp`, a current code from the "
                                       "authenticator app enrolled at /2fa/."}, status=status.HTTP_403_FORBIDDEN)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


def _second_factor_ok(user, code: str | None) -> bool:
    if not code:
        return False
    from django_otp import match_token

    return match_token(user, code) is not None

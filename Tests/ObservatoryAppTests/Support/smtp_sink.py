"""An SMTP server for the mail tests: accepts every message on loopback and prints one JSON
line per message (envelope, authenticated user, raw message) to standard output.

usage: smtp_sink.py PORT [--user NAME --password SECRET] [--tls CERT KEY]
With --user, AUTH is required; with --tls, STARTTLS is offered and required before AUTH
and MAIL.
"""
import argparse
import asyncio
import json
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    async def handle_DATA(self, server, session, envelope):
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "user": getattr(session, "observatory_user", None),
            "tls": session.ssl is not None,
            "message": envelope.original_content.decode("utf-8", "replace"),
        }
        print(json.dumps(record), flush=True)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--tls", nargs=2)
    args = parser.parse_args()

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
                and auth_data.password.decode() == args.password:
            session.observatory_user = args.user
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    options = {}
    if args.user:
        options.update(authenticator=authenticate, auth_required=True, auth_require_tls=bool(args.tls))
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls[0], args.tls[1])
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(Sink(), hostname="127.0.0.1", port=args.port, server_hostname="localhost", **options)
    controller.start()
    print(json.dumps({"ready": True}), flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""An SMTP server that requires STARTTLS and then AUTH (PLAIN/LOGIN) before
it takes mail, storing accepted messages in a Maildir; for the mail tests.

    smtp_tls_server.py PORT MAILDIR CERT KEY USER PASSWORD
"""
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    port, maildir, cert, key, user, password = sys.argv[1:7]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)

    controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=int(port),
                            tls_context=ctx, require_starttls=True,
                            authenticator=authenticate, auth_required=True,
                            auth_require_tls=True)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()

#!/usr/bin/python3
"""An SMTP server that requires STARTTLS and then AUTH (PLAIN/LOGIN) before
it takes mail, storing accepted messages in a Maildir; for the mail tests.

    smtp_tls_server.py PORT MAILDIR CERT KEY USER PASSWORD [echo]

With "echo", a refused login is answered with what the client sent: the
password as typed and the AUTH PLAIN string in base64, as a careless relay
might, to show that vocreport does not pass it on.
"""
import base64
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    port, maildir, cert, key, user, password = sys.argv[1:7]
    echo = sys.argv[7:8] == ["echo"]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        if ok or not echo or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=ok, handled=False)
        plain = base64.b64encode(b"\0" + auth_data.login + b"\0" + auth_data.password).decode()
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 refused %s (%s)" % (auth_data.password.decode(), plain))

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

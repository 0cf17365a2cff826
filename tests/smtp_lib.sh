# Local SMTP servers for the mail tests, sourced after lib.sh: aiosmtpd
# storing a Maildir, on a free port, stopped (with cleanup) at exit.
servers=()
stop_servers() {
    local p
    for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    servers=()
}
trap 'stop_servers; cleanup' EXIT

free_port() {
    "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() { # port: until it accepts, at most 10 s
    "$py" - "$1" <<'PYEOF'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PYEOF
}
# start_server PORT MAILDIR [DELAY_S]: aiosmtpd in the background
start_server() {
    (sleep "${3:-0}"; exec "$py" -m aiosmtpd -n -l "127.0.0.1:$1" -c aiosmtpd.handlers.Mailbox "$2") \
        >"$scratch/smtpd-$1.log" 2>&1 &
    servers+=($!)
}

#!/usr/bin/python3
"""A plain SMTP server that misbehaves in one chosen way after the client
has sent the whole message, for the mail tests:

    smtp_odd_server.py PORT MODE [SECONDS]

    drop     reads the message, then closes the connection without a reply
    slow     reads the message, waits SECONDS, then accepts it (250)
    silent   accepts the connection and never says anything

Every message it reads in full is counted in its log as "message N"."""
import asyncio
import sys


async def serve(reader, writer, mode, seconds, counter):
    if mode == "silent":
        await asyncio.sleep(3600)
        return

    async def say(line):
        writer.write((line + "\r\n").encode())
        await writer.drain()

    await say("220 odd.example ESMTP")
    while True:
        line = await reader.readline()
        if not line:
            return
        verb = line.decode("latin-1").strip().upper()
        if verb.startswith(("EHLO", "HELO")):
            await say("250 odd.example")
        elif verb.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
            await say("250 OK")
        elif verb.startswith("DATA"):
            await say("354 go ahead")
            while True:
                data = await reader.readline()
                if not data or data == b".\r\n":
                    break
            counter[0] += 1
            print("message %d" % counter[0], flush=True)
            if mode == "drop":
                writer.close()
                return
            await asyncio.sleep(seconds)
            await say("250 queued")
        elif verb.startswith("QUIT"):
            await say("221 bye")
            writer.close()
            return
        else:
            await say("502 not here")


async def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    counter = [0]
    server = await asyncio.start_server(
        lambda r, w: serve(r, w, mode, seconds, counter), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


asyncio.run(main())

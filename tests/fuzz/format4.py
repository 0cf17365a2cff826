#!/usr/bin/python3
"""Moves the sentiment model fuzz corpus from format 3 to format 4 (done
once, kept to say how the seeds were made): a format-3 header (96 bytes)
gets the opinion fields inserted after its bands (scale 1.0, intercepts 0,
thresholds 0, reserved 0) and the format field 4, so that each input means
to the loader what it meant before; when it was exactly a model's size, the
opinion weights (zeros) are appended.  The reserved field at 92 moves to
120.  Inputs that are not format 3 are left alone.  Then writes the
opinion_*.bin seeds from the shipped model's header.

  tests/fuzz/format4.py tests/fuzz/corpus_sentiment_model
"""
import os
import struct
import sys

d = sys.argv[1]
for name in sorted(os.listdir(d)):
    path = os.path.join(d, name)
    b = open(path, "rb").read()
    if len(b) < 96 or b[:8] != b"VRSENTM\0" or struct.unpack_from("<I", b, 8)[0] != 3:
        continue
    bits = struct.unpack_from("<I", b, 16)[0]
    head = bytearray(b[:92]) + struct.pack("<f3f3f", 1.0, 0, 0, 0, 0, 0, 0) + b[92:96] + bytes(4)
    struct.pack_into("<I", head, 8, 4)
    rest = b[96:]
    if 16 <= bits <= 24 and len(rest) == 2 << bits:
        rest += bytes(2 << bits)
    open(path, "wb").write(bytes(head) + rest)

shipped = open(os.path.join(d, "shipped_header.bin"), "rb").read()[:128]
def seed(name, **f):
    h = bytearray(shipped)
    for at, v in f.items():
        struct.pack_into("<f", h, int(at[1:]), v)
    open(os.path.join(d, name), "wb").write(bytes(h))
seed("opinion_threshold_half.bin", o108=0.5, o112=0.3)
seed("opinion_threshold_one.bin", o112=1.0)
seed("opinion_threshold_negative.bin", o108=-0.01)
seed("opinion_threshold_nan.bin", o116=float("nan"))
seed("opinion_scale_zero.bin", o92=0.0)
seed("opinion_scale_inf.bin", o92=float("inf"))
seed("opinion_intercept_inf.bin", o100=float("inf"))
seed("opinion_intercepts.bin", o96=-3.0, o100=2.5, o104=0.5, o108=0.6, o112=0.4, o116=0.2)
h = bytearray(shipped)
h[124] = 1
open(os.path.join(d, "bad_reserved124.bin"), "wb").write(bytes(h))

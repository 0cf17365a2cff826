#!/usr/bin/python3
"""Moves the sentiment model fuzz corpus from feature version 3 to 6 (done
once, kept to say how the seeds were made).  The loader reads feature
versions 5 and 6 only, so every seed made for version 3 stopped at the
version check and no seed reached a loaded model any more.  Each format-4,
feature-3 input gets feature version 6, so that it means to the loader
what it meant before; the two whose value version 6 now accepts
(bad_zh_ngram.bin, Chinese 4-grams; bad_flags8.bin, pairs across a word)
get version 5 instead, where the value is still refused.  Then writes seeds
for what version 6 added (each new option alone and all together, version
5 with and without them, an old version, values past the new ranges) from
flags3.bin, a 2^16-weight header that the target grows into a model.

  tests/fuzz/feature6.py tests/fuzz/corpus_sentiment_model
"""
import os
import struct
import sys

d = sys.argv[1]
STILL_REFUSED_ON_5 = {"bad_zh_ngram.bin", "bad_flags8.bin"}
for name in sorted(os.listdir(d)):
    path = os.path.join(d, name)
    b = bytearray(open(path, "rb").read())
    if len(b) < 16 or b[:8] != b"VRSENTM\0" or struct.unpack_from("<2I", b, 8) != (4, 3):
        continue
    struct.pack_into("<I", b, 12, 5 if name in STILL_REFUSED_ON_5 else 6)
    open(path, "wb").write(bytes(b))

base = open(os.path.join(d, "flags3.bin"), "rb").read()


def seed(name, features, zh=None, en=None, flags=None):
    b = bytearray(base)
    struct.pack_into("<I", b, 12, features)
    if zh is not None:
        struct.pack_into("<I", b, 20, zh)
    if en is not None:
        struct.pack_into("<I", b, 24, en)
    if flags is not None:
        struct.pack_into("<I", b, 40, flags)
    open(os.path.join(d, name), "wb").write(bytes(b))


seed("v6_en_ngram3.bin", 6, en=3)
seed("v6_zh_ngram4.bin", 6, zh=4)
seed("v6_skip.bin", 6, flags=3 | 8)
seed("v6_all_options.bin", 6, zh=4, en=3, flags=15)
seed("v6_zh_ngram1_en_ngram1.bin", 6, zh=1, en=1)
seed("v5_header.bin", 5)
seed("bad_v5_en_ngram3.bin", 5, en=3)
seed("bad_v5_zh_ngram4.bin", 5, zh=4)
seed("bad_v5_skip.bin", 5, flags=3 | 8)
seed("bad_v6_en_ngram4.bin", 6, en=4)
seed("bad_v6_zh_ngram5.bin", 6, zh=5)
seed("bad_v6_flags16.bin", 6, flags=16)
seed("bad_features3.bin", 3)
seed("bad_features4.bin", 4)
seed("bad_features7.bin", 7)

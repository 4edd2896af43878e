#!/usr/bin/python3
"""Pillow twin of org.vitspark.bench.DecodeBench: JPEG decode and decode + resize (shorter side 256,
bilinear with Pillow's antialiasing support), one thread, files held in memory, best of the passes.
Usage: /usr/bin/python3 pillow_decode.py DIR [passes=5]   (Debian python3-pil)"""
import io, os, sys, time
import PIL.Image as Image

root = sys.argv[1]
passes = int(sys.argv[2]) if len(sys.argv) > 2 else 5
files = []
for d, _, names in sorted(os.walk(root)):
    for n in sorted(names):
        with open(os.path.join(d, n), "rb") as f:
            files.append(f.read())

def decode(b):
    im = Image.open(io.BytesIO(b))
    return im.convert("RGB")

def decode_resize(b):
    im = decode(b)
    w, h = im.size
    s = 256 / min(w, h)
    if s < 1:
        im = im.resize((round(w * s), round(h * s)), Image.BILINEAR)
    return im

for name, fn in (("pillow decode", decode), ("pillow decode+resize256", decode_resize)):
    best = float("inf")
    for p in range(passes + 1):
        t = time.perf_counter()
        for b in files:
            fn(b)
        ms = (time.perf_counter() - t) * 1e3 / len(files)
        if p > 0:
            best = min(best, ms)
    print('{"path":"%s","images":%d,"ms_per_image":%.3f,"images_per_s":%.0f,"pillow":"%s"}'
          % (name, len(files), best, 1e3 / best, Image.__version__))

#!/usr/bin/env python3
"""Regenerates the PNG test fixtures and their reference pixels.

Each fixture NAME.png gets NAME.rgba: Pillow's decoding of the file as 8-bit RGBA, row-major.
Formats Pillow cannot write (16-bit colour, Adam7, every filter type) are written by the
small PNG writer below, and then still decoded by Pillow for the reference. For 16-bit
grayscale Pillow's RGBA conversion clips instead of scaling, so the reference there is the
high byte of each sample, computed from Pillow's 16-bit array.

Usage: python3 scripts/image-fixtures/png.py Tests/ObservatoryImagesTests/Fixtures (needs Pillow and numpy)
"""

import io
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

WIDTH, HEIGHT = 13, 7
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, previous, bpp):
    out = bytearray([kind])
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = previous[i]
        c = previous[i - bpp] if i >= bpp else 0
        prediction = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - prediction) & 0xFF)
    return out


def pack_row(samples, depth):
    """samples: flat list of channel values for one row."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    out, acc, bits = bytearray(), 0, 0
    for v in samples:
        acc = (acc << depth) | int(v)
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def write_png(samples, depth, color_type, interlace=False, plte=None, trns=None, extra_chunks=()):
    """samples: array (height, width, channels) of ints. Rows cycle through filters 0..4."""
    height, width, channels = samples.shape
    bpp = max(1, channels * depth // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = bytearray()
    row_number = 0
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        previous = None
        for row in sub:
            packed = pack_row(row.reshape(-1), depth)
            if previous is None:
                previous = bytes(len(packed))
            raw += filter_row(row_number % 5, packed, previous, bpp)
            previous = packed
            row_number += 1
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    out += chunk(b"gAMA", struct.pack(">I", 45455))
    for kind, data in extra_chunks:
        out += chunk(kind, data)
    if plte is not None:
        out += chunk(b"PLTE", plte)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    compressed = zlib.compress(bytes(raw), 9)
    half = len(compressed) // 2  # two IDAT chunks, to exercise concatenation
    out += chunk(b"IDAT", compressed[:half]) + chunk(b"IDAT", compressed[half:])
    out += chunk(b"tEXt", b"Comment\x00written after the image data")
    return out + chunk(b"IEND", b"")


def pillow_bytes(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def reference(data):
    image = Image.open(io.BytesIO(data))
    if image.mode in ("I;16", "I;16B"):
        values = np.array(image).astype(np.uint16)
        high = (values >> 8).astype(np.uint8)
        alpha = np.full(values.shape, 255, np.uint8)
        key = image.info.get("transparency")
        if key is not None:
            alpha[values == key] = 0
        return np.dstack([high, high, high, alpha]).tobytes()
    return image.convert("RGBA").tobytes()


def main(directory):
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240611)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    fixtures = {}

    def noise(maximum, channels):
        return rng.integers(0, maximum + 1, size=(HEIGHT, WIDTH, channels))

    # Palette images of every depth, written by Pillow.
    for bits, colours, transparent in [(1, 2, False), (2, 4, True), (4, 16, False), (8, 200, True)]:
        indices = ((xs * 3 + ys * 5) % colours).astype(np.uint8)
        image = Image.fromarray(indices, mode="P")
        palette = [int(v) for v in rng.integers(0, 256, size=colours * 3)]
        image.putpalette(palette)
        options = {}
        if transparent:
            options["transparency"] = bytes(0 if i == 0 else (37 * i) % 256 for i in range(min(colours, 60)))
        name = f"palette{bits}" + ("_trns" if transparent else "")
        fixtures[name] = pillow_bytes(image, **options)

    # Grayscale 1, 2, 4 and 8 bits (Pillow), 8 bits with a colour key, 16 bits.
    fixtures["gray1"] = pillow_bytes(Image.fromarray(((xs + ys) % 3 == 0).astype(np.uint8) * 255, mode="L").convert("1"))
    gradient = ((xs * 19 + ys * 7) % 256).astype(np.uint8)
    fixtures["gray2"] = pillow_bytes(Image.fromarray(gradient, mode="L"), bits=2)
    fixtures["gray4"] = pillow_bytes(Image.fromarray(gradient, mode="L"), bits=4)
    gray8 = gradient.copy()
    gray8[2, 3] = gray8[5, 11] = 77
    fixtures["gray8_trns"] = pillow_bytes(Image.fromarray(gray8, mode="L"), transparency=77)
    gray16 = (xs * 5003 + ys * 977) % 65536
    gray16[1, 1] = 4660
    fixtures["gray16_trns"] = write_png(gray16[..., None], 16, 0, trns=struct.pack(">H", 4660))

    # RGB: 8 bits with a colour key (Pillow), 16 bits (own writer).
    rgb = noise(255, 3).astype(np.uint8)
    rgb[3, 4] = rgb[6, 12] = (10, 200, 30)
    fixtures["rgb8_trns"] = pillow_bytes(Image.fromarray(rgb, mode="RGB"), transparency=(10, 200, 30))
    fixtures["rgb16"] = write_png(noise(65535, 3), 16, 2)

    # Gray + alpha and RGBA, 8 bits (Pillow) and 16 bits (own writer).
    fixtures["gray_alpha8"] = pillow_bytes(Image.fromarray(noise(255, 2).astype(np.uint8), mode="LA"))
    fixtures["gray_alpha16"] = write_png(noise(65535, 2), 16, 4)
    fixtures["rgba8"] = pillow_bytes(Image.fromarray(noise(255, 4).astype(np.uint8), mode="RGBA"))
    fixtures["rgba16"] = write_png(noise(65535, 4), 16, 6, extra_chunks=[(b"prVt", b"private ancillary")])

    # Adam7 interlacing: RGB, a 2-bit palette and a 1x1 image (six of seven passes empty).
    fixtures["adam7_rgb8"] = write_png(noise(255, 3), 8, 2, interlace=True)
    small_palette = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 250, 250, 250])
    fixtures["adam7_palette2"] = write_png(
        rng.integers(0, 4, size=(HEIGHT, WIDTH, 1)), 2, 3, interlace=True, plte=small_palette, trns=bytes([128, 0])
    )
    fixtures["adam7_gray4_1x1"] = write_png(np.array([[[9]]]), 4, 0, interlace=True)

    # APNG: the default image is the first frame.
    first = Image.fromarray(noise(255, 4).astype(np.uint8), mode="RGBA")
    second = Image.fromarray(noise(255, 4).astype(np.uint8), mode="RGBA")
    buffer = io.BytesIO()
    first.save(buffer, format="PNG", save_all=True, append_images=[second], duration=100)
    fixtures["apng"] = buffer.getvalue()

    for name, data in fixtures.items():
        (out / f"{name}.png").write_bytes(data)
        (out / f"{name}.rgba").write_bytes(reference(data))
        image = Image.open(io.BytesIO(data))
        print(f"{name:18} {image.size} {image.mode:5} {len(data)} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/ObservatoryImagesTests/Fixtures")

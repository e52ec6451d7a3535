#!/usr/bin/env python3
"""Writes the thumbnail example's test images (deterministic, so re-running gives the same bytes).

  python3 generate.py              # gradient-alpha.png (stdlib only); photo.jpg and
                                   # portrait-exif6.jpg (need Pillow: pip install Pillow)
  python3 generate.py --large OUT  # also a ~500 KB, 2400x1600 JPEG for latency runs (not committed)
"""
import math
import random
import struct
import sys
import zlib
from pathlib import Path

here = Path(__file__).resolve().parent


def png(width, height, rows, colour_type=6):
    """A PNG from `rows` (bytes per row, 8 bits per channel); colour type 6 is RGBA."""
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    raw = b''.join(b'\x00' + row for row in rows)  # filter 0 (none) on every row
    ihdr = struct.pack('>IIBBBBB', width, height, 8, colour_type, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')


def gradient_alpha(width=64, height=48):
    """Red to blue left to right, green top to bottom, a transparent disc in the middle."""
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            d = math.hypot(x - width / 2, y - height / 2)
            alpha = 0 if d < height / 5 else 255
            row += bytes((255 * (width - 1 - x) // (width - 1), 255 * y // (height - 1), 255 * x // (width - 1), alpha))
        rows.append(bytes(row))
    return png(width, height, rows)


def photo_like(width, height, seed):
    """Smooth colour fields plus grain: compresses like a photograph, not like flat colour."""
    from PIL import Image
    rnd = random.Random(seed)
    img = Image.new('RGB', (width, height))
    px = img.load()
    for y in range(height):
        for x in range(width):
            r = 128 + 100 * math.sin(x / width * 6.3 + y / height * 2.1)
            g = 128 + 90 * math.cos(y / height * 5.1)
            b = 128 + 80 * math.sin((x + y) / (width + height) * 9.4)
            n = rnd.randint(-10, 10)
            px[x, y] = tuple(max(0, min(255, int(c) + n)) for c in (r, g, b))
    return img


def portrait_exif6():
    """A 40x60 portrait (red top, blue bottom) stored on its side, as phones do, with EXIF
    orientation 6 ("turn 90 degrees clockwise to show"): a correct thumbnail is taller than wide."""
    from PIL import Image, ImageDraw
    upright = Image.new('RGB', (40, 60), (200, 200, 200))
    draw = ImageDraw.Draw(upright)
    draw.rectangle([0, 0, 39, 14], fill=(255, 0, 0))
    draw.rectangle([0, 45, 39, 59], fill=(0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6
    return upright.transpose(Image.Transpose.ROTATE_90), exif.tobytes()


def main():
    (here / 'gradient-alpha.png').write_bytes(gradient_alpha())
    photo_like(120, 80, seed=1).save(here / 'photo.jpg', quality=85)
    stored, exif = portrait_exif6()
    stored.save(here / 'portrait-exif6.jpg', quality=90, exif=exif)
    if len(sys.argv) == 3 and sys.argv[1] == '--large':
        photo_like(2400, 1600, seed=2).save(sys.argv[2], quality=80)


if __name__ == '__main__':
    main()

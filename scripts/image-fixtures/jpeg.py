#!/usr/bin/env python3
"""Regenerates Tests/ObservatoryImagesTests/Fixtures.

Needs Pillow, numpy and cjpeg (libjpeg-turbo-progs). Each NAME.jpg gets a NAME.rgb: Pillow's decode
(Exif orientation applied) as packed 8-bit RGB, which the Swift tests compare against.
"""
import io
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageOps

FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', 'Tests', 'ObservatoryImagesTests', 'Fixtures')


def photo(w, h, seed):
    """A photo-like test image: smooth shading, soft blobs, hard-edged shapes, thin lines and grain."""
    rs = np.random.RandomState(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        v = 110 + 40 * np.sin(x / (w / (2 + c)) + c) * np.cos(y / (h / (3 - c * 0.5)))
        for _ in range(6):
            cx, cy, r = rs.rand() * w, rs.rand() * h, (0.05 + rs.rand() * 0.25) * max(w, h)
            v += rs.randn() * 50 * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
        img[..., c] = v
    for _ in range(12):
        x0, y0 = int(rs.rand() * w), int(rs.rand() * h)
        x1, y1 = x0 + int(rs.rand() * w / 4) + 1, y0 + int(rs.rand() * h / 4) + 1
        img[y0:y1, x0:x1] = img[y0:y1, x0:x1] * 0.4 + rs.rand(3) * 255 * 0.6
    for _ in range(8):
        row = int(rs.rand() * h)
        img[row:row + 1, :] = rs.rand(3) * 255
    img += rs.randn(h, w, 1) * 6 + rs.randn(h, w, 3) * 3
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    for name in os.listdir(FIXTURES):
        os.remove(os.path.join(FIXTURES, name))
    path = lambda name: os.path.join(FIXTURES, name + '.jpg')
    src = photo(160, 128, seed=3).resize((40, 32), Image.LANCZOS)
    ppm = os.path.join(tempfile.mkdtemp(), 'source.ppm')
    src.save(ppm)

    def cjpeg(name, *args):
        subprocess.check_call(['cjpeg', *args, '-outfile', path(name), ppm])

    src.save(path('baseline420'), quality=85)
    src.save(path('baseline444'), quality=85, subsampling=0)
    src.save(path('progressive'), quality=85, progressive=True)
    src.convert('L').save(path('grayscale'), quality=85)
    src.convert('CMYK').save(path('cmyk'), quality=90)
    photo(68, 36, seed=5).resize((17, 9), Image.LANCZOS).save(path('odd17x9'), quality=90)
    for orientation in (3, 6):
        exif = Image.Exif()
        exif[0x0112] = orientation
        src.save(path(f'orientation{orientation}'), quality=85, exif=exif.tobytes())
    cjpeg('restart', '-restart', '1B', '-quality', '85')
    cjpeg('extended16bit', '-quality', '5')  # coarse tables need 16-bit DQT, so SOF1
    cjpeg('progressive422restart', '-progressive', '-restart', '2B', '-sample', '2x1')
    cjpeg('sampling411', '-sample', '4x1')
    cjpeg('adobergb', '-rgb')
    cjpeg('arithmetic', '-arithmetic')

    # YCCK: Pillow writes the four planes as inverted Adobe CMYK (transform 0); storing inverted YCbCr
    # planes plus a K ramp and flipping the transform flag to 2 makes a valid YCCK file.
    ycc = [255 - np.asarray(plane) for plane in src.convert('YCbCr').split()]
    k = 255 - np.tile(np.linspace(90, 255, 40).astype(np.uint8), (32, 1))
    buffer = io.BytesIO()
    Image.merge('CMYK', [Image.fromarray(plane.astype(np.uint8)) for plane in ycc + [k]]).save(buffer, 'JPEG', quality=92)
    data = bytearray(buffer.getvalue())
    adobe = data.index(b'Adobe')
    data[adobe + 11] = 2
    with open(path('ycck'), 'wb') as f:
        f.write(data)

    for name in sorted(os.listdir(FIXTURES)):
        if not name.endswith('.jpg') or name == 'arithmetic.jpg':
            continue
        image = ImageOps.exif_transpose(Image.open(os.path.join(FIXTURES, name))).convert('RGB')
        with open(os.path.join(FIXTURES, name[:-4] + '.rgb'), 'wb') as f:
            f.write(image.tobytes())
        print(name, image.size)


if __name__ == '__main__':
    main()

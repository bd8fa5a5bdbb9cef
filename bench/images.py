#!/usr/bin/env python3
"""Media library benchmark: what making the smaller copies of an uploaded image costs the
server, and what the copies save readers (see bench/README.md).

usage: bench/images.py BINARY

For a camera photograph (4000 x 3000 JPEG), a large PNG photograph and a PNG screenshot it
uploads each file through the media library form several times and prints:
- the upload time, against uploading a PDF of the same size (stored, never decoded);
- the server's peak memory while it makes the copies;
- the bytes of each copy against the original;
- the same copies made by Pillow (libjpeg-turbo, libpng and zlib, in C) in this script, as a
  peer: decode, resize by area averaging, encode at the same quality.
Needs Pillow and numpy (pip install pillow numpy) to draw the images and for the peer.
"""
import html, http.cookiejar, io, os, re, shutil, subprocess, sys, tempfile, time
import urllib.parse, urllib.request, uuid

import numpy as np
from PIL import Image

from benchlib import PeakMemory, free_port

BINARY = os.path.abspath(sys.argv[1])
ROUNDS = 5
WIDTHS = [480, 960, 1600]
EMAIL, PASSWORD = "bench@example.org", "a long benchmark passphrase 2027"


def photograph(width, height, seed):
    """Smooth light, a few objects and sensor noise: compresses like a real photograph."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.stack([120 + 80 * np.sin(x / 400 + c) * np.cos(y / 300 - c) for c in (0.0, 0.8, 1.6)], axis=-1)
    for _ in range(40):
        cx, cy, r = rng.integers(0, width), rng.integers(0, height), rng.integers(40, 400)
        mask = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        image[mask] = image[mask] * 0.5 + rng.integers(0, 255, 3) * 0.5
    image += rng.normal(0, 6, image.shape)
    return Image.fromarray(np.clip(image, 0, 255).astype(np.uint8), "RGB")


def screenshot(width, height):
    """Flat panels, rules and lines of 'text', as a screenshot of a form or a chart."""
    image = np.full((height, width, 3), 248, np.uint8)
    image[:64] = (31, 58, 96)
    for row in range(100, height - 40, 28):
        for start in range(40, width - 300, 260):
            image[row:row + 10, start:start + 180 + (row * 7 + start) % 60] = (60, 60, 60)
    image[300:700, 900:1500] = (220, 232, 245)
    return Image.fromarray(image, "RGB")


def encoded(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


class Site:
    def __init__(self, base):
        self.base = base
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def request(self, path, data=None, headers=None):
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data, headers=headers or {}), timeout=120) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def hidden(self, path, action):
        page = self.request(path)[2].decode()
        form = page[page.index(f'action="{action}"'):]
        form = form[:form.index("</form>")]
        return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}

    def sign_in(self):
        fields = self.hidden("/account/sign-in", "/account/sign-in")
        time.sleep(3.2)  # public forms turn away answers faster than a person types
        fields.update(email=EMAIL, password=PASSWORD)
        status, headers, _ = self.request("/account/sign-in", urllib.parse.urlencode(fields).encode())
        assert status == 303, f"sign-in answered {status}"

    def upload(self, name, data, alt):
        fields = self.hidden("/admin/media", "/admin/media")
        fields["alt"] = alt
        boundary = uuid.uuid4().hex
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items())
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        body += data + f"\r\n--{boundary}--\r\n".encode()
        start = time.monotonic()
        status, headers, _ = self.request("/admin/media", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        seconds = time.monotonic() - start
        assert status == 303, f"upload of {name} answered {status}"
        return seconds, headers["Location"].split("?")[0]


def pillow_copies(data, fmt):
    """The peer: decode, area-average resize, encode each width (JPEG quality 82, PNG level 4)."""
    start = time.monotonic()
    image = Image.open(io.BytesIO(data))
    image.load()
    sizes = {}
    for width in reversed([w for w in WIDTHS if w < image.width]):
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.BOX)
        sizes[width] = len(encoded(image, "JPEG", quality=82) if fmt == "jpg" else encoded(image, "PNG", compress_level=4))
    return time.monotonic() - start, sizes


def main():
    work = tempfile.mkdtemp(prefix="observatory-images-")
    port = free_port()
    env = dict(os.environ, OBSERVATORY_DATA_DIR=work)
    admin = subprocess.run([BINARY, "create-admin", "--email", EMAIL, "--name", "Bench"], input=PASSWORD + "\n",
                           text=True, env=env, capture_output=True)
    assert admin.returncode == 0, admin.stderr
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([BINARY, "serve", "--env", "production", "--hostname", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=log)
    try:
        site = Site(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                site.request("/")
                break
            except OSError:
                time.sleep(0.1)
        site.sign_in()
        files = [
            ("photo.jpg", "jpg", encoded(photograph(4000, 3000, 1), "JPEG", quality=90), "camera photograph 4000x3000 JPEG"),
            ("photo.png", "png", encoded(photograph(2400, 1600, 2), "PNG"), "photograph 2400x1600 PNG"),
            ("screen.png", "png", encoded(screenshot(1920, 1080), "PNG"), "screenshot 1920x1080 PNG"),
        ]
        print(f"{'image':<34} {'original':>10} {'upload s':>9} {'PDF s':>7} {'peak RSS':>9}  copies (bytes, % of original)")
        for name, fmt, data, label in files:
            pdf = b"%PDF-1.4\n" + data[9:]
            baseline = min(site.upload("same-size.pdf", pdf, "")[0] for _ in range(ROUNDS))
            timings = []
            with PeakMemory(server.pid, every=0.005) as memory:
                for _ in range(ROUNDS):
                    seconds, details = site.upload(name, data, "A benchmark picture")
                    timings.append(seconds)
            page = site.request(details)[2].decode()
            copies = {int(w): len(site.request(path)[2]) for path, w in re.findall(r'<a href="(/media/[a-z0-9_-]+-(\d+)w\.[a-z]+)">', page)}
            peer_seconds, peer_sizes = min((pillow_copies(data, fmt) for _ in range(3)), key=lambda r: r[0])
            made = ", ".join(f"{w}: {b:,} ({100 * b / len(data):.1f}%)" for w, b in sorted(copies.items()))
            print(f"{label:<34} {len(data):>10,} {min(timings):>9.3f} {baseline:>7.3f} {memory.before:>4.0f}→{memory.peak:<4.0f}  {made}")
            peer = ", ".join(f"{w}: {b:,}" for w, b in sorted(peer_sizes.items()))
            print(f"{'':<34} copies cost {min(timings) - baseline:.3f} s; Pillow (C) makes them in {peer_seconds:.3f} s "
                  f"(ratio {(min(timings) - baseline) / peer_seconds:.2f}); Pillow's sizes {peer}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

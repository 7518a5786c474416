#!/usr/bin/env python3
"""Makes the sample issue's placeholder photos (content/2026-06/images/).

The page koho reproduces had two photos that we do not have. These stand in for them: plain
pictures that say, in the picture and in the page file's caption and alt text, that they are
placeholders. They are sized for print: 700 x 500 pixels fill the layout's 42 x 30 mm photo
frame at 423 ppi (the print minimum is 300).

Run from the project root (needs Pillow: pip install pillow):
    python3 tools/make-placeholder-photos.py
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 700, 500
FONT = "fonts/BIZUDPGothic-Bold.ttf"
PHOTOS = [
    # file, top colour, bottom colour, what the real photo shows
    ("entrance-gift.jpg", (250, 214, 165), (232, 150, 120), "入学祝いのギフトカード"),
    ("grampus-camp.jpg", (150, 200, 235), (90, 160, 110), "名古屋グランパスのキャンプ"),
]


def make(name, top, bottom, subject):
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    # A frame and a cross, the usual sign of an empty picture box.
    draw.rectangle([20, 20, WIDTH - 21, HEIGHT - 21], outline=(255, 255, 255), width=6)
    draw.line([(20, 20), (WIDTH - 21, HEIGHT - 21)], fill=(255, 255, 255), width=3)
    draw.line([(20, HEIGHT - 21), (WIDTH - 21, 20)], fill=(255, 255, 255), width=3)
    big = ImageFont.truetype(FONT, 96)
    small = ImageFont.truetype(FONT, 40)
    for text, font, y in [("仮の画像", big, 130), ("PLACEHOLDER", small, 260), (subject, small, 330)]:
        w = draw.textlength(text, font=font)
        x = (WIDTH - w) / 2
        draw.rectangle([x - 16, y - 8, x + w + 16, y + font.size + 16], fill=(255, 255, 255))
        draw.text((x, y), text, font=font, fill=(40, 40, 40))
    out = Path("content/2026-06/images") / name
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, "JPEG", quality=90, dpi=(423, 423))
    print(out)


for photo in PHOTOS:
    make(*photo)

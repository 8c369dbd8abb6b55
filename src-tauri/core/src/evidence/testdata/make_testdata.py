"""Regenerate the evidence/pdf.rs test files (Pillow + qpdf): python3 make_testdata.py

Each file shows one habit of real evidence material:
  photo-exif6.jpg      phone photo stored sideways with EXIF Orientation=6 (portrait when upright)
  photo-landscape.jpg  ordinary landscape photo (Orientation absent)
  cmyk-adobe.jpg       CMYK JPEG with the Adobe APP14 marker (inverted CMYK, as Photoshop writes)
  stamp-alpha.png      RGBA: a red seal on a transparent background (soft mask needed)
  screenshot-palette.png  palette PNG with a transparent colour (tRNS), as screenshot tools write
  scan-xref-stream.pdf a PDF from another producer (Pillow) rewritten with object and xref streams
  encrypted-open-password.pdf  AES-256, needs the password "user123" to open
  encrypted-owner-only.pdf     AES-256, opens without a password, printing restricted
"""
import subprocess
from PIL import Image, ImageDraw

def arrow_card(w, h, label_color):
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    d.rectangle([4, 4, w - 5, h - 5], outline="black", width=4)
    # An arrow pointing up and a filled bar along the top edge: upright means bar on top.
    d.rectangle([4, 4, w - 5, h // 8], fill=label_color)
    cx = w // 2
    d.polygon([(cx, h // 5), (cx - w // 6, h // 2), (cx + w // 6, h // 2)], fill="black")
    d.rectangle([cx - w // 20, h // 2, cx + w // 20, h * 4 // 5], fill="black")
    d.text((12, h - 40), "TOP IS UP", fill="black")
    return im

# Upright portrait 240x320, stored rotated 90 degrees counter-clockwise, Orientation=6 says
# "rotate 90 clockwise to view".
upright = arrow_card(240, 320, (0, 102, 204))
stored = upright.rotate(90, expand=True)
exif = Image.Exif()
exif[0x0112] = 6
stored.save("photo-exif6.jpg", quality=80, exif=exif.tobytes())

arrow_card(480, 320, (0, 153, 51)).save("photo-landscape.jpg", quality=80)

cmyk = Image.new("CMYK", (200, 120), (0, 0, 0, 0))
d = ImageDraw.Draw(cmyk)
d.rectangle([0, 0, 66, 119], fill=(0, 255, 255, 0))     # red
d.rectangle([67, 0, 133, 119], fill=(255, 0, 255, 0))   # green
d.rectangle([134, 0, 199, 119], fill=(255, 255, 0, 0))  # blue
cmyk.save("cmyk-adobe.jpg", quality=85)

seal = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
d = ImageDraw.Draw(seal)
d.ellipse([10, 10, 290, 290], outline=(220, 0, 0, 255), width=14)
d.ellipse([110, 110, 190, 190], fill=(220, 0, 0, 160))
d.polygon([(150, 40), (120, 100), (180, 100)], fill=(220, 0, 0, 255))
seal.save("stamp-alpha.png")

shot = Image.new("P", (320, 200), 0)
shot.putpalette([255, 255, 255, 30, 30, 30, 255, 200, 0] + [0] * (256 * 3 - 9))
d = ImageDraw.Draw(shot)
d.rectangle([0, 0, 319, 30], fill=1)
d.rectangle([20, 60, 300, 180], fill=2)
shot.info["transparency"] = 0
shot.save("screenshot-palette.png", transparency=0)

page = Image.new("RGB", (595, 842), "white")
d = ImageDraw.Draw(page)
d.rectangle([40, 40, 555, 120], fill=(200, 200, 200))
d.text((60, 70), "SCANNED PAGE (Pillow PDF, object streams)", fill="black")
page.save("_plain.pdf", resolution=72)
subprocess.run(["qpdf", "--object-streams=generate", "_plain.pdf", "scan-xref-stream.pdf"], check=True)
subprocess.run(["qpdf", "--encrypt", "user123", "owner456", "256", "--", "_plain.pdf",
                "encrypted-open-password.pdf"], check=True)
subprocess.run(["qpdf", "--encrypt", "", "owner456", "256", "--print=none", "--modify=none", "--",
                "_plain.pdf", "encrypted-owner-only.pdf"], check=True)
import os
os.remove("_plain.pdf")

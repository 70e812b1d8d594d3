"""Draw the application icon into alliance_planner/resources/: the PNGs each platform asks
for (16 to 256 pixels, and 512 and 1024 for macOS), the Windows .ico and the macOS .icns.

Three forces joined as one alliance, over a rising line of savings, on the blue of a police
livery. Run it again after changing the drawing and commit what it writes:
    .venv/bin/python scripts/draw_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "alliance_planner" / "resources"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
CANVAS = 1024  # drawn once, large, then scaled down for smooth edges
BLUE = (22, 52, 110, 255)
WHITE = (255, 255, 255, 255)
GOLD = (244, 185, 40, 255)


def draw() -> Image.Image:
    image = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = 56
    pen.rounded_rectangle((margin, margin, CANVAS - margin, CANVAS - margin), radius=190,
                          fill=BLUE)
    # the rising line of savings, behind the forces
    pen.line([(190, 780), (400, 640), (600, 690), (840, 400)], fill=GOLD, width=64,
             joint="curve")
    for x, y in ((190, 780), (840, 400)):
        pen.ellipse((x - 32, y - 32, x + 32, y + 32), fill=GOLD)
    # three forces, joined
    forces = ((512, 250), (300, 520), (724, 520))
    for i, start in enumerate(forces):
        pen.line([start, forces[(i + 1) % 3]], fill=WHITE, width=44)
    for x, y in forces:
        pen.ellipse((x - 105, y - 105, x + 105, y + 105), fill=WHITE)
        pen.ellipse((x - 58, y - 58, x + 58, y + 58), fill=BLUE)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icons = OUT / "icons"
    icons.mkdir(exist_ok=True)
    big = draw()
    for size in PNG_SIZES:
        big.resize((size, size), Image.Resampling.LANCZOS).save(
            icons / f"alliance-planner-{size}.png", optimize=True)
    big.resize((256, 256), Image.Resampling.LANCZOS).save(
        OUT / "alliance-planner.ico", sizes=[(s, s) for s in ICO_SIZES])
    big.save(OUT / "alliance-planner.icns")
    print(f"wrote the icon into {OUT}")


if __name__ == "__main__":
    main()

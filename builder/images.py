"""Images: a figure's file beside the outline, checked when the outline loads, prepared per box.

The model checks each figure's file at load time (inside the outline's folder, a PNG or JPEG
that Pillow reads whole, not too many pixels), so a bad image is an error at its line. Markup
resolves the same name again; writers take the bytes for a box from `prepared`: turned upright,
downsampled to DPI for the box (never up), re-encoded without metadata, made once per size.
"""

from __future__ import annotations

import contextlib
import functools
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from builder.brand import Brand
from builder.confine import escapes
from builder.errors import Problem, WriteError, problem_at

if TYPE_CHECKING:  # Pillow is imported where an image is read: most outlines have none
    from PIL import Image

DPI = 200  # what a projector or a printed page shows sharply
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo; Pillow itself warns from 89 million
MAX_BYTES = 50_000_000
FORMATS = ("PNG", "JPEG")
_ORIENTATION = 0x0112  # EXIF: 5 to 8 turn the picture a quarter


@dataclass(frozen=True)
class Prepared:
    """An image as every output embeds it: its encoded bytes, pixel size and format."""

    data: bytes
    width: int
    height: int
    format: str


def resolve_image(folder: Path, name: str) -> Path:
    """Return the path of image name inside folder; ValueError for a name or link leaving it."""
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or PureWindowsPath(name).drive:
        raise ValueError("a file name inside the outline's folder (no '..', no absolute path)")
    if escapes(folder / posix, folder):
        raise ValueError("a file inside the outline's folder (a link leads outside it)")
    path = (folder / posix).resolve()
    if posix.suffix.lower() == ".svg":
        raise ValueError(
            "a PNG or JPEG file (SVG is not drawn alike in PowerPoint and PDF: export it as PNG)"
        )
    if not path.is_file():
        raise ValueError(f"an existing image file (no {posix} beside the outline)")
    return path


def check_figure(outline: Path | None, name: str) -> tuple[Path, int, int]:
    """Return the image's path and upright pixel size, reading it whole; ValueError if bad."""
    if outline is None:
        raise ValueError("an image file beside an outline read from disk")
    path = resolve_image(outline.parent, name)
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"an image file of at most {MAX_BYTES // 1_000_000} MB")
    with _opened(path) as image:
        size = upright_size(image)
        _decode(image, path)
    return path, *size


def image_size(folder: Path, name: str) -> tuple[Path, int, int]:
    """Return the path of image name inside folder and its upright pixel size (header only)."""
    path = resolve_image(folder, name)
    with _opened(path) as image:
        return path, *upright_size(image)


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Return an image's pixel size as shown: EXIF orientations 5 to 8 swap its sides."""
    w, h = image.size
    try:
        turned = image.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8)
    except Exception:  # a broken EXIF block: loading the pixels will say what is wrong
        turned = False
    return (h, w) if turned else (w, h)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[Image.Image]:
    """Open an image, turning Pillow's errors and bomb warnings into our ValueError."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(_too_many(path)) from None
    except Exception:  # Pillow raises many kinds for a broken header (OSError, struct.error, ...)
        raise ValueError(f"a PNG or JPEG image ({path.name} is not one)") from None
    with image:
        yield _accepted(image, path)


def _too_many(path: Path) -> str:
    return f"an image of at most {MAX_PIXELS // 1_000_000} million pixels ({path.name} has more)"


def _accepted(image: Image.Image, path: Path) -> Image.Image:
    if image.format not in FORMATS:
        raise ValueError(f"a PNG or JPEG image ({path.name} is {image.format}: save it as PNG)")
    if image.size[0] * image.size[1] > MAX_PIXELS:
        raise ValueError(_too_many(path))
    return image


def _decode(image: Image.Image, path: Path) -> None:
    """Read every pixel (a JPEG at an eighth of its size): a truncated file fails here."""
    if image.format == "JPEG":
        image.draft(image.mode, (max(1, image.size[0] // 8), max(1, image.size[1] // 8)))
    try:
        image.load()
    except Exception as exc:  # truncated or corrupt data: OSError, struct.error, zlib.error, ...
        raise ValueError(f"a complete PNG or JPEG image ({path.name}: {exc})") from None


def pixels_for(width: int, height: int, box_w: float, box_h: float) -> tuple[int, int]:
    """Return the pixel size an image needs to fill a box of points at DPI: never more than
    it has, its aspect kept."""
    scale = min(1.0, box_w * DPI / 72 / width, box_h * DPI / 72 / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def prepared(path: Path, size: tuple[int, int], at: str = "") -> Prepared:
    """Return the image for a pixel size (from pixels_for), made once per file and size."""
    stat = path.stat()
    try:
        return _prepare(path, stat.st_mtime_ns, stat.st_size, size)
    except Exception as exc:  # the file changed since it was checked: say so at its line
        message = f"figure: expected a readable PNG or JPEG image, got {exc}"
        raise WriteError(problem_at(at or str(path), message)) from None


@functools.lru_cache(maxsize=64)
def _prepare(path: Path, mtime: int, length: int, size: tuple[int, int]) -> Prepared:
    """Upright, downsampled and re-encoded: PNG stays PNG (transparency kept), a JPEG stays a
    JPEG at quality 85; EXIF, ICC profiles and text chunks are left behind."""
    from PIL import Image, ImageOps

    with Image.open(path) as raw:
        kind = raw.format or "PNG"
        image = _plain_mode(_srgb(ImageOps.exif_transpose(raw)), kind)
        if image.size != size:
            image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        if kind == "JPEG":
            image.save(out, format="JPEG", quality=85, optimize=True)
        else:
            image.save(out, format="PNG", optimize=True)
    return Prepared(out.getvalue(), image.width, image.height, kind)


def _plain_mode(image: Image.Image, kind: str) -> Image.Image:
    """Return the image in a mode both PowerPoint and PDF draw: L, RGB or (PNG) RGBA."""
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if kind == "PNG" and alpha:
        return image.convert("RGBA")
    if image.mode in ("L", "RGB"):
        return image
    if image.mode.startswith("I"):  # 16-bit grey: scale to 8 bits (convert would clip)
        return image.convert("I").point(lambda v: v / 256).convert("L")
    return image.convert("L" if image.mode in ("1", "F") else "RGB")


def _srgb(image: Image.Image) -> Image.Image:
    """Return the image in sRGB when it carries another ICC profile (the profile is dropped)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: the pixels as they are
    return converted if converted is not None else image


@functools.cache
def _srgb_profile() -> Any:
    """Return Pillow's sRGB profile, made once (the first picture with another profile)."""
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


def logo_png(brand: Brand) -> bytes | None:
    """Return the logo re-encoded as PNG: downsampled to 1200 px, metadata such as EXIF
    dropped. Every writer embeds these bytes, never the kit's file as it is."""
    if brand.logo is None:
        return None
    stat = brand.logo.stat()  # a logo saved again (under watch) is read again
    return _logo_png(brand.logo, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _logo_png(path: Path, mtime: int, length: int) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as raw:
            image = ImageOps.exif_transpose(raw)  # upright, as a camera's JPEG is shown
            image.thumbnail((1200, 1200))
            if image.mode.startswith("I"):  # 16-bit grey: RGBA would clip it to white
                image = _plain_mode(image, "PNG")
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
    except (OSError, UnidentifiedImageError) as exc:
        message = f"expected a PNG or JPEG image, got {type(exc).__name__}"
        raise WriteError(Problem(str(path), 0, message, "logo")) from None
    return out.getvalue()

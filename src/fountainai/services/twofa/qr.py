"""QR codes of provisioning URIs (segno: pure Python, PNG and SVG)."""

from __future__ import annotations

import io
from typing import Final, Literal

import segno

QR_SCALE: Final = 5
ImageFormat = Literal["png", "svg"]
MEDIA_TYPES: Final[dict[ImageFormat, str]] = {"png": "image/png", "svg": "image/svg+xml"}


def qr_image(uri: str, image_format: ImageFormat) -> bytes:
    buffer = io.BytesIO()
    qr = segno.make(uri, error="m")
    if image_format == "svg":
        qr.save(buffer, kind="svg", scale=QR_SCALE, xmldecl=False)
    else:
        qr.save(buffer, kind="png", scale=QR_SCALE)
    return buffer.getvalue()


def qr_svg(uri: str) -> str:
    return qr_image(uri, "svg").decode()


def qr_png_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").png_data_uri(scale=QR_SCALE)

"""File › Print Page and Print Board Summary: paper from the window.

A page prints as it is shown (what the CTO sees is what goes in the folder), scaled to fit
one sheet, under a header with the plan, the page, the protective marking and the date.
The board summary prints the same one-page A4 summary as File › Export Summary, drawn by
the same code, so that the printed and the emailed copy never differ.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

DPI = 200
"""The board summary's resolution on paper: sharp text at a few MB a page."""


def new_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer


def ask(parent: QWidget, printer: QPrinter, title: str) -> bool:
    """The platform's print dialog; False if the user cancelled it."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    return dialog.exec() == QDialog.DialogCode.Accepted


def header(plan: Any, what: str) -> tuple[str, str, str]:
    """Left, centre and right of a printed page's header."""
    return (f"{plan.name} · {what}", plan.marking, date.today().strftime("%-d %B %Y"))


def print_widget(widget: QWidget, printer: QPrinter, heading: tuple[str, str, str]) -> None:
    """``widget`` as shown, scaled to fit the sheet below ``heading`` (never enlarged past
    twice its size on screen, where it would only look coarse)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"could not start printing to {printer.printerName() or 'the printer'}")
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        band = _draw_header(painter, QRect(0, 0, page.width(), page.height()), heading)
        room = QRect(0, band, page.width(), page.height() - band)
        size = widget.size()
        scale = min(room.width() / max(size.width(), 1), room.height() / max(size.height(), 1))
        scale = min(scale, 2.0 * printer.resolution() / max(widget.logicalDpiX(), 1))
        painter.translate(room.left(), room.top())
        painter.scale(scale, scale)
        widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()


def print_image(image: QImage, printer: QPrinter) -> None:
    """A page already drawn (the board summary) fitted to the sheet."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"could not start printing to {printer.printerName() or 'the printer'}")
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        scale = min(page.width() / image.width(), page.height() / image.height())
        target = QRectF(0, 0, image.width() * scale, image.height() * scale)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, image)
    finally:
        painter.end()


def summary_image(plan: Any, version: str, cancelled) -> QImage:
    """The one-page board summary as an image (off the GUI thread: Agg, no Qt widgets)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..exchange.report import build_figure

    fig = build_figure(plan, version=version, cancelled=cancelled)
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(DPI)
    canvas.draw()
    width, height = canvas.get_width_height()
    data = bytes(canvas.buffer_rgba())
    return QImage(data, width, height, QImage.Format.Format_RGBA8888).copy()


def _draw_header(painter: QPainter, page: QRect, heading: tuple[str, str, str]) -> int:
    """The header line; returns the height it takes, with a gap below."""
    font = QFont()
    font.setPointSizeF(9)
    painter.setFont(font)
    line = painter.fontMetrics().height()
    box = QRect(page.left(), page.top(), page.width(), line)
    left, centre, right = heading
    painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, left)
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, centre)
    painter.setFont(font)
    painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right)
    return line * 2

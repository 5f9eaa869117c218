"""QR codes drawn as vector rectangles (sharp at any print size).

Each row's run of dark modules becomes one rectangle, written as integer module coordinates
under one scaling transform (no float formatting per rectangle). Choosing the version and
mask is most of a QR library's cost; callers with fixed-length data (badge tokens) pass them
fixed. With both fixed, ASCII data of QR versions 1-9 is encoded here in byte mode from a
per-(version, error, mask) template (function patterns and format information taken once
from segno, data module positions computed once), which is about 10x faster than segno;
everything else is encoded by segno. Tests prove the fast matrices equal segno's exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

import segno

QUIET_ZONE_MODULES = 4
_DARK_RUN = re.compile(b"\x01+")

# Error correction per version (1-9) and level: (EC codewords per block, ((blocks, data
# codewords per block), ...)). ISO/IEC 18004:2015 table 9.
_EC_BLOCKS = {
    1: {"l": (7, ((1, 19),)), "m": (10, ((1, 16),)), "q": (13, ((1, 13),)), "h": (17, ((1, 9),))},
    2: {"l": (10, ((1, 34),)), "m": (16, ((1, 28),)), "q": (22, ((1, 22),)), "h": (28, ((1, 16),))},
    3: {"l": (15, ((1, 55),)), "m": (26, ((1, 44),)), "q": (18, ((2, 17),)), "h": (22, ((2, 13),))},
    4: {"l": (20, ((1, 80),)), "m": (18, ((2, 32),)), "q": (26, ((2, 24),)), "h": (16, ((4, 9),))},
    5: {
        "l": (26, ((1, 108),)),
        "m": (24, ((2, 43),)),
        "q": (18, ((2, 15), (2, 16))),
        "h": (22, ((2, 11), (2, 12))),
    },
    6: {"l": (18, ((2, 68),)), "m": (16, ((4, 27),)), "q": (24, ((4, 19),)), "h": (28, ((4, 15),))},
    7: {
        "l": (20, ((2, 78),)),
        "m": (18, ((4, 31),)),
        "q": (18, ((2, 14), (4, 15))),
        "h": (26, ((4, 13), (1, 14))),
    },
    8: {
        "l": (24, ((2, 97),)),
        "m": (22, ((2, 38), (2, 39))),
        "q": (22, ((4, 18), (2, 19))),
        "h": (26, ((4, 14), (2, 15))),
    },
    9: {
        "l": (30, ((2, 116),)),
        "m": (22, ((3, 36), (2, 37))),
        "q": (20, ((4, 16), (4, 17))),
        "h": (24, ((4, 12), (4, 13))),
    },
}
_ALIGNMENT = {1: (), 2: (6, 18), 3: (6, 22), 4: (6, 26), 5: (6, 30), 6: (6, 34)}
_ALIGNMENT.update({7: (6, 22, 38), 8: (6, 24, 42), 9: (6, 26, 46)})
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


@lru_cache(maxsize=64)
def _generator_logs(degree: int) -> tuple[int, ...]:
    """Logs of the Reed-Solomon generator polynomial's coefficients (leading 1 dropped)."""
    poly = [1]
    for root in range(degree):
        nxt = [0] * (len(poly) + 1)
        for index, coefficient in enumerate(poly):
            nxt[index] ^= coefficient
            if coefficient:
                nxt[index + 1] ^= _EXP[_LOG[coefficient] + root]
        poly = nxt
    return tuple(_LOG[coefficient] for coefficient in poly[1:])


def _ec_codewords(data: list[int], degree: int) -> list[int]:
    generator = _generator_logs(degree)
    remainder = [0] * degree
    exp, log = _EXP, _LOG
    for value in data:
        factor = value ^ remainder[0]
        del remainder[0]
        remainder.append(0)
        if factor:
            factor_log = log[factor]
            for index, generator_log in enumerate(generator):
                remainder[index] ^= exp[factor_log + generator_log]
    return remainder


def _function_modules(version: int) -> list[bytearray]:
    """1 where a module belongs to a function pattern, format or version information."""
    size = 17 + 4 * version
    reserved = [bytearray(size) for _ in range(size)]

    def block(top: int, left: int, height: int, width: int) -> None:
        for row in range(max(top, 0), min(top + height, size)):
            for column in range(max(left, 0), min(left + width, size)):
                reserved[row][column] = 1

    block(0, 0, 9, 9)  # finder, separator, format information
    block(0, size - 8, 9, 8)
    block(size - 8, 0, 8, 9)  # includes the dark module
    block(6, 0, 1, size)  # timing
    block(0, 6, size, 1)
    centres = _ALIGNMENT[version]
    for row in centres:
        for column in centres:
            if (row, column) in ((6, 6), (6, centres[-1]), (centres[-1], 6)):
                continue
            block(row - 2, column - 2, 5, 5)
    if version >= 7:
        block(0, size - 11, 6, 3)
        block(size - 11, 0, 3, 6)
    return reserved


@lru_cache(maxsize=32)
def _template(version: int, error: str, mask: int):
    """(function-module rows, data positions in placement order, their mask bits)."""
    size = 17 + 4 * version
    reserved = _function_modules(version)
    sample = segno.make_qr(
        "0", error=error, version=version, mask=mask, mode="byte", boost_error=False
    )
    rows = tuple(
        bytes(value if reserved[row][column] else 0 for column, value in enumerate(line))
        for row, line in enumerate(sample.matrix)
    )
    positions = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        upwards = ((right & 2) == 0) != (right < 6)
        for vertical in range(size):
            row = size - 1 - vertical if upwards else vertical
            for column in (right, right - 1):
                if not reserved[row][column]:
                    positions.append((row, column))
    mask_bits = bytes(1 if _MASKS[mask](row, column) else 0 for row, column in positions)
    return rows, tuple(positions), mask_bits


def _fast_matrix(data: bytes, version: int, error: str, mask: int) -> tuple[bytearray, ...]:
    degree, groups = _EC_BLOCKS[version][error]
    capacity = sum(count * length for count, length in groups)
    if len(data) + 2 > capacity:  # mode + count (12 bits) + terminator must fit
        raise segno.DataOverflowError(f"{len(data)} bytes do not fit version {version}{error}")
    # Mode 0100, 8-bit count, the bytes, terminator 0000: byte aligned after 20 bits + data.
    stream = bytearray([0x40 | (len(data) >> 4)])
    previous = len(data) & 0x0F
    for byte in data:
        stream.append((previous << 4) | (byte >> 4))
        previous = byte & 0x0F
    stream.append(previous << 4)
    if len(stream) < capacity:
        # segno always adds a zero codeword after the terminator; copied so the matrices
        # equal segno's bit for bit (decoders stop at the terminator either way).
        stream.append(0)
    pad = 0xEC
    while len(stream) < capacity:
        stream.append(pad)
        pad ^= 0xEC ^ 0x11
    blocks, errors, start = [], [], 0
    for count, length in groups:
        for _ in range(count):
            block = list(stream[start : start + length])
            start += length
            blocks.append(block)
            errors.append(_ec_codewords(block, degree))
    longest = max(len(block) for block in blocks)
    codewords = [block[i] for i in range(longest) for block in blocks if i < len(block)]
    codewords += [error_block[i] for i in range(degree) for error_block in errors]
    rows, positions, mask_bits = _template(version, error, mask)
    matrix = tuple(bytearray(row) for row in rows)
    index = 0
    for codeword in codewords:
        for shift in (7, 6, 5, 4, 3, 2, 1, 0):
            if ((codeword >> shift) & 1) ^ mask_bits[index]:
                row, column = positions[index]
                matrix[row][column] = 1
            index += 1
    for remainder in range(index, len(positions)):  # remainder bits (0), masked
        if mask_bits[remainder]:
            row, column = positions[remainder]
            matrix[row][column] = 1
    return matrix


def qr_matrix(
    data: str, *, version: int | None = None, error: str = "m", mask: int | None = None
) -> tuple[bytearray, ...]:
    """Module matrix (rows of 0/1, no quiet zone) of the QR code for ``data``.

    With ``version`` and ``mask`` fixed no search happens (ASCII data of versions 1-9 is
    encoded in byte mode here, about 10x faster than segno). Raises segno's
    DataOverflowError when ``data`` does not fit the fixed version.
    """
    error = error.lower()
    if version in _EC_BLOCKS and mask is not None and data.isascii():
        return _fast_matrix(data.encode("ascii"), version, error, mask)
    code = segno.make_qr(data, error=error, version=version, mask=mask, boost_error=False)
    return code.matrix


def qr_path(matrix) -> str:
    """PDF path operators of the dark modules in module units, top row at y = -1.

    One rectangle per run of dark modules in a row, with a hair of overlap between rows
    (height 1.02) that avoids white hairlines in some viewers.
    """
    parts = []
    for row_index, row in enumerate(matrix):
        bottom = -1 - row_index
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            parts.append(f"{start} {bottom} {end - start} 1.02 re")
    return "\n".join(parts)


def draw_qr(
    canvas,
    data: str,
    *,
    x: float,
    y: float,
    size: float,
    version: int | None = None,
    error: str = "m",
    mask: int | None = None,
    quiet_zone: bool = True,
) -> None:
    """Draw the QR code of ``data`` in the square with bottom-left ``x``, ``y`` and side ``size``.

    With ``quiet_zone`` the square includes the 4-module white margin scanners need (painted
    white, so the code also reads on a coloured background).
    """
    matrix = qr_matrix(data, version=version, error=error, mask=mask)
    count = len(matrix)
    border = QUIET_ZONE_MODULES if quiet_zone else 0
    module = size / (count + 2 * border)
    canvas.saveState()
    if quiet_zone:
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # Module units: origin at the code's top-left corner, one unit per module.
    canvas.transform(module, 0, 0, module, x + border * module, y + size - border * module)
    canvas.addLiteral(f"n\n{qr_path(matrix)}\nf")
    canvas.restoreState()

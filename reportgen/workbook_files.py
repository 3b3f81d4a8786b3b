"""Opening an input file safely, and telling what kind of workbook it is by its content.

Every input (workbook, last year's workbook, texts, catalog) is read through `read_input`:
only a regular file, within a size limit, opened without blocking, so a FIFO, a directory
or a device is refused at once instead of hanging. `workbook_kind` looks at the bytes, not
the suffix: a zip with xl/workbook.xml is .xlsx, an OLE2 compound file with a Workbook
stream is .xls, a zip whose mimetype says spreadsheet is .ods. Anything else is named in
one Chinese line with how to save it as .xlsx.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import olefile

from . import limits
from .errors import InputError, Problem

SAVE_AS = "请在 Excel/WPS 中打开，另存为 Excel 工作簿 (.xlsx) 后再试"
MB = 1024 * 1024

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "ODF 文字文档 (.odt)",
    "application/vnd.oasis.opendocument.presentation": "ODF 演示文稿 (.odp)",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ODF 电子表格模板 (.ots)",
}


def refuse(path: Path | str, message: str, where: str = "") -> InputError:
    return InputError([Problem(str(path), where, message)])


def not_workbook(path: Path | str, what: str) -> InputError:
    space = " " if what[:1].isascii() else ""  # a space between Chinese and a Latin word
    return refuse(path, f"不是 Excel/WPS 工作簿，而是{space}{what}。{SAVE_AS}")


def _not_regular(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "是一个目录，不是文件"
    if stat.S_ISFIFO(mode):
        return "是命名管道（FIFO），不是普通文件；为避免无限等待，只读取普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备文件，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "是套接字（socket），不是普通文件"
    if not stat.S_ISREG(mode):
        return "不是普通文件"
    return None


def read_input(path: Path, limit: limits.Limit = limits.FILE_BYTES, what: str = "文件") -> bytes:
    """The bytes of a regular file no larger than `limit`; anything else is an InputError.

    O_NONBLOCK makes opening a FIFO return at once, so the type check after the open (on the
    very file opened, not on a name that could be swapped) never waits for a writer.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise refuse(path, "文件不存在") from None
    except IsADirectoryError:
        raise refuse(path, "是一个目录，不是文件") from None
    except PermissionError:
        raise refuse(path, f"没有读取此{what}的权限") from None
    except OSError as exc:
        raise refuse(path, f"无法打开{what}（{exc.strerror}）") from None
    try:
        info = os.fstat(fd)
        if (why := _not_regular(info.st_mode)) is not None:
            raise refuse(path, why)
        if info.st_size > limit.value:
            raise refuse(path, f"{what}有 {info.st_size / MB:.1f} MB，超过限制（{limit}）")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit.value + 1)
    except OSError as exc:
        raise refuse(path, f"无法读取{what}（{exc.strerror}）") from None
    finally:
        os.close(fd)
    if len(data) > limit.value:  # the file grew while being read
        raise refuse(path, f"{what}超过限制（{limit}）")
    return data


def _zip_entries(data: bytes) -> int | None:
    """Entry count from the end-of-central-directory record, read before zipfile parses it."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if pos < 0 or pos + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, pos + 10)[0]
    if count == 0xFFFF:  # Zip64: the real count is in the Zip64 record
        pos64 = data.rfind(b"PK\x06\x06", 0, pos)
        if pos64 < 0 or pos64 + 40 > len(data):
            return None
        count = struct.unpack_from("<Q", data, pos64 + 32)[0]
    return count


def open_zip(path: Path, data: bytes, what: str) -> zipfile.ZipFile:
    """A zip archive whose member count and declared sizes are within the limits.

    zipfile stops inflating a member at its declared size (and then fails its CRC check), so
    bounding the declared sizes bounds what is actually inflated.
    """
    count = _zip_entries(data)
    if count is not None and count > limits.ZIP_MEMBERS.value:
        raise refuse(path, f"{what}内部有 {count} 个部件，超过限制（{limits.ZIP_MEMBERS}）")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise refuse(path, f"文件是 ZIP 格式，但已损坏或不完整（可能下载、复制未完成），无法打开。{SAVE_AS}") from None
    if len(members) > limits.ZIP_MEMBERS.value:
        raise refuse(path, f"{what}内部有 {len(members)} 个部件，超过限制（{limits.ZIP_MEMBERS}）")
    total = sum(m.file_size for m in members)
    if total > limits.INFLATED_BYTES.value:
        raise refuse(path, f"{what}解压后有 {total / MB:.0f} MB，超过限制（{limits.INFLATED_BYTES}）；"
                     "可能是损坏或恶意构造的文件")
    if any(m.flag_bits & 0x1 for m in members):
        raise refuse(path, f"{what}内部部件已加密，无法读取。{SAVE_AS}")
    return zf


def _zip_kind(path: Path, data: bytes) -> tuple[str, zipfile.ZipFile]:
    zf = open_zip(path, data, "ZIP 文件")
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        return "xlsx", zf
    if "mimetype" in names:
        mime = zf.read("mimetype")[:200].strip()
        if mime == _ODS_MIME:
            return "ods", zf
        what = _ODF_KINDS.get(mime.decode("ascii", "replace"), "OpenDocument 文档（不是电子表格）")
    elif "word/document.xml" in names:
        what = "Word 文档 (.docx)"
    elif "ppt/presentation.xml" in names:
        what = "PowerPoint 演示文稿 (.pptx)"
    elif any(n.startswith("xl/") for n in names):
        what = "缺少 xl/workbook.xml 的不完整 Excel 文件"
    else:
        what = "普通 ZIP 压缩包（里面没有工作簿）"
    raise not_workbook(path, what)


def _ole_kind(path: Path, data: bytes) -> str:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=False)}
    except Exception:  # olefile raises OSError and others for a damaged container
        raise refuse(path, f"文件是旧版 Office 格式（OLE2），但已损坏，无法打开。{SAVE_AS}") from None
    if "EncryptedPackage" in streams:
        raise refuse(path, "工作簿设置了打开密码（已加密），无法读取。请在 Excel/WPS 中输入密码打开，"
                     "取消密码后另存为 Excel 工作簿 (.xlsx) 再试")
    if streams & {"Workbook", "Book"}:
        return "xls"
    what = "Word 97-2003 文档 (.doc)" if "WordDocument" in streams else "不是工作簿的旧版 Office 文件"
    raise not_workbook(path, what)


def _text_kind(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "PDF 文档"
    if head.startswith((b"<!doctype html", b"<html")) or b"<table" in head:
        return "网页（HTML，常见于另存为 .xls 的网页表格）"
    if head.startswith(b"<?xml"):
        return "XML 文本（可能是 Excel 2003 XML 表格）"
    if head.startswith(b"{\\rtf"):
        return "RTF 文档"
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data[:4096].decode(encoding)
        except UnicodeDecodeError:
            continue
        if "," in text or "\t" in text:
            return "CSV 或制表符分隔的文本"
        return "纯文本"
    return "无法识别的数据"


def workbook_kind(path: Path, data: bytes) -> tuple[str, zipfile.ZipFile | None]:
    """("xlsx" | "ods", the opened zip) or ("xls", None); anything else is an InputError."""
    if not data:
        raise refuse(path, f"文件是空的（0 字节），不是工作簿。{SAVE_AS}")
    if data.startswith(_ZIP):
        return _zip_kind(path, data)
    if data.startswith(_OLE2):
        if len(data) > limits.XLS_BYTES.value:
            raise refuse(path, f"旧版 .xls 文件有 {len(data) / MB:.1f} MB，超过限制（{limits.XLS_BYTES}）。{SAVE_AS}")
        return _ole_kind(path, data), None
    raise not_workbook(path, _text_kind(data))

"""A corpus of broken and hostile input files, each with the lines reportgen must answer with.

Every case writes its files into a directory and says how to run it (the arguments after
`reportgen build`) and which lines stderr must hold: the file, the [sheet or cell] where one
exists, and key words of what was found or expected. `isolate` marks cases that would hang or
exhaust memory if a guard failed; the tests run those in a child process with a timeout.

    python tests/hostile.py DIR     # write the whole corpus into DIR, to look at or try by hand
"""

from __future__ import annotations

import io
import os
import random
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "yicheng-2020.xlsx"


@dataclass(frozen=True)
class Expect:
    file: Path | str
    where: str  # the text between [ ] in the line; "" for a line about the whole file
    words: tuple[str, ...]

    def prefix(self) -> str:
        return f"错误 {self.file} [{self.where}]：" if self.where else f"错误 {self.file}："


@dataclass
class Case:
    args: list[str]  # after `reportgen build`, without --output
    expect: list[Expect]
    isolate: bool = False
    files: list[Path] = field(default_factory=list)


CASES: dict[str, Callable[[Path], Case]] = {}


def case(name: str) -> Callable[[Callable[[Path], Case]], Callable[[Path], Case]]:
    def register(fn: Callable[[Path], Case]) -> Callable[[Path], Case]:
        assert name not in CASES, name
        CASES[name] = fn
        return fn
    return register


# -- building blocks -------------------------------------------------------------------------


@cache
def sample_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLE) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@cache
def sheet_parts() -> dict[str, str]:
    """Sheet name → worksheet part of the sample (openpyxl numbers them in workbook order)."""
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', sample_parts()["xl/workbook.xml"].decode())
    return {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(names, 1)}


Edit = Callable[[str], str]


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def xlsx(path: Path, edits: dict[str, list[Edit]] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """The sample with text edits to some sheets' XML (keyed by sheet name or part name)."""
    parts = dict(sample_parts())
    for key, fns in (edits or {}).items():
        part = sheet_parts().get(key, key)
        text = parts[part].decode()
        for fn in fns:
            text = fn(text)
        parts[part] = text.encode()
    parts.update(extra or {})
    return write_zip(path, parts)


def put(ref: str, cell_xml: str) -> Edit:
    """Replace the cell at `ref` (which the sample has) by `cell_xml`."""
    pattern = re.compile(rf'<c r="{ref}"(?: [^>/]*)?(?:/>|>.*?</c>)')

    def edit(text: str) -> str:
        new, n = pattern.subn(lambda _m: cell_xml, text, count=1)
        assert n == 1, f"no cell {ref}"
        return new
    return edit


def before(marker: str, xml: str) -> Edit:
    def edit(text: str) -> str:
        assert marker in text, marker
        return text.replace(marker, xml + marker, 1)
    return edit


def after(marker: str, xml: str) -> Edit:
    def edit(text: str) -> str:
        assert marker in text, marker
        return text.replace(marker, marker + xml, 1)
    return edit


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def number(ref: str, v: str) -> str:
    return f'<c r="{ref}" t="n"><v>{v}</v></c>'


def row(r: int, *cells: str) -> Edit:
    return before("</sheetData>", f'<row r="{r}">{"".join(cells)}</row>')


def published(text_or_cell: str) -> dict[str, list[Edit]]:
    """A 公开时间 row added at row 30 of 单位信息, its value in B30."""
    cell = text_or_cell if text_or_cell.startswith("<c ") else inline("B30", text_or_cell)
    return {"单位信息": [row(30, inline("A30", "公开时间"), cell)]}


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3) holding `streams`, each stored in whole sectors.

    Streams are padded to 4096 bytes so that none goes into the mini stream.
    """
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    datas = [d.ljust(max(4096, -(-len(d) // 512) * 512), b"\0") for d in streams.values()]
    fat = [fat_sect, end]
    starts = []
    for d in datas:
        first = len(fat)
        n = len(d) // 512
        starts.append(first)
        fat += [first + i + 1 for i in range(n - 1)] + [end]
    assert len(fat) <= 128 and len(streams) <= 3

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, nostream, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    names = list(streams)
    dirs = entry("Root Entry", 5, nostream, 1, end, 0)
    for i, name in enumerate(names, 1):
        dirs += entry(name, 2, i + 1 if i < len(names) else nostream, nostream, starts[i - 1], len(datas[i - 1]))
    dirs = dirs.ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    return header + fat_sector + dirs + b"".join(datas)


def biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", rid, len(data)) + data for rid, data in records)


BOF = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))


def ods(path: Path, table_xml: str, name: str = "Sheet1") -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{name}">{table_xml}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def one(path: Path, where: str, *words: str, isolate: bool = False, args: list[str] | None = None) -> Case:
    """A case whose answer is a single line about `path`."""
    return Case(args or [str(path)], [Expect(path, where, words)], isolate)


SAVE = "另存为 Excel 工作簿 (.xlsx)"


# -- not a workbook ---------------------------------------------------------------------------


@case("empty-file")
def _(d: Path) -> Case:
    p = d / "空.xlsx"
    p.write_bytes(b"")
    return one(p, "", "文件是空的", SAVE)


@case("csv-named-xlsx")
def _(d: Path) -> Case:
    p = d / "导出.xlsx"
    p.write_text("项目,行次,决算数\n一般公共预算财政拨款收入,1,1566.22\n", encoding="utf-8")
    return one(p, "", "CSV", SAVE)


@case("gbk-csv-named-xls")
def _(d: Path) -> Case:
    p = d / "导出.xls"
    p.write_bytes("项目\t行次\t决算数\n收入\t1\t1566.22\n".encode("gbk"))
    return one(p, "", "CSV 或制表符分隔的文本", SAVE)


@case("docx-named-xlsx")
def _(d: Path) -> Case:
    from docx import Document

    p = d / "报告.xlsx"
    Document().save(p)
    return one(p, "", "Word 文档 (.docx)", SAVE)


@case("random-bytes")
def _(d: Path) -> Case:
    p = d / "随机.xlsx"
    p.write_bytes(b"\x00\x81" + random.Random(8).randbytes(4096))
    return one(p, "", "无法识别的数据", SAVE)


@case("pdf-named-xlsx")
def _(d: Path) -> Case:
    p = d / "决算.xlsx"
    p.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
    return one(p, "", "PDF 文档", SAVE)


@case("html-table-named-xls")
def _(d: Path) -> Case:
    p = d / "导出.xls"
    p.write_text("<html><body><table><tr><td>公开01表</td></tr></table></body></html>", encoding="utf-8")
    return one(p, "", "网页（HTML", SAVE)


@case("plain-zip")
def _(d: Path) -> Case:
    return one(write_zip(d / "压缩包.xlsx", {"说明.txt": b"hello"}), "", "普通 ZIP 压缩包", SAVE)


@case("odt-named-ods")
def _(d: Path) -> Case:
    p = write_zip(d / "文稿.ods", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    return one(p, "", "ODF 文字文档", SAVE)


@case("xlsx-without-workbook-part")
def _(d: Path) -> Case:
    parts = {k: v for k, v in sample_parts().items() if k != "xl/workbook.xml"}
    return one(write_zip(d / "残缺.xlsx", parts), "", "不完整 Excel 文件", SAVE)


@case("truncated-xlsx")
def _(d: Path) -> Case:
    p = d / "半截.xlsx"
    p.write_bytes(SAMPLE.read_bytes()[:20_000])
    return one(p, "", "ZIP 格式", "已损坏或不完整", SAVE)


@case("password-protected-xlsx")
def _(d: Path) -> Case:
    p = d / "加密.xlsx"
    p.write_bytes(cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\0" * 5000}))
    return one(p, "", "打开密码", "取消密码", SAVE)


@case("password-protected-xls")
def _(d: Path) -> Case:
    p = d / "加密.xls"
    p.write_bytes(cfb({"Workbook": biff(BOF, (0x002F, b"\x01\x00" + b"\0" * 52), (0x000A, b""))}))
    return one(p, "", "打开密码", "取消密码", SAVE)


@case("word97-doc-named-xls")
def _(d: Path) -> Case:
    p = d / "说明.xls"
    p.write_bytes(cfb({"WordDocument": b"\xec\xa5" + b"\0" * 100}))
    return one(p, "", "Word 97-2003 文档", SAVE)


@case("xls-with-garbage-stream")
def _(d: Path) -> Case:
    p = d / "坏.xls"
    p.write_bytes(cfb({"Workbook": random.Random(3).randbytes(6000)}))
    return one(p, "", "工作簿已损坏", SAVE)


@case("damaged-ole2")
def _(d: Path) -> Case:
    p = d / "坏.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(4).randbytes(3000))
    return one(p, "", "旧版 Office 格式（OLE2），但已损坏", SAVE)


@case("xls-eleven-megabytes")
def _(d: Path) -> Case:
    p = d / "大.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(11 * 1024 * 1024))
    return one(p, "", "11.0 MB", ".xls 文件最大 10 MB", SAVE)


@case("shared-string-out-of-range")
def _(d: Path) -> Case:
    p = xlsx(d / "坏.xlsx", {"公开01表": [put("C7", '<c r="C7" t="s"><v>99999</v></c>')]})
    return one(p, "", "工作簿已损坏", SAVE)


# -- size, used range and inflation ------------------------------------------------------------


@case("cell-at-XFD1048576")
def _(d: Path) -> Case:
    p = xlsx(d / "远.xlsx", {"公开01表": [row(1048576, number("XFD1048576", "1"))]})
    return one(p, "公开01表", "1048576 行", "公开01表!XFD1048576", "5000 行", isolate=True)


@case("styled-empty-cell-far-away")
def _(d: Path) -> Case:
    p = xlsx(d / "远.xlsx", {"上年数": [row(900000, '<c r="A900000" s="0"/>')]})
    return one(p, "上年数", "900000 行", "5000 行", isolate=True)


@case("row-6000")
def _(d: Path) -> Case:
    p = xlsx(d / "长.xlsx", {"单位信息": [row(6000, inline("A6000", "备注"))]})
    return one(p, "单位信息", "第 6000 行", "5000 行")


@case("column-300")
def _(d: Path) -> Case:
    p = xlsx(d / "宽.xlsx", {"公开02表": [row(40, number("KN40", "1"))]})
    return one(p, "公开02表", "第 300 列", "200 列")


@case("six-hundred-thousand-cells")
def _(d: Path) -> Case:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, 201)]
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{x}{r}" s="0"/>' for x in letters) + "</row>"
                   for r in range(100, 3100))
    p = xlsx(d / "多.xlsx", {"名词解释": [before("</sheetData>", rows)]})
    return one(p, "名词解释", "单元格数超过限制", "500000 个单元格")


@case("merged-range-whole-sheet")
def _(d: Path) -> Case:
    p = xlsx(d / "合并.xlsx", {"公开01表": [after('<mergeCells count="3">', '<mergeCell ref="A40:XFD1048576"/>')]})
    return one(p, "公开01表", "1048576 行", "5000 行", isolate=True)


@case("many-overlapping-merges")
def _(d: Path) -> Case:
    merges = "".join(f'<mergeCell ref="A{40 + i}:GR4999"/>' for i in range(40))
    p = xlsx(d / "合并.xlsx", {"公开01表": [after('<mergeCells count="3">', merges)]})
    return one(p, "公开01表", "合并区域", "500000")


@case("hyperlink-over-whole-sheet")
def _(d: Path) -> Case:
    link = '<hyperlinks><hyperlink ref="A1:XFD1048576" display="x"/></hyperlinks>'
    p = xlsx(d / "链接.xlsx", {"公开03表": [before("<pageMargins", link)]})
    return one(p, "公开03表", "1048576 行", "5000 行", isolate=True)


@case("zip-bomb-declared")
def _(d: Path) -> Case:
    p = d / "炸弹.xlsx"
    xlsx(p)
    with zipfile.ZipFile(p, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, zf.open("xl/media/pad.bin", "w") as fh:
        block = b"\0" * (1 << 20)
        for _ in range(300):
            fh.write(block)
    return one(p, "", "解压后有 300 MB", "200 MB", isolate=True)


@case("zip-bomb-lying-about-size")
def _(d: Path) -> Case:
    """A sheet that inflates to 300 MB while the zip declares its real XML size only."""
    part = sheet_parts()["公开01表"]
    real = sample_parts()[part]
    p = d / "炸弹.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in sample_parts().items():
            if name != part:
                zf.writestr(name, data)
        with zf.open(part, "w") as fh:
            fh.write(real)
            for _ in range(300):
                fh.write(b" " * (1 << 20))
    data = bytearray(buf.getvalue())
    name = part.encode()
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_len = struct.unpack_from("<H", data, pos + size_at + 4 if sig == b"PK\x03\x04" else pos + 28)[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[start:start + name_len]) == name:
                struct.pack_into("<I", data, pos + size_at, len(real))
            pos += 4
    p.write_bytes(bytes(data))
    return one(p, "", "工作簿已损坏", SAVE, isolate=True)


@case("ten-thousand-and-one-parts")
def _(d: Path) -> Case:
    p = xlsx(d / "碎.xlsx", extra={f"xl/media/p{i}.bin": b"" for i in range(10_001)})
    return one(p, "", f"{len(sample_parts()) + 10_001} 个部件", "10000 个部件")


@case("sheet-part-reached-through-dot-dot")
def _(d: Path) -> Case:
    """The guard must check the very part openpyxl loads, however its path is spelled."""
    rels = sample_parts()["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace('Target="/xl/worksheets/sheet8.xml"', 'Target="worksheets/../worksheets/./sheet8.xml"')
    p = xlsx(d / "路径.xlsx", {"公开01表": [row(1048576, number("XFD1048576", "1"))]},
             extra={"xl/_rels/workbook.xml.rels": rels.encode()})
    return one(p, "公开01表", "1048576 行", "5000 行", isolate=True)


@case("six-hundred-thousand-shared-strings")
def _(d: Path) -> Case:
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "<si><t>x</t></si>" * 600_000 + "</sst>")
    p = xlsx(d / "字符串.xlsx", extra={"xl/sharedStrings.xml": sst.encode()})
    return one(p, "", "xl/sharedStrings.xml", "500000 个单元格")


@case("pivot-cache-of-22-MB")
def _(d: Path) -> Case:
    body = "<r><n v=\"1\"/></r>" * 1_400_000
    part = f'<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</pivotCacheRecords>'
    p = xlsx(d / "透视.xlsx", extra={"xl/pivotCache/pivotCacheRecords1.xml": part.encode()})
    return one(p, "", "pivotCacheRecords1.xml", "解压后有 22 MB", "20 MB")


@case("two-hundred-and-one-sheets")
def _(d: Path) -> Case:
    book = sample_parts()["xl/workbook.xml"].decode()
    rels = sample_parts()["xl/_rels/workbook.xml.rels"].decode()
    extra, sheets, links = {}, "", ""
    for i in range(201 - book.count("<sheet ")):  # the sample's own sheets + these = 201
        extra[f"xl/worksheets/extra{i}.xml"] = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
        sheets += (f'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                   f'name="X{i}" sheetId="{100 + i}" r:id="rX{i}"/>')
        links += (f'<Relationship Id="rX{i}" Target="/xl/worksheets/extra{i}.xml" Type="http://schemas.openxmlformats'
                  '.org/officeDocument/2006/relationships/worksheet"/>')
    extra["xl/workbook.xml"] = book.replace("</sheets>", sheets + "</sheets>").encode()
    extra["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", links + "</Relationships>").encode()
    return one(xlsx(d / "多表.xlsx", extra=extra), "", "201 张工作表", "200 张")


@case("million-character-cell")
def _(d: Path) -> Case:
    p = xlsx(d / "长文.xlsx", {"文字": [put("B3", inline("B3", "很长的文字" * 200_000))]})
    return one(p, "文字!B3", "1000000 个字符", "20000 个字符")


@case("ods-row-repeated-a-million-times")
def _(d: Path) -> Case:
    p = ods(d / "重复.ods", '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            'office:value-type="float" office:value="1"/></table:table-row>')
    return one(p, "Sheet1", "第 5001 行", "5000 行", isolate=True)


@case("ods-cell-repeated-across-16384-columns")
def _(d: Path) -> Case:
    p = ods(d / "重复.ods", '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
            'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>')
    return one(p, "Sheet1", "第 201 列", "200 列")


@case("ods-span-over-a-million-rows")
def _(d: Path) -> Case:
    p = ods(d / "合并.ods", '<table:table-row><table:table-cell table:number-rows-spanned="1000000" '
            'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>')
    return one(p, "Sheet1", "第 1000000 行", "5000 行", isolate=True)


# -- cells that must not be trusted ------------------------------------------------------------


@case("formula-without-cached-value")
def _(d: Path) -> Case:
    p = xlsx(d / "公式.xlsx", {"公开01表": [put("C7", '<c r="C7"><f>SUM(C8:C9)</f><v></v></c>')]})
    return one(p, "公开01表!C7", "公式", "SUM(C8:C9)", "计算结果")


@case("formula-without-value-element")
def _(d: Path) -> Case:
    p = xlsx(d / "公式.xlsx", {"上年数": [put("B2", '<c r="B2"><f>1+1</f></c>')]})
    return one(p, "上年数!B2", "公式", "计算结果")


@case("v-NaN")
def _(d: Path) -> Case:
    p = xlsx(d / "nan.xlsx", {"公开01表": [put("C7", number("C7", "NaN"))]})
    return one(p, "公开01表!C7", "NaN", "有限")


@case("v-1E999")
def _(d: Path) -> Case:
    p = xlsx(d / "inf.xlsx", {"公开02表": [put("C7", number("C7", "1E999"))]})
    return one(p, "公开02表!C7", "1E999", "有限")


@case("v-infinite-in-prior-sheet")
def _(d: Path) -> Case:
    p = xlsx(d / "inf.xlsx", {"上年数": [put("B2", number("B2", "-1E400"))]})
    return one(p, "上年数!B2", "-1E400", "有限")


@case("v-not-a-number")
def _(d: Path) -> Case:
    p = xlsx(d / "abc.xlsx", {"公开01表": [put("C7", number("C7", "abc"))]})
    return one(p, "公开01表!C7", "abc", "有限")


@case("date-cell-impossible-iso")
def _(d: Path) -> Case:
    p = xlsx(d / "日期.xlsx", published('<c r="B30" t="d"><v>2021-02-30</v></c>'))
    return one(p, "单位信息!B30", "2021-02-30", "有效日期")


@case("cell-reference-garbage")
def _(d: Path) -> Case:
    p = xlsx(d / "坐标.xlsx", {"公开01表": [put("C7", '<c r="7C" t="n"><v>1</v></c>')]})
    return one(p, "公开01表", "坐标「7C」")


@case("c1-control-character-in-cell")
def _(d: Path) -> Case:
    p = xlsx(d / "控制.xlsx", {"单位信息": [put("B2", inline("B2", "某局\x9b2J（本级）"))]})
    return one(p, "单位信息!B2", "控制字符 U+009B")


@case("control-character-in-sheet-name")
def _(d: Path) -> Case:
    book = sample_parts()["xl/workbook.xml"].decode().replace('name="名词解释"', 'name="名词\x85解释"')
    p = xlsx(d / "控制.xlsx", extra={"xl/workbook.xml": book.encode()})
    return one(p, "", "工作表的名称含控制字符 U+0085")


@case("terminal-escape-in-name-of-oversized-sheet")
def _(d: Path) -> Case:
    """The row limit is checked before the names are: the name printed must still be defused."""
    book = sample_parts()["xl/workbook.xml"].decode().replace('name="上年数"', 'name="上年\x9b2J数"')
    p = xlsx(d / "控制.xlsx", {"上年数": [row(6000, inline("A6000", "x"))]}, extra={"xl/workbook.xml": book.encode()})
    return one(p, "上年\ufffd2J数", "第 6000 行", "上年\ufffd2J数!A6000")


@case("ods-NaN-value")
def _(d: Path) -> Case:
    p = ods(d / "nan.ods", '<table:table-row><table:table-cell office:value-type="float" office:value="NaN"/>'
            '</table:table-row>')
    return one(p, "Sheet1!A1", "nan", "有限")


# -- amounts, column numbers, year, date --------------------------------------------------------

AMOUNT = ("金额无法识别", "绝对值小于 10 万亿")


@case("amount-1e308")
def _(d: Path) -> Case:
    return one(xlsx(d / "大.xlsx", {"公开01表": [put("C7", number("C7", "1e308"))]}), "公开01表!C7", *AMOUNT)


@case("amount-exactly-1e13")
def _(d: Path) -> Case:
    p = xlsx(d / "大.xlsx", {"公开01表": [put("C7", number("C7", "10000000000000"))]})
    return one(p, "公开01表!C7", *AMOUNT)


@case("amount-text-1E999")
def _(d: Path) -> Case:
    p = xlsx(d / "大.xlsx", {"公开01表": [put("C7", inline("C7", "1E999"))]})
    return one(p, "公开01表!C7", "1E999", *AMOUNT)


@case("amount-text-30-digits")
def _(d: Path) -> Case:
    p = xlsx(d / "大.xlsx", {"公开02表": [put("C7", inline("C7", "9" * 30))]})
    return one(p, "公开02表!C7", "9" * 30, *AMOUNT)


@case("amount-text-NaN")
def _(d: Path) -> Case:
    return one(xlsx(d / "nan.xlsx", {"公开01表": [put("C7", inline("C7", "NaN"))]}), "公开01表!C7", "NaN", *AMOUNT)


@case("amount-text-Infinity")
def _(d: Path) -> Case:
    p = xlsx(d / "inf.xlsx", {"公开01表": [put("C7", inline("C7", "-Infinity"))]})
    return one(p, "公开01表!C7", "-Infinity", *AMOUNT)


@case("amount-arabic-indic-digits")
def _(d: Path) -> Case:
    p = xlsx(d / "数字.xlsx", {"公开01表": [put("C7", inline("C7", "١٥٦٦"))]})
    return one(p, "公开01表!C7", "١٥٦٦", *AMOUNT)


@case("prior-amount-text-inf")
def _(d: Path) -> Case:
    p = xlsx(d / "inf.xlsx", {"上年数": [put("B2", inline("B2", "inf"))]})
    return one(p, "上年数!B2", "数值无法识别", "inf", "绝对值小于 10 万亿")


@case("prior-amount-1e300")
def _(d: Path) -> Case:
    p = xlsx(d / "大.xlsx", {"上年数": [put("B2", number("B2", "1e300"))]})
    return one(p, "上年数!B2", "数值无法识别", "绝对值小于 10 万亿")


@case("column-number-circled-one")
def _(d: Path) -> Case:
    p = xlsx(d / "栏次.xlsx", {"公开02表": [put("C6", inline("C6", "①"))]})
    return one(p, "公开02表!A6", "栏次为 2、3、4、5、6、7", "应为 1–7")


@case("column-number-superscript-two")
def _(d: Path) -> Case:
    p = xlsx(d / "栏次.xlsx", {"公开02表": [put("D6", inline("D6", "²"))]})
    return one(p, "公开02表!A6", "栏次为 1、3、4、5、6、7", "应为 1–7")


@case("budget-code-circled-digits")
def _(d: Path) -> Case:
    p = xlsx(d / "编码.xlsx", {"预算数": [row(60, inline("A60", "②⓪⑧"), inline("B60", "社会保障和就业支出"))]})
    return one(p, "预算数!A60", "3/5/7位数字", "②⓪⑧")


def _year_case(d: Path, cell: str, shown: str) -> Case:
    p = xlsx(d / "年度.xlsx", {"单位信息": [put("B3", cell)]})
    return one(p, "单位信息!B3", "年度应为四位年份", f"「{shown}」")


@case("year-superscript-digits")
def _(d: Path) -> Case:
    return _year_case(d, inline("B3", "²⁰²⁰"), "²⁰²⁰")


@case("year-2020.7-number")
def _(d: Path) -> Case:
    return _year_case(d, number("B3", "2020.7"), "2020.7")


@case("year-2020.7-text")
def _(d: Path) -> Case:
    return _year_case(d, inline("B3", "2020.7年"), "2020.7年")


@case("published-impossible-date")
def _(d: Path) -> Case:
    p = xlsx(d / "日期.xlsx", published("2021年2月30日"))
    return one(p, "单位信息!B30", "公开时间读到「2021年2月30日」", "这一天不存在")


@case("published-not-a-date")
def _(d: Path) -> Case:
    p = xlsx(d / "日期.xlsx", published("明年八月"))
    return one(p, "单位信息!B30", "公开时间读到「明年八月」", "应为日期")


# -- the other inputs: texts, prior, catalog; and files that are not files ---------------------


def fifo(d: Path, name: str) -> Path:
    p = d / name
    os.mkfifo(p)
    return p


@case("workbook-is-a-fifo")
def _(d: Path) -> Case:
    p = fifo(d, "管道.xlsx")
    return one(p, "", "命名管道", isolate=True)


@case("texts-is-a-fifo")
def _(d: Path) -> Case:
    p = fifo(d, "文字.md")
    return one(p, "", "命名管道", isolate=True, args=[str(SAMPLE), "--texts", str(p)])


@case("prior-is-a-fifo")
def _(d: Path) -> Case:
    p = fifo(d, "上年.xlsx")
    return one(p, "", "命名管道", isolate=True, args=[str(SAMPLE), "--prior", str(p)])


@case("catalog-is-a-fifo")
def _(d: Path) -> Case:
    p = fifo(d, "科目.csv")
    return one(p, "", "命名管道", isolate=True, args=[str(SAMPLE), "--catalog", str(p)])


@case("workbook-is-a-directory")
def _(d: Path) -> Case:
    p = d / "目录.xlsx"
    p.mkdir()
    return one(p, "", "是一个目录")


@case("workbook-is-a-device")
def _(d: Path) -> Case:
    return one(Path("/dev/zero"), "", "设备文件", isolate=True)


@case("catalog-is-a-directory")
def _(d: Path) -> Case:
    return one(d, "", "是一个目录", args=[str(SAMPLE), "--catalog", str(d)])


@case("prior-is-a-csv")
def _(d: Path) -> Case:
    p = d / "上年.xlsx"
    p.write_text("项目,上年决算数\n收支总计,1\n", encoding="utf-8")
    return one(p, "", "CSV", SAVE, args=[str(SAMPLE), "--prior", str(p)])


@case("texts-not-utf8")
def _(d: Path) -> Case:
    p = d / "文字.md"
    p.write_bytes("## 职责\n本单位负责……\n".encode("gbk"))
    return one(p, "第1行", "不是 UTF-8 编码", args=[str(SAMPLE), "--texts", str(p)])


@case("texts-control-character")
def _(d: Path) -> Case:
    p = d / "文字.md"
    p.write_text("## 职责\n本单位\x1b[2J负责……\n", encoding="utf-8")
    return one(p, "第2行", "控制字符 U+001B", args=[str(SAMPLE), "--texts", str(p)])


@case("texts-six-megabytes")
def _(d: Path) -> Case:
    p = d / "文字.md"
    p.write_text("## 职责\n" + "字" * 2_100_000, encoding="utf-8")
    return one(p, "", "6.0 MB", "5 MB", args=[str(SAMPLE), "--texts", str(p)])


@case("catalog-latin1")
def _(d: Path) -> Case:
    p = d / "科目.csv"
    p.write_bytes("code,name,note\n2080101,Café crème,\n".encode("latin-1"))
    return one(p, "", "不是 UTF-8 或 GB18030", "CSV UTF-8", args=[str(SAMPLE), "--catalog", str(p)])


@case("catalog-circled-code")
def _(d: Path) -> Case:
    p = d / "科目.csv"
    p.write_text("code,name,note\n②⓪⑧,社会保障和就业支出,\n", encoding="utf-8")
    return one(p, "第2行", "3/5/7位数字", "②⓪⑧", args=[str(SAMPLE), "--catalog", str(p)])


@case("catalog-control-character")
def _(d: Path) -> Case:
    p = d / "科目.csv"
    p.write_text("code,name,note\n2080101,行政运行\x07,\n", encoding="utf-8")
    return one(p, "第2行", "控制字符 U+0007", args=[str(SAMPLE), "--catalog", str(p)])


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "hostile-corpus")
    for name, make in CASES.items():
        d = out / name
        d.mkdir(parents=True, exist_ok=True)
        c = make(d)
        print(f"{name}: reportgen build {' '.join(c.args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

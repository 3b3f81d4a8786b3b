#!/usr/bin/env bash
# Install the Debian packages reportgen needs, when they are missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

packages=(
  fonts-noto-cjk          # 宋体/黑体-like CJK fonts embedded in the PDF
  fonts-arphic-ukai       # a 楷体 for second-level headings
  libharfbuzz-subset0     # fast font subsetting in WeasyPrint
  libpango-1.0-0 libpangoft2-1.0-0   # WeasyPrint's text layout
  poppler-utils           # pdftoppm/pdftotext, for looking at pages
  libreoffice-writer-nogui  # soffice: converts the DOCX as an independent check
  libreoffice-calc-nogui    # soffice: saves the samples as .xls/.ods for the reader's tests
  chromium chromium-driver  # headless browser for the web page's end-to-end tests and screenshots
)
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "reportgen needs these Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
sh -c "$cmd" >/dev/null

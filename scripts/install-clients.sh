#!/usr/bin/env bash
# Install the real clients the tests open our files with: LibreOffice (deck -> PDF),
# poppler-utils (pdftoppm, pdffonts), qpdf, and Carlito (Calibri metrics in LibreOffice).
# Debian/Ubuntu only; does nothing when they are all present.
set -euo pipefail
need=()
command -v soffice >/dev/null || need+=(libreoffice-impress)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
[ -d /usr/share/fonts/truetype/crosextra ] || need+=(fonts-crosextra-carlito)
# Arial metrics, as PowerPoint users have Arial: without it LibreOffice draws Arial wider
fc-list 2>/dev/null | grep -q "Liberation Sans" || need+=(fonts-liberation2)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${need[@]}"

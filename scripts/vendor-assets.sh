#!/usr/bin/env bash
# Vendor the built front-end assets of Bootstrap Italia into static/vendor/.
#
# Installs a pinned bootstrap-italia (and PurgeCSS) with npm into a temporary
# folder and copies only what a page needs:
#   css/bootstrap-italia.min.css        (purged: only the rules our pages use, see below)
#   svg/sprites.svg                     (only the icons we use: <use href=".../sprites.svg#it-...">)
#   fonts/<Family>/*.{latin,latin-ext}.woff2 + licences   (Titillium Web, Lora, Roboto Mono)
#   LICENSE                             (BSD-3-Clause, Bootstrap Italia)
#   THIRD-PARTY-LICENSES.txt            (licences of the libraries in the bundle)
#
# Why @font-face rules of our own: Bootstrap Italia 2.x does not declare its
# web fonts in the CSS; its JS helper `bootstrap.loadFonts(path)` injects a
# <style> element at run time, which our Content-Security-Policy (style-src
# 'self') blocks. So we generate equivalent rules (woff2 only: every browser we
# support reads it) at the end of the stylesheet. URLs in them are relative,
# so they work under any URL prefix (the server rewrites them to hashed URLs).
#
# Why each face is split in two: a page in Italian or English needs only the
# Latin glyphs, and on a slow phone every preloaded kilobyte delays the first
# paint. Each face becomes a `latin` file and a `latin-ext` file with the
# unicode-range of Google Fonts' subsets; the browser fetches the second only
# when a page shows such a character (a name like "Łukasz" or "Nguyễn").
#
# Usage: scripts/vendor-assets.sh        (from anywhere; needs node + npm, python3)
set -euo pipefail
export LC_ALL=C   # stable glob order, so the output is byte-for-byte reproducible

VERSION="2.18.3"
PURGECSS_VERSION="8.0.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor/bootstrap-italia"

command -v npm >/dev/null 2>&1 || { echo "vendor-assets: npm is required" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "vendor-assets: installing bootstrap-italia@$VERSION"
printf '{"name":"vendor-tmp","version":"0.0.0","private":true}\n' >"$TMP/package.json"
npm install --prefix "$TMP" --no-audit --no-fund --ignore-scripts --no-package-lock \
  --save-exact "bootstrap-italia@$VERSION" >/dev/null
# PurgeCSS in its own folder, so the licence list below names only what ships.
mkdir -p "$TMP/purge"
printf '{"name":"vendor-purge","version":"0.0.0","private":true}\n' >"$TMP/purge/package.json"
npm install --prefix "$TMP/purge" --no-audit --no-fund --ignore-scripts --no-package-lock \
  --save-exact "purgecss@$PURGECSS_VERSION" >/dev/null

# fontTools splits the fonts (pinned, in a virtual environment of its own).
python3 -m venv "$TMP/py"
"$TMP/py/bin/pip" install --quiet --disable-pip-version-check fonttools==4.60.1 brotli==1.2.1

PKG="$TMP/node_modules/bootstrap-italia"
DIST="$PKG/dist"
got="$(node -p "require('$PKG/package.json').version")"
[ "$got" = "$VERSION" ] || { echo "vendor-assets: expected $VERSION, got $got" >&2; exit 1; }

rm -rf "$DEST"
mkdir -p "$DEST/css" "$DEST/svg" "$DEST/fonts"

# CSS without the trailing source-map comment (we do not ship maps) and without
# the Video.js icon font, which is embedded as a data: URI: Chromium fetches it
# on every page and our CSP (font-src 'self') refuses it. We use no video
# player; if we ever do, serve that font as a file instead.
sed -e 's|/\*# sourceMappingURL=[^*]*\*/||' \
    -e 's|@font-face{font-family:VideoJS;[^}]*}||' \
  "$DIST/css/bootstrap-italia.min.css" >"$TMP/full.css"
if grep -q 'url(data:application/font' "$TMP/full.css"; then
  echo "vendor-assets: the CSS still embeds a data: font; update the filter above" >&2
  exit 1
fi

# Purge: keep only the rules whose classes, ids and elements appear in our
# templates, our JS and the Rust sources of the web crate (the full file is
# 605 KB, of which a page used about 30 KB). The safelist names the classes our
# own static/app.js adds at run time. Run this script again whenever a template
# starts using a Bootstrap Italia class it did not use before.
node - "$TMP" "$ROOT" "$DEST/css/bootstrap-italia.min.css" <<'NODE'
const path = require('path');
const fs = require('fs');
const [tmp, root, out] = process.argv.slice(2);
const { PurgeCSS } = require(path.join(tmp, 'purge/node_modules/purgecss'));
new PurgeCSS()
  .purge({
    css: [path.join(tmp, 'full.css')],
    content: [
      path.join(root, 'crates/web/templates/**/*.html'),
      path.join(root, 'crates/web/src/**/*.rs'),
      path.join(root, 'static/*.js'),
    ],
    safelist: { standard: ['expanded', 'reti-menu-open'] },
    // The licence comment of Bootstrap (MIT) stays at the top.
    rejected: false,
  })
  .then(([result]) => fs.writeFileSync(out, result.css.replace(/\n+/g, '\n').trim() + '\n'));
NODE

# The icon sprite, with only the icons our templates and sources name (`#it-…`):
# 96 KB → a few KB, and every page fetches it. A test checks that every icon a
# template names is in it; run this script again when one is missing.
node - "$DIST/svg/sprites.svg" "$ROOT" "$DEST/svg/sprites.svg" <<'NODE'
const fs = require('fs');
const path = require('path');
const [src, root, out] = process.argv.slice(2);
const used = new Set();
const walk = (dir, ext) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, ext);
    else if (ext.some((x) => e.name.endsWith(x))) for (const m of fs.readFileSync(p, 'utf8').matchAll(/#(it-[a-z0-9-]+)/g)) used.add(m[1]);
  }
};
walk(path.join(root, 'crates/web/templates'), ['.html']);
walk(path.join(root, 'crates/web/src'), ['.rs']);
walk(path.join(root, 'static'), ['.js']);
const svg = fs.readFileSync(src, 'utf8');
const symbols = [...svg.matchAll(/<symbol id="([^"]+)"[\s\S]*?<\/symbol>/g)].filter((m) => used.has(m[1]));
const missing = [...used].filter((id) => !symbols.some((m) => m[1] === id));
if (missing.length) { console.error(`vendor-assets: no such icon: ${missing.join(', ')}`); process.exit(1); }
fs.writeFileSync(out, '<svg xmlns="http://www.w3.org/2000/svg">' + symbols.map((m) => m[0]).join('') + '</svg>\n');
NODE
cp "$PKG/LICENSE" "$DEST/LICENSE"

# Licences of the packages bundled into Bootstrap Italia's built files (Popper,
# Splide, Video.js, ...; their styles are in the full CSS):
# every package npm installed with bootstrap-italia, except type declarations.
node - "$TMP/node_modules" "$VERSION" >"$DEST/THIRD-PARTY-LICENSES.txt" <<'NODE'
const fs = require('fs');
const path = require('path');
const [root, version] = process.argv.slice(2);
const dirs = [];
for (const name of fs.readdirSync(root).sort()) {
  if (name.startsWith('.')) continue;
  if (name.startsWith('@')) {
    for (const sub of fs.readdirSync(path.join(root, name)).sort()) dirs.push(path.join(name, sub));
  } else dirs.push(name);
}
const out = [
  `Third-party software bundled in bootstrap-italia@${version}'s built files`,
  '(css/bootstrap-italia.min.css; the JS bundle is not shipped, see README.md).',
  'Bootstrap Italia itself: see LICENSE. Generated by scripts/vendor-assets.sh.',
  'Versions are those npm installed next to bootstrap-italia when this file was',
  'generated; upstream built the bundle from its own lockfile, so a few may differ.',
  '',
];
const seen = new Map();
for (const dir of dirs) {
  if (dir === 'bootstrap-italia' || dir.startsWith('@types/')) continue;
  const pj = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  const file = fs.readdirSync(path.join(root, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? fs.readFileSync(path.join(root, dir, file), 'utf8').trim() : '';
  out.push('='.repeat(78), `${pj.name} ${pj.version} — ${pj.license || 'see text'}`, '='.repeat(78));
  if (!text) out.push('(no licence file in the package; licence as declared above)');
  else if (seen.has(text)) out.push(`(same licence text as ${seen.get(text)})`);
  else { seen.set(text, pj.name); out.push(text); }
  out.push('');
}
process.stdout.write(out.join('\n'));
NODE
printf '%s\n' "$VERSION" >"$DEST/VERSION"

# Fonts: woff2 files plus each family's licence; their @font-face rules are
# appended to the stylesheet (one render-blocking request fewer than a separate
# fonts.css), with URLs relative to css/.
FONTS_CSS="$TMP/fonts.css"
# The unicode ranges of Google Fonts' `latin` and `latin-ext` subsets.
LATIN_RANGE="U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
LATIN_EXT_RANGE="U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF"
{
  echo "/* @font-face rules generated by scripts/vendor-assets.sh from bootstrap-italia@$VERSION:"
  echo "   the faces of bootstrap.loadFonts(), as static CSS (CSP-friendly). */"
} >"$FONTS_CSS"

for dir in "$DIST"/fonts/*/; do
  family_dir="$(basename "$dir")"            # e.g. Titillium_Web
  family="${family_dir//_/ }"                # e.g. Titillium Web
  mkdir -p "$DEST/fonts/$family_dir"
  for lic in "$dir"*.txt; do
    [ -e "$lic" ] && cp "$lic" "$DEST/fonts/$family_dir/"
  done
  for f in "$dir"*.woff2; do
    name="$(basename "$f")"
    stem="${name%.woff2}"
    variant="${name##*latin-ext_latin-}"      # regular | italic | 300 | 300italic | 700 ...
    variant="${variant%.woff2}"
    style="normal"
    case "$variant" in *italic) style="italic"; variant="${variant%italic}" ;; esac
    case "$variant" in ""|regular) weight=400 ;; *) weight="$variant" ;; esac
    for subset in latin latin-ext; do
      if [ "$subset" = latin ]; then range="$LATIN_RANGE"; else range="$LATIN_EXT_RANGE"; fi
      "$TMP/py/bin/pyftsubset" "$f" --unicodes="$range" --layout-features='*' --flavor=woff2 \
        --output-file="$DEST/fonts/$family_dir/$stem.$subset.woff2"
      cat >>"$FONTS_CSS" <<EOF
@font-face{font-family:'$family';font-style:$style;font-weight:$weight;font-display:swap;src:url('../fonts/$family_dir/$stem.$subset.woff2') format('woff2');unicode-range:$range}
EOF
    done
  done
done

count="$(grep -c '@font-face' "$FONTS_CSS")"
[ "$count" -ge 20 ] || { echo "vendor-assets: only $count font faces found" >&2; exit 1; }
cat "$FONTS_CSS" >>"$DEST/css/bootstrap-italia.min.css"

echo "vendor-assets: wrote $DEST ($count font faces, $(du -sh "$DEST" | cut -f1))"

#!/usr/bin/env bash
# Validates every HTML page of one or more built sites with the Nu Html Checker (vnu.jar from the
# npm package `vnu-jar`; needs Java). Prints, per folder, how many pages were checked and how many
# errors were found, then every error; exits 1 on any error.
#
#   scripts/validate-html.sh OUTDIR...
#
# VNU_JAR overrides the location of vnu.jar (default: node_modules/vnu-jar/build/dist/vnu.jar of
# this repository; run `npm ci --ignore-scripts` first).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
jar="${VNU_JAR:-$repo/node_modules/vnu-jar/build/dist/vnu.jar}"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 OUTDIR..." >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  echo "error: $jar not found; run \`npm ci --ignore-scripts\` in $repo" >&2
  exit 2
fi
command -v java >/dev/null || { echo "error: java is not installed" >&2; exit 2; }

dirs=()
for dir in "$@"; do
  if [ ! -d "$dir" ]; then
    echo "error: $dir is not a folder" >&2
    exit 2
  fi
  dirs+=("$(cd "$dir" && pwd)")
done

report="$(mktemp)"
trap 'rm -f "$report"' EXIT

# One JVM for every folder. vnu writes its JSON report to stderr and exits 1 when it found
# errors; the report decides, so its exit status is not used.
set +e
java -Xss4m -jar "$jar" --errors-only --skip-non-html --format json "${dirs[@]}" 2>"$report" >/dev/null
vnu_status=$?
set -e

node - "$report" "$vnu_status" "${dirs[@]}" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const [reportFile, vnuStatus, ...dirs] = process.argv.slice(2);

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(p));
    else if (/\.html?$/.test(entry.name) && !/\/editions\/[^/]+\/email\.html$/.test(p)) out.push(p);
  }
  return out;
}

const raw = fs.readFileSync(reportFile, 'utf8');
let messages;
try {
  messages = JSON.parse(raw).messages;
} catch (e) {
  console.error(`error: could not read the checker's report (exit status ${vnuStatus}):\n${raw}`);
  process.exit(2);
}
// Everything vnu reports with --errors-only is a failure: `error`, and `non-document-error`
// (a file it could not read or parse).
// An edition's email.html is a message for mail clients, not a page of the site: it carries
// their conventions (Outlook's `mso-hide`, head order css-inline writes), which a web validator
// flags; tests/email.rs checks it instead.
const isEmail = (m) => /\/editions\/[^/]+\/email\.html$/.test(m.url || '');
const errors = messages.filter((m) => m.type !== 'info' && !isEmail(m));

let totalPages = 0;
const lines = [];
for (const dir of dirs) {
  const pages = htmlFiles(dir).length;
  totalPages += pages;
  const prefix = 'file:' + dir + path.sep;
  const mine = errors.filter((m) => (m.url || '').startsWith(prefix));
  const failing = new Set(mine.map((m) => m.url));
  lines.push(`${dir}: ${pages} pages checked, ${mine.length} errors` +
    (mine.length ? ` on ${failing.size} pages` : ''));
}
for (const line of lines) console.log(line);
console.log(`total: ${totalPages} pages checked, ${errors.length} errors`);

if (errors.length) {
  const byMessage = new Map();
  for (const m of errors) byMessage.set(m.message, (byMessage.get(m.message) || 0) + 1);
  console.log('\nerrors by message:');
  for (const [message, n] of [...byMessage].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(n).padStart(5)}  ${message}`);
  }
  console.log('\nerrors:');
  for (const m of errors) {
    const file = (m.url || '').replace(/^file:/, '');
    const where = m.lastLine ? `:${m.firstLine || m.lastLine}.${m.firstColumn || m.lastColumn}` : '';
    console.log(`${file}${where}: ${m.type}: ${m.message}`);
    if (m.extract) console.log(`    ${m.extract.replace(/\s+/g, ' ').trim()}`);
  }
  process.exit(1);
}
if (totalPages === 0) {
  console.error('error: no HTML pages found');
  process.exit(1);
}
EOF

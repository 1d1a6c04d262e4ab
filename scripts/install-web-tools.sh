#!/usr/bin/env bash
# Installs what the web checks (scripts/ci-web.sh) need, each only when it is missing:
#   - Debian's chromium (/usr/bin/chromium), the browser of scripts/browser-check.mjs;
#   - a Java runtime (default-jre-headless) for the Nu Html Checker;
#   - node and npm (Debian's nodejs and npm);
#   - the npm packages pinned in package-lock.json (vnu-jar, playwright-core, axe-core), with
#     `npm ci --ignore-scripts` when node_modules does not hold exactly those versions
#     (--ignore-scripts: vnu-jar's postinstall would download a JDK; the system Java is used);
#   - a Chinese font (fonts-wqy-microhei, 1.6 MB), so the example's Chinese names show in the
#     screenshots rather than boxes; screenshots only, so a failure is a warning.
# apt-get runs as root, or through sudo. Both forms end by printing the versions in use.
#
#   scripts/install-web-tools.sh           install what is missing
#   scripts/install-web-tools.sh --check   install nothing: when something is missing, name it
#                                          on one line and exit 1 (the font is optional)
set -euo pipefail
cd "$(dirname "$0")/.."

check_only=0
case "${1:-}" in
  --check) check_only=1 ;;
  "") ;;
  *) echo "usage: scripts/install-web-tools.sh [--check]" >&2; exit 2 ;;
esac

have_chromium() { [ -x /usr/bin/chromium ]; }
have_java() { command -v java >/dev/null; }
have_node() { command -v node >/dev/null && command -v npm >/dev/null; }

# Whether node_modules holds exactly the versions of package-lock.json.
npm_packages_match() {
  command -v node >/dev/null && node -e '
    const lock = require("./package-lock.json");
    const wanted = Object.keys(require("./package.json").devDependencies || {});
    for (const name of wanted) {
      const want = lock.packages["node_modules/" + name].version;
      let have = null;
      try { have = require("./node_modules/" + name + "/package.json").version; } catch {}
      if (have !== want) process.exit(1);
    }'
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

if [ "$check_only" -eq 1 ]; then
  missing=()
  have_chromium || missing+=("chromium (/usr/bin/chromium)")
  have_java || missing+=("a Java runtime")
  have_node || missing+=("node and npm")
  npm_packages_match || missing+=("the npm packages of package-lock.json in node_modules")
  if [ ${#missing[@]} -gt 0 ]; then
    list=$(printf '%s, ' "${missing[@]}")
    echo "missing for the web checks: ${list%, }; run scripts/install-web-tools.sh" >&2
    exit 1
  fi
else
  have_chromium || apt_install chromium
  have_java || apt_install default-jre-headless
  have_node || apt_install nodejs npm
  if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh family)" ]; then
    apt_install fonts-wqy-microhei || echo "warning: no CJK font; Chinese text shows as boxes in screenshots"
  fi
  npm_packages_match || npm ci --ignore-scripts --no-audit --no-fund
fi

echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo '?')"
echo "java: $(java -version 2>&1 | head -n 1)"
node -e 'for (const p of ["vnu-jar", "playwright-core", "axe-core"]) console.log(`${p}: ${require(`./node_modules/${p}/package.json`).version}`)'

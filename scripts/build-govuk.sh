#!/usr/bin/env bash
# Rebuild src/stratlens/web/static/govuk/govuk-frontend.min.css from the govuk-frontend npm
# package. Needed only to upgrade GOV.UK Frontend: the compiled CSS is committed, so running the
# app never needs npm. Uses Arial instead of GDS Transport (restricted to GOV.UK).
set -euo pipefail
VERSION="${GOVUK_FRONTEND_VERSION:-6.3.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "govuk-frontend@$VERSION" --silent >/dev/null
tar xzf "govuk-frontend-$VERSION.tgz"
npm install --silent --no-save sass@1 >/dev/null
cat > build.scss <<'SCSS'
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/govuk/assets/";
@import "package/dist/govuk/index";
SCSS
npx sass --no-source-map --style=compressed --load-path=. --quiet-deps --silence-deprecation=import \
  build.scss "$root/src/stratlens/web/static/govuk/govuk-frontend.min.css"
echo "built govuk-frontend $VERSION"

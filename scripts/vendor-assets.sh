#!/usr/bin/env bash
# Copy the few built front-end files from node_modules into the git-ignored static folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=zhixing/web/static/vendor
mkdir -p "$dest"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"

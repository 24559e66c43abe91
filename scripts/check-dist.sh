#!/usr/bin/env bash
# Fails when the committed dist/ is not what a fresh build of src/ produces: the action runs dist/,
# so a source change without its rebuild would ship something other than what was reviewed.
# Used by CI (.ci/run) and by the release workflow before a version tag is published.
set -euo pipefail
cd "$(dirname "$0")/.."

committed="$(mktemp -d)"
trap 'rm -rf "$committed"' EXIT
cp -r dist/. "$committed/"
npm run build >/dev/null
if ! diff -r "$committed" dist >/dev/null; then
  echo "dist/ differs from a fresh build of src/: run 'npm run build' and commit dist/." >&2
  diff -r "$committed" dist | head -20 >&2 || true
  exit 1
fi
echo "dist/ matches a fresh build of src/"

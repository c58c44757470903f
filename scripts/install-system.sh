#!/usr/bin/env bash
# System packages veille needs beyond PyPI: Java for Spark, Chromium for the browser tests.
# Installed through Debian's apt when missing and when we may (root); otherwise say so.
set -u
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/veille-apt.log 2>&1 \
    || { echo "apt-get install ${need[*]} failed (see /tmp/veille-apt.log); Spark/browser tests will be skipped"; exit 0; }
else
  echo "missing system packages: ${need[*]} (install them with your package manager; Spark/browser tests are skipped without them)"
fi

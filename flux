#!/bin/sh
# Runs the Flux.NET command line from this checkout, building it first when the build is
# missing or older than the sources. Works the same through a symlink (an installed copy).
set -e
self=$(readlink -f "$0")
top=$(dirname "$self")
bin="$top/artifacts/Release/flux"
stamp="$top/artifacts/.build-stamp"
if [ ! -x "$bin" ] || [ ! -f "$stamp" ] || [ -n "$(find "$top" \( -path "$top/artifacts" -o -path "$top/.git" -o -name bin -o -name obj \) -prune -o \
     \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sln' -o -name NuGet.config \) -newer "$stamp" -print 2>/dev/null | head -n 1)" ]; then
  "$top/build.sh" >&2
fi
exec "$bin" "$@"

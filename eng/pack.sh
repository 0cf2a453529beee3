#!/usr/bin/env bash
# Builds and packs everything a consumer needs into artifacts/packages:
#   Mig.Core  (runtime and attributes; the SDK references it)
#   Mig.Sdk   (Sdk/, build/, and tools/ with the tasks and the tool process)
# No arguments; safe to run again.
#
# Local packs all carry the version 0.1.0-dev (Directory.Build.props). NuGet
# never re-extracts a version it already has in its global packages folder,
# so this script evicts exactly that version of the Mig packages from the
# cache; the next restore then takes the fresh package from the local feed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out="$root/artifacts/packages"
mkdir -p "$out"
# Two packs at once (a test fixture and a terminal) would clean each other's
# tool folder mid-pack and ship an SDK without its tasks; take turns.
exec 9>"$root/artifacts/.pack.lock"
flock 9
dotnet pack Mig.Core/Mig.Core.csproj -c Release -o "$out" -nologo -v:q -p:ContinuousIntegrationBuild=true
dotnet pack Mig.Sdk/Mig.Sdk.csproj -c Release -o "$out" -nologo -v:q -p:ContinuousIntegrationBuild=true

version="$(dotnet msbuild Mig.Core/Mig.Core.csproj -getProperty:PackageVersion -p:Configuration=Release)"
for cache in "$HOME/.nuget/packages" ${NUGET_PACKAGES:+"$NUGET_PACKAGES"}; do
  for id in mig.core mig.sdk; do
    rm -rf "${cache:?}/$id/$version"
  done
done
# A pack racing a clean of the tool folder once shipped an SDK without its tasks; never hand that out.
if ! unzip -l "$out/Mig.Sdk.$version.nupkg" | grep -q "tools/net10.0/Mig.Tasks.dll"; then
  echo "pack.sh: artifacts/packages/Mig.Sdk.$version.nupkg lacks tools/net10.0/Mig.Tasks.dll" >&2
  exit 1
fi
echo "$version" > "$out/version.txt"
echo "Packed Mig $version into $out:"
ls -1 "$out"/*.nupkg | sed 's/^/  /'

#!/usr/bin/env bash
# Builds and packs everything a consumer needs into artifacts/packages:
#   Mig.Core  (runtime and attributes; the SDK references it)
#   Mig.Sdk   (Sdk/, build/, and tools/ with the tasks and the tool process)
#   Mig.AspNetCore (AddMigDatabase, UseMigWritePause, AddMigHealthCheck; over Mig.Core)
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
dotnet pack Mig.AspNetCore/Mig.AspNetCore.csproj -c Release -o "$out" -nologo -v:q -p:ContinuousIntegrationBuild=true
pack_sdk() {
  dotnet pack Mig.Sdk/Mig.Sdk.csproj -c Release -o "$out" -nologo -v:q -p:ContinuousIntegrationBuild=true
}
pack_sdk

version="$(dotnet msbuild Mig.Core/Mig.Core.csproj -getProperty:PackageVersion -p:Configuration=Release)"
for cache in "$HOME/.nuget/packages" ${NUGET_PACKAGES:+"$NUGET_PACKAGES"}; do
  for id in mig.core mig.sdk mig.aspnetcore; do
    rm -rf "${cache:?}/$id/$version"
  done
done
# A pack racing a clean of the tool folder once shipped an SDK without its tasks; never hand that out.
# Zip entry names are stored as plain bytes, so grep reads them without unzip (not on every machine).
sdk="$out/Mig.Sdk.$version.nupkg"
has_tasks() { LC_ALL=C grep -a -q "tools/net10.0/Mig.Tasks.dll" "$sdk" && LC_ALL=C grep -a -q "tools/net472/Mig.Tasks.dll" "$sdk"; }
if ! has_tasks; then
  echo "pack.sh: $sdk lacks tools/net10.0/Mig.Tasks.dll or tools/net472/Mig.Tasks.dll; tool folder had:" >&2
  ls -la Mig.Sdk/obj/tool/Release >&2 || true
  echo "pack.sh: packing Mig.Sdk once more" >&2
  pack_sdk
  if ! has_tasks; then
    echo "pack.sh: $sdk still lacks tools/net10.0/Mig.Tasks.dll or tools/net472/Mig.Tasks.dll; entries under tools/:" >&2
    LC_ALL=C grep -a -o "tools/[A-Za-z0-9./_-]*" "$sdk" | sort -u >&2 || true
    exit 1
  fi
fi
echo "$version" > "$out/version.txt"
echo "Packed Mig $version into $out:"
ls -1 "$out"/*.nupkg | sed 's/^/  /'

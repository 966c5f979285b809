#!/bin/sh
# Builds everything a user runs: the solution (Release), the Flux.Abstractions package, and the
# samples against that package. Quiet unless something fails.
set -e
top=$(dirname "$(readlink -f "$0")")
cd "$top"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET SDK (dotnet) is required: https://dot.net" >&2
  exit 1
fi
mkdir -p artifacts
log=artifacts/build.log
echo "flux: building Flux.NET (first run or sources changed; log in $log)..." >&2
run() {
  started=$(date +%s)
  if ! "$@" >>"$log" 2>&1; then
    grep -E "error|Error" "$log" | sort -u | head -40 >&2
    echo "build.sh: '$*' failed; see $log" >&2
    exit 1
  fi
  echo "build.sh: $(( $(date +%s) - started ))s: $*" >>"$log"
}
: >"$log"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
run dotnet build Flux.sln -c Release -nologo -v:q
# ReadyToRun images with the framework's generic code they use compiled in. By default crossgen2
# precompiles only code of the assembly itself: the instantiations of the framework's generics over
# its types (every async method's AsyncTaskMethodBuilder<T>.Start<TStateMachine>, Dictionary<uint, T>,
# List<(uint, uint)>, ...) were left to the JIT, 1,605 methods at each broker start. With
# --opt-cross-module:* crossgen2 may include framework code, which the runtime checks against the
# framework actually loaded (a method whose framework IL differs is jitted as before), and with
# --non-local-generics-module:* it may place instantiations of framework generics in our images.
# Measured, interleaved, same machine: 711 methods jitted at start instead of 1,605; `flux start true`
# 0.57 s instead of 0.65 (median of 5, CPU 0.50 s instead of 0.61); the first `flux run true` of an
# instance 528-578 ms instead of 599-658; 1,000 testexec jobs in a fresh instance 955 jobs/s instead
# of 883 (median of 3); the steady state unchanged within the noise (the tiers still recompile hot code).
r2r='-p:PublishReadyToRunCrossgen2ExtraArgs=--opt-cross-module:*%3B--non-local-generics-module:*'
# The command line, twice: every flux invocation (and every flux run) pays its start-up, so `flux`
# is published NativeAOT (a few ms to start, but it cannot load assemblies); `flux-jit` is the same
# command JIT-hosted (ReadyToRun), which the native one hands over to (execv) when a command needs
# a plugin assembly (Host/Flux.Cli/NativeHandOver.cs). Both builds share the output folder, so the
# native executable is set aside while the JIT one is published, and the JIT apphost renamed.
# NativeAOT links with the system's C compiler (gcc); without one, `flux` is the JIT-hosted build.
native=
if command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1; then
  run dotnet publish Host/Flux.Cli -c Release -r linux-x64 -o artifacts/Release -nologo -v:q
  mv -f artifacts/Release/flux artifacts/flux.native
  native=artifacts/flux.native
else
  echo "build.sh: no C compiler (gcc) to link the native flux: flux is the JIT-hosted build (slower to start)" >&2
fi
# The ReadyToRun executables are published each to a folder of its own and copied over the build
# output (as the plugins are, below): published in place, a `dotnet build` or `dotnet test` run since
# the last ./build.sh had left the IL of the assemblies they share (Flux.Core, Flux.Client, ...) newer
# than their unchanged ReadyToRun images, the publish step kept the IL, and every broker then jitted
# the runtime's core: measured, interleaved, `flux start true` 440 ms with that IL against 320 ms.
publish_r2r() {
  run dotnet publish "$1" -c Release -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true "$r2r" -o "artifacts/publish/$2" -nologo -v:q
  mkdir -p "$3"
  cp -Rf "artifacts/publish/$2/." "$3/"
  for f in $4; do
    if ! grep -q -a RTR "$3/$f"; then
      echo "build.sh: $3/$f is not a ReadyToRun image after publishing $1" >&2
      exit 1
    fi
  done
}
publish_r2r Host/Flux.Cli host/flux-cli artifacts/Release "flux.dll Flux.Client.dll Flux.Abstractions.dll"
mv -f artifacts/Release/flux artifacts/Release/flux-jit
if [ -n "$native" ]; then
  mv -f "$native" artifacts/Release/flux
else
  cp -f artifacts/Release/flux-jit artifacts/Release/flux
fi
# ReadyToRun for the broker, which flux start hands over to.
publish_r2r Host/Flux.Broker host/flux-broker artifacts/Release "flux-broker.dll Flux.Core.dll Flux.Formats.dll Flux.Toml.dll"
# ... and for flux-shell, the job shell's process (the shell host job-exec starts, or one per job
# as [exec] job-shell): its start-up is paid once per host, or once per job.
publish_r2r Host/Flux.ShellHost host/flux-shell artifacts/Release "flux-shell.dll Flux.Shell.dll Flux.Shell.Lua.dll Flux.Subprocess.dll"
# ... and for the built-in modules, which every broker start and every job runs through, and the
# built-in connectors (local://), which every flux command loads to reach its broker, and the
# builtin jobtap plugins, which job-manager calls for every job, and the builtin validators and
# frobnicators, which job-ingest calls for every submission, and the builtin shell plugins, which
# every job shell constructs (their assembly is loaded once per process, so ReadyToRun pays).
# A plugin's build output is its plugin folder (what a Debug build or a test runs), so each is
# published to a folder of its own and copied over it: published in place, a rebuild left the IL
# there, since the build step copies the IL over the ReadyToRun image, and the publish step then
# keeps the newer file (the IL), its ReadyToRun image being up to date and older. Half the built-in
# modules (kvs, job-manager, job-ingest, content) ran jitted after a second ./build.sh.
for p in Plugins/Modules/*/*.csproj Plugins/Connectors/*/*.csproj Plugins/Jobtap/*/*.csproj Plugins/Validators/*/*.csproj Plugins/ShellPlugins/*/*.csproj; do
  n=$(basename "$p" .csproj)
  k=modules
  case "$p" in Plugins/Connectors/*) k=connectors ;; Plugins/Jobtap/*) k=jobtap ;; Plugins/Validators/*) k=validators ;; Plugins/ShellPlugins/*) k=shell ;; esac
  publish_r2r "$p" "$k/$n" "artifacts/Release/$k/$n" "$n.dll"
done
# Packages of an earlier version (the contract's minor moves with new members) would stand beside the
# new ones, and a NuGet source holding both is ambiguous for whoever installs from it: only this build's stay.
rm -f artifacts/packages/Flux.*.nupkg
run dotnet pack Abstractions/Flux.Abstractions -c Release --no-build -o artifacts/packages -nologo -v:q
run dotnet pack Abstractions/Flux.Formats -c Release --no-build -o artifacts/packages -nologo -v:q
# The plugin SDK (pack targets and the flux-plugin.json writer): what samples and third parties reference.
run dotnet pack sdk/Flux.Plugin.Sdk -c Release --no-build -o artifacts/packages -nologo -v:q
# The in-process test instance for plugins' tests (the broker runtime and the content and KVS modules
# published above), which the templates' test projects reference.
run dotnet pack sdk/Flux.Testing -c Release --no-build -o artifacts/packages -nologo -v:q
# The dotnet new templates, one per plugin kind: dotnet new install artifacts/packages/Flux.Templates.1.1.0.nupkg
run dotnet pack sdk/Flux.Templates -c Release --no-build -o artifacts/packages -nologo -v:q
rm -rf artifacts/sample-packages/flux.abstractions artifacts/sample-packages/flux.formats artifacts/sample-packages/flux.plugin.sdk
# Each sample packs (building it) into an installable plugin package: flux plugin install artifacts/sample-plugins/NAME.1.0.0.nupkg
for p in samples/*/*.csproj; do
  run dotnet pack "$p" -c Release -o artifacts/sample-plugins -nologo -v:q
done
touch artifacts/.build-stamp

#!/usr/bin/env bash
# Publishes tunneld and tunnelctl (framework-dependent) and links them at bin/.
set -euo pipefail
configuration=${1:-Release}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for program in tunneld tunnelctl; do
  project=src/$( [ $program = tunneld ] && echo Tunneld || echo Tunnelctl )
  dotnet publish "$project" -c "$configuration" --no-restore --no-build -o "bin/lib/$program" -nologo -v quiet >/dev/null
  ln -sfn "lib/$program/$program" "bin/$program"
done
echo "built bin/tunneld and bin/tunnelctl"

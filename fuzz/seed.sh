#!/usr/bin/env bash
# Seeds the fuzz corpus from the project's own inputs: every page file and issue.yaml of the
# sample issue and of the check corpus, prefixed with the selector byte the target reads
# (0 = a page file, 1 = issue.yaml, 2 = a kind's schema.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus/load_issue
mkdir -p "$out"
n=0
for f in content/*/*.yaml tests/check/*/*.yaml tests/accept/*/*.yaml layouts/*/schema.yaml \
  tests/schema/*/schema.yaml; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in
    issue.yaml) selector='\x01' ;;
    schema.yaml) selector='\x02' ;;
    *) selector='\x00' ;;
  esac
  { printf "$selector"; cat "$f"; } > "$out/seed-$n"
  n=$((n + 1))
done
echo "seeded $n inputs into $out"

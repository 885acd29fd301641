#!/usr/bin/env bash
# Measures the resource model's calibration and held-out points (points.tsv) with yosys and writes
# docs/resource-model/<target>.csv: one `bit1hw synth --yosys-only` per point (on iCE40, points marked
# "place" are also placed by nextpnr, one seed, for their logic cells; a streaming engine, which has no board
# wrapper, is measured as its engine top), its counts read with jq.
# Usage, after `make setup`:
#   bash docs/resource-model/measure.sh ice40-up5k      # or xc7; progress on stderr
#   bin/bit1hw resources --target ice40-up5k --calibrate docs/resource-model/ice40.csv --out docs/resource-model/ice40.json
# On a shared machine hold the heavy-job lock for the whole run:
#   flock /tmp/bit1hw-heavy.lock bash docs/resource-model/measure.sh xc7
# A point whose
# report.json is already in build/resource-model/<target>/<name> is read, not run again (delete the
# directory to re-measure). iCE40 LUTs are yosys's SB_LUT4, before nextpnr packs them into logic cells.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:?usage: measure.sh ice40-up5k|xc7}
case $target in ice40-up5k) short=ice40 ;; xc7) short=xc7 ;; *) echo "measure: target is ice40-up5k or xc7, not '$target'" >&2; exit 2 ;; esac
command -v jq >/dev/null || { echo "measure: needs jq (make setup installs it)" >&2; exit 3; }
work=build/resource-model/$target
mkdir -p "$work"
csv=docs/resource-model/$short.csv
tmp=$(mktemp "$work/csv.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
  echo "# yosys: $(yosys -V)"
  echo "name,set,lanes,rows,actBits,pipeEvery,pe,weightDepth,actDepth,outDepth,instrDepth,maxK,accumulators,stream,luts,ffs,carry,brams,sprams,dsps,arrayLuts,arrayFfs,logicCells"
} > "$tmp"
grep -v '^#' docs/resource-model/points.tsv | tail -n +2 | while IFS=$'\t' read -r name set targets lanes rows act pipe pe wd ad od id maxk acc place stream; do
  [ "$targets" = both ] || [ "$targets" = "$short" ] || continue
  out=$work/$name
  placed=$([ "$place" = yes ] && [ "$short" = ice40 ] && echo yes || echo no)
  if [ ! -f "$out/report.json" ] || { [ "$placed" = yes ] && [ "$(jq '.placeAndRoute == null' "$out/report.json")" = true ]; }; then
    mkdir -p "$out"
    jq -n --argjson l "$lanes" --argjson r "$rows" --argjson a "$act" --argjson p "$pipe" --arg pe "$pe" \
      --argjson wd "$wd" --argjson ad "$ad" --argjson od "$od" --argjson id "$id" --argjson k "$maxk" \
      --arg s "$stream" '{lanes:$l, rows:$r, actBits:$a, pipeEvery:$p, pe:$pe, weightDepth:$wd, actDepth:$ad, outDepth:$od, instrDepth:$id, maxK:$k}
        + (if $s == "none" then {} else ($s | split(":")) as $f | {stream: {axiDataBits: ($f[0] | tonumber), axiAddrBits: ($f[1] | tonumber),
           burstBeats: ($f[2] | tonumber), maxOutstanding: ($f[3] | tonumber), packing: $f[4]}} end)' > "$out/config.json"
    flow=(--yosys-only); [ "$placed" = yes ] && flow=(--seeds 1)
    echo "measure: $target $name ${flow[*]}" >&2
    bin/bit1hw synth --target "$target" --config "$out/config.json" --accumulators "$acc" \
      "${flow[@]}" --quiet --out "$out" > /dev/null
  fi
  jq -r --arg row "$name,$set,$lanes,$rows,$act,$pipe,$pe,$wd,$ad,$od,$id,$maxk,$acc,$stream" \
    '"\($row),\(.design.luts),\(.design.ffs),\(.design.kinds.carry),\(.design.brams),\(.design.sprams),\(.design.dsps),\(.array.luts),\(.array.ffs),\(.placeAndRoute.logicCells // "")"' \
    "$out/report.json" >> "$tmp"
done
mv "$tmp" "$csv"
trap - EXIT
echo "measure: $csv" >&2

#!/usr/bin/env bash
# The settings of auto's selection compared series by series (unseen-series.md, "A rule for short series
# tried on 203 more series"). Builds the library of this checkout with system-properties.patch applied (in a
# temporary copy), then scores `auto` on every group of DATA (the M4-layout files that
# `SERIES_FILE=docs/results/r-packages-series.R Rscript docs/results/unseen-series.R run DATA` writes) once
# with the library's settings and once per setting below, and prints, per setting and group, on how many
# series it does better and worse than the library's settings, the geometric mean of the MASE ratios and
# the mean MASE without ArgentinaCPI. Run from the repository root:
#
#   docs/results/selection-variants/run.sh DATA [THREADS]
set -euo pipefail
data=$(cd "$1" && pwd)
threads=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
git clone -q . "$work/src"
git -C "$work/src" apply "$here/system-properties.patch"
(cd "$work/src" && mvn -B -q -pl fleetpredict-cli -am package -DskipTests)
jar=$work/src/fleetpredict-cli/target/fleetpredict.jar
javac -cp "$jar" -d "$work" "$here/Variants.java"
settings=(
    "library|"
    "best alone|-Dfp.combine=1"
    "at most 2 averaged|-Dfp.combine=2"
    "at most 5 averaged|-Dfp.combine=5"
    "within 1.1|-Dfp.within=1.1"
    "within 1.5|-Dfp.within=1.5"
    "three origins one horizon apart|-Dfp.origins=3 -Dfp.stride=h"
    "four origins half a horizon apart|-Dfp.origins=4 -Dfp.stride=h/2"
    "six origins one step apart|-Dfp.origins=6 -Dfp.stride=1"
)
for s in "${settings[@]}"; do
    label=${s%%|*}
    opts=${s#*|}
    : > "$work/$label.csv"
    tail -n +2 "$data/groups.csv" | while IFS=, read -r group horizon periods _; do
        # shellcheck disable=SC2086
        java $opts -cp "$jar:$work" Variants "$data" "$group" "$horizon" "${periods%% *}" "$threads" >> "$work/$label.csv"
    done
done
python3 - "$work" "${settings[@]%%|*}" <<'PY'
import csv, math, statistics, sys
work, labels = sys.argv[1], sys.argv[2:]
load = lambda label: {(g, i): float(m) for g, i, m, _ in csv.reader(open(f"{work}/{label}.csv"))}
base = load(labels[0])
groups = sorted({g for g, _ in base})
print("| setting | group | better on | worse on | geometric mean of the MASE ratios | mean MASE without ArgentinaCPI (library's) |")
print("| --- | --- | ---: | ---: | ---: | --- |")
for label in labels[1:]:
    v = load(label)
    for g in groups + ["all"]:
        ks = [k for k in base if g in ("all", k[0])]
        better = sum(v[k] < base[k] - 1e-9 for k in ks)
        worse = sum(v[k] > base[k] + 1e-9 for k in ks)
        geo = math.exp(statistics.mean(math.log(max(v[k], 1e-9) / max(base[k], 1e-9)) for k in ks))
        rest = [k for k in ks if k[1] != "ArgentinaCPI"]
        print(f"| {label} | {g} | {better} | {worse} | {geo:.3f} | "
              f"{statistics.mean(v[k] for k in rest):.4f} ({statistics.mean(base[k] for k in rest):.4f}) |")
PY
rm -rf "$work"

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
#
# HOLDOUT=K (K >= 1) scores on the training files alone: each series is cut K horizons before the end of its
# training values and scored on the horizon after the cut (series shorter than K horizons and 8 values are
# left out), so the test windows are never read. SETTINGS=REGEX runs only the settings whose label matches;
# MODEL=NAME scores that model (a name `fleetpredict forecast --model` takes) instead of `auto`.
set -euo pipefail
data=$(cd "$1" && pwd)
threads=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
if [[ ${HOLDOUT:-0} -gt 0 ]]; then
    mkdir "$work/data"
    python3 - "$data" "$work/data" "$HOLDOUT" <<'PY'
import csv, sys
data, out, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
groups = list(csv.reader(open(f"{data}/groups.csv")))
with open(f"{out}/groups.csv", "w") as g:
    g.write(",".join(groups[0]) + "\n")
    for group, horizon, periods, _ in groups[1:]:
        h = int(horizon)
        rows = [r for r in list(csv.reader(open(f"{data}/{group}-train.csv")))[1:]
                if len([x for x in r[1:] if x]) >= k * h + 8]
        with open(f"{out}/{group}-train.csv", "w") as tr, open(f"{out}/{group}-test.csv", "w") as te:
            tr.write('"V1"\n')
            te.write('"V1"\n')
            for r in rows:
                v = [x for x in r[1:] if x]
                tr.write(",".join([r[0]] + v[:len(v) - k * h]) + "\n")
                te.write(",".join([r[0]] + v[len(v) - k * h:len(v) - (k - 1) * h]) + "\n")
        g.write(f"{group},{horizon},{periods},{len(rows)}\n")
PY
    data=$work/data
fi
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
    "one of each family averaged|-Dfp.oneEachFamily=true"
    "no standard theta without a season|-Dfp.noStandardTheta=true"
    "the average only if it scores better|-Dfp.averageOnlyIfBetter=true"
    "ETS also searched from R's start with multiplicative errors|-Dfp.etsBothStarts=true"
    "median of at most 3|-Dfp.median=true"
    "median of all|-Dfp.median=true -Dfp.combine=99 -Dfp.within=1e300"
    "mean of all|-Dfp.combine=99 -Dfp.within=1e300"
    "no Box-Cox without a season|-Dfp.noBoxCoxWithoutSeason=true"
)
if [[ -n ${SETTINGS:-} ]]; then
    chosen=("${settings[0]}")
    for s in "${settings[@]:1}"; do
        if [[ ${s%%|*} =~ $SETTINGS ]]; then
            chosen+=("$s")
        fi
    done
    settings=("${chosen[@]}")
fi
for s in "${settings[@]}"; do
    label=${s%%|*}
    opts=${s#*|}
    : > "$work/$label.csv"
    tail -n +2 "$data/groups.csv" | while IFS=, read -r group horizon periods _; do
        # shellcheck disable=SC2086
        java $opts -cp "$jar:$work" Variants "$data" "$group" "$horizon" "${periods%% *}" "$threads" "${MODEL:-auto}" \
            >> "$work/$label.csv"
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

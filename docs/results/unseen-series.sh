#!/usr/bin/env bash
# The unseen-series check end to end: exports the public series of unseen-series.R, scores R's forecast
# methods on them, scores fleetpredict's models on the same files with `evaluate`, and prints the tables of
# unseen-series.md. Run from the repository root, with the CLI jar built
# (mvn -B -q -pl fleetpredict-cli -am package -DskipTests):
#
#   docs/results/unseen-series.sh [JAR] [OUTDIR]
#
# SERIES_FILE=docs/results/r-packages-series.R runs the same on the second set of 203 series instead (and
# METHODS=... limits R's methods, as unseen-series.R says).
# JAR defaults to fleetpredict-cli/target/fleetpredict.jar, OUTDIR to unseen-series-out. Needs Rscript with
# the forecast package, Java 17 and GNU time (/usr/bin/time). Everything lands in OUTDIR; the tables also in
# OUTDIR/summary.md.
#
# fleetpredict is run twice on each group, always with one worker thread:
# - per model on the whole group file, under /usr/bin/time: the model's CPU time is its run's less the
#   snaive run's (JVM start-up, reading the files, the Naive2 yardstick that evaluate always scores);
# - per series, every model in one run on a file holding that series alone: the per-series scores that
#   evaluate's set-level output does not show. Each series is fitted on its own in either run, so the
#   mean of these equals the group run's figure (the summary shows both where they can differ).
# A run that evaluate refuses (exit code other than 0) is recorded with its exit code and message in
# OUTDIR/fp-refusals.txt, as are series it could not fit (it forecasts them by seasonal naive and says so).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-fleetpredict-cli/target/fleetpredict.jar}
out=${2:-unseen-series-out}
if [[ ! -f $jar ]]; then
    echo "unseen-series.sh: no jar at $jar; build it with: mvn -B -q -pl fleetpredict-cli -am package -DskipTests" >&2
    exit 2
fi
models=(snaive auto ets auto-arima theta mstl)
mkdir -p "$out"
rm -f "$out"/fp-*.json "$out"/fp-*.err
{ date -u; uptime; } > "$out/machine.txt"

Rscript "$here/unseen-series.R" run "$out" | tee "$out/r-run.log"

: > "$out/fp-refusals.txt"
echo "group,model,cpu_seconds,wall_seconds,exit" > "$out/fp-cpu.csv"

# evaluate GROUP LABEL TRAIN TEST HORIZON PERIODS MODEL...: one run; its JSON in OUTDIR/fp-LABEL.json; appends
# any refusal or fallback to fp-refusals.txt; prints "user+sys wall exit".
evaluate() {
    local group=$1 label=$2 train=$3 test=$4 horizon=$5 periods=$6
    shift 6
    local args=(evaluate --train "$train" --test "$test" --horizon "$horizon")
    local p m rc
    for p in $periods; do args+=(--period "$p"); done
    for m in "$@"; do args+=(--model "$m"); done
    set +e
    /usr/bin/time -f "%U %S %e" -o "$out/time.txt" \
        java -jar "$jar" "${args[@]}" --threads 1 --format json --quiet \
        > "$out/fp-$label.json" 2> "$out/fp-$label.err"
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        echo "$group, $label: exit $rc: $(head -c 400 "$out/fp-$label.err" | tr '\n' ' ')" >> "$out/fp-refusals.txt"
        rm -f "$out/fp-$label.json"
    elif [[ -s $out/fp-$label.err ]]; then
        echo "$group, $label: $(head -c 400 "$out/fp-$label.err" | tr '\n' ' ')" >> "$out/fp-refusals.txt"
    fi
    local u s e
    read -r u s e < <(tail -n 1 "$out/time.txt")
    awk -v u="$u" -v s="$s" -v e="$e" -v rc="$rc" 'BEGIN { printf "%.2f %s %s\n", u + s, e, rc }'
}

tail -n +2 "$out/groups.csv" | while IFS=, read -r group horizon periods count; do
    train=$out/$group-train.csv
    test=$out/$group-test.csv
    for model in "${models[@]}"; do
        read -r cpu wall rc < <(evaluate "$group" "group-$group--$model" "$train" "$test" "$horizon" "$periods" "$model")
        echo "$group,$model,$cpu,$wall,$rc" >> "$out/fp-cpu.csv"
        echo "fleetpredict $group $model: CPU $cpu s, wall $wall s, exit $rc"
    done
    for ((i = 2; i <= count + 1; i++)); do
        row=$(sed -n "${i}p" "$train")
        id=${row%%,*}
        id=${id//\"/}
        head -n 1 "$train" > "$out/one-train.csv"
        echo "$row" >> "$out/one-train.csv"
        head -n 1 "$test" > "$out/one-test.csv"
        grep -F "\"$id\"," "$test" >> "$out/one-test.csv"
        read -r cpu wall rc < <(evaluate "$group" "series-$group--$id" "$out/one-train.csv" "$out/one-test.csv" \
            "$horizon" "$periods" "${models[@]}")
        echo "fleetpredict $group $id (all models): CPU $cpu s, wall $wall s, exit $rc"
    done
done
rm -f "$out/one-train.csv" "$out/one-test.csv" "$out/time.txt"
{ date -u; uptime; } >> "$out/machine.txt"

Rscript "$here/unseen-series.R" summary "$out" | tee "$out/summary.md"

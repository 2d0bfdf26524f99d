#!/usr/bin/env bash
# ETS series by series against R: the first N (default 30) M4 hourly series, period 24, horizon 48.
# For each series: R's forecast::ets model, MASE, AICc and log-likelihood; then fleetpredict's ets(24) on the
# same values (`fleetpredict forecast --model ets --period 24 --format json`), the same four figures.
# Usage: docs/results/ets-vs-r.sh FLEETPREDICT_JAR Hourly-train.csv Hourly-test.csv [N]
set -euo pipefail
jar=$1 train=$2 test=$3 n=${4:-30}
work=$(mktemp -d)
python3 - "$train" "$test" "$n" "$work" <<'PY'
import csv, datetime, sys
train, test, n, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
tr = list(csv.reader(open(train)))[1:n + 1]
te = list(csv.reader(open(test)))[1:n + 1]
t0 = datetime.datetime(2020, 1, 1)
for i, (a, b) in enumerate(zip(tr, te), 1):
    v = [x for x in a[1:] if x]
    with open(f"{work}/s{i}.csv", "w") as f:
        f.write("timestamp,value\n")
        for k, x in enumerate(v):
            f.write((t0 + datetime.timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ") + "," + x + "\n")
    with open(f"{work}/s{i}.test", "w") as f:
        f.write("\n".join(x for x in b[1:] if x) + "\n")
PY
Rscript - "$train" "$test" "$n" > "$work/r.csv" <<'R'
suppressMessages(library(forecast))
a <- commandArgs(trailingOnly = TRUE)
read_m4 <- function(file) lapply(strsplit(readLines(file)[-1], ","), function(c) {
  v <- suppressWarnings(as.numeric(gsub("\"", "", c[-1]))); v[!is.na(v)] })
train <- read_m4(a[1]); test <- read_m4(a[2])
for (i in seq_len(as.integer(a[3]))) {
  fit <- ets(ts(train[[i]], frequency = 24)); f <- forecast(fit, h = 48)
  mase <- mean(abs(test[[i]] - as.numeric(f$mean))) / mean(abs(diff(train[[i]], lag = 24)))
  cat(sprintf("%d;%s;%.4f;%.1f;%.1f\n", i, fit$method, mase, fit$aicc, fit$loglik))
}
R
for i in $(seq 1 "$n"); do
  java -jar "$jar" forecast --input "$work/s$i.csv" --model ets --period 24 --horizon 48 --format json 2>/dev/null \
    > "$work/j$i.json"
done
python3 - "$work" "$n" <<'PY'
import json, math, sys
work, n = sys.argv[1], int(sys.argv[2])
r = [l.strip().split(";") for l in open(f"{work}/r.csv")]
print("| series | R model | R MASE | R AICc | fleetpredict model | MASE | AICc |")
print("| ---: | --- | ---: | ---: | --- | ---: | ---: |")
sums = [0.0, 0.0]; higher = lower_aicc = wins = 0; logratio = 0.0
for i in range(1, n + 1):
    d = json.load(open(f"{work}/j{i}.json"))
    v = [float(l.split(",")[1]) for l in open(f"{work}/s{i}.csv").read().split("\n")[1:] if l]
    y = [float(x) for x in open(f"{work}/s{i}.test").read().split()]
    scale = sum(abs(v[t] - v[t - 24]) for t in range(24, len(v))) / (len(v) - 24)
    mase = sum(abs(a - b) for a, b in zip(y, d["mean"])) / 48 / scale
    p = d["model"]["parameters"]; model = d["model"]["description"].split(" ")[0]
    ri = r[i - 1]; rm = float(ri[2])
    sums[0] += rm; sums[1] += mase; higher += p["loglik"] > float(ri[4]); wins += mase < rm
    lower_aicc += p["aicc"] < float(ri[3])
    logratio += math.log(mase / rm)
    print(f"| {i} | {ri[1]} | {rm:.4f} | {float(ri[3]):.1f} | {model} | {mase:.4f} | {p['aicc']:.1f} |")
print(f"\nmean MASE: R {sums[0] / n:.4f}, fleetpredict {sums[1] / n:.4f}; fleetpredict's AICc lower on {lower_aicc} "
      f"of {n}, its log-likelihood higher on {higher} of {n}, its MASE lower on {wins} of {n}; geometric mean of the MASE ratios {math.exp(logratio / n):.4f}")
PY
rm -rf "$work"

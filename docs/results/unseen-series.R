# Public series the forecasters were never tuned on, scored against R's forecast package.
#
#   Rscript unseen-series.R run OUT       export the series and score R's methods
#   Rscript unseen-series.R summary OUT   the tables of unseen-series.md, from OUT's results of both sides
#
# `run` takes a fixed set of series from R's own packages (datasets, forecast), holds out the last h values
# of each (h per group, below), writes M4-layout files OUT/GROUP-train.csv and OUT/GROUP-test.csv (a header
# row, then one series a row, the id first, every field double-quoted) and OUT/groups.csv (group, horizon,
# periods), then reads those files back and scores R's methods on them: fit on the training values, forecast
# h steps with the 95% interval, MASE scaled by the in-sample mean absolute difference at the group's first
# period (lag 1 when the training part is not longer than that period; M4's definition, and Accuracy.mase in
# fleetpredict), coverage of the 95% interval, CPU seconds (user + system, children included) of fit and
# forecast. One row a series and method in OUT/r-series.csv.
#
# `summary` reads OUT/r-series.csv and what unseen-series.sh left from fleetpredict's evaluate
# (OUT/fp-series-*.json, one a series; OUT/fp-cpu.csv; OUT/fp-refusals.txt) and prints markdown tables.
#
# Environment: LIMIT_SECONDS (default 900): a method still fitting one series after that many seconds of
# elapsed time is stopped and recorded as not run, with the CPU time it had spent; METHODS, a
# comma-separated subset of ets,auto.arima,tbats,thetaf,stlf,snaive,snaive.long.

suppressMessages(library(forecast))

# ---- The set and its rules, fixed before any result was seen ----------------------------------------
# Horizons as M3 and M4 use them: monthly 18, quarterly 8, yearly 6, "other" (non-seasonal) 8; half-hourly
# one week (336). Periods as each series' frequency says; single-season methods take the first period
# (fleetpredict's single-season models do too), multi-season methods (stlf through mstl, tbats) all of them.
# A series longer than 1,000 values, other than the half-hourly one, keeps only its last 20 years
# (sunspot.month: 3,177 months, cut to the last 240).
# Left out: Seatbelts[, "drivers"] (the same 192 values as UKDriverDeaths, which is in); uspop (decennial,
# frequency 0.1, 19 values: no group fits it).
ds <- function(name) get(name, envir = asNamespace("datasets"))
fc <- function(name) get(name, envir = asNamespace("forecast"))
last_years <- function(x, years) {
  x <- as.numeric(x)
  if (length(x) > 1000) tail(x, years * 12) else x
}
GROUPS <- list(
  monthly = list(horizon = 18, periods = 12, series = list(
    AirPassengers = ds("AirPassengers"), co2 = ds("co2"), USAccDeaths = ds("USAccDeaths"),
    ldeaths = ds("ldeaths"), mdeaths = ds("mdeaths"), fdeaths = ds("fdeaths"), nottem = ds("nottem"),
    UKDriverDeaths = ds("UKDriverDeaths"), gas = fc("gas"), wineind = fc("wineind"),
    sunspot.month = last_years(ds("sunspot.month"), 20))),
  quarterly = list(horizon = 8, periods = 4, series = list(
    JohnsonJohnson = ds("JohnsonJohnson"), UKgas = ds("UKgas"), austres = ds("austres"),
    woolyrnq = fc("woolyrnq"))),
  annual = list(horizon = 6, periods = 1, series = list(
    Nile = ds("Nile"), LakeHuron = ds("LakeHuron"), lynx = ds("lynx"), airmiles = ds("airmiles"))),
  halfhourly = list(horizon = 336, periods = c(48, 336), series = list(taylor = fc("taylor"))),
  nonseasonal = list(horizon = 8, periods = 1, series = list(
    WWWusage = ds("WWWusage"), BJsales = ds("BJsales"))))
# SERIES_FILE names an R file that replaces GROUPS with another set (r-packages-series.R: 203 more series).
if (nzchar(Sys.getenv("SERIES_FILE"))) source(Sys.getenv("SERIES_FILE"))
# snaive.long: the seasonal naive forecast at the longest period, where a group has more than one (taylor:
# the same half-hour a week before; snaive itself takes the first period, a day).
METHODS <- c("ets", "auto.arima", "tbats", "thetaf", "stlf", "snaive", "snaive.long")
LEVEL <- 95

# ---- M4 layout --------------------------------------------------------------------------------------
write_m4 <- function(file, rows) {
  width <- max(lengths(rows))
  header <- paste0("\"", c("V1", paste0("V", seq_len(width) + 1)), "\"", collapse = ",")
  lines <- vapply(names(rows), function(id) {
    v <- as.character(rows[[id]])
    paste0("\"", c(id, v, rep("", width - length(v))), "\"", collapse = ",")
  }, "")
  writeLines(c(header, lines), file)
}
read_m4 <- function(file) {
  lines <- readLines(file)[-1]
  cells <- strsplit(lines, ",")
  rows <- lapply(cells, function(c) {
    v <- gsub("\"", "", c[-1])
    as.numeric(v[v != ""])
  })
  names(rows) <- vapply(cells, function(c) gsub("\"", "", c[1]), "")
  rows
}

# ---- Scores, as M4 (and fleetpredict's Accuracy) define them ---------------------------------------
mase <- function(x, y, f, m) {
  lag <- if (length(x) > m) m else 1
  mean(abs(y - f)) / mean(abs(diff(x, lag = lag)))
}
coverage <- function(y, lo, hi) mean(y >= lo & y <= hi)

# The series as each method reads it: one period (the group's first) or all of them.
as_single <- function(x, periods) ts(x, frequency = periods[1])
as_multi <- function(x, periods) {
  if (length(periods) > 1) msts(x, seasonal.periods = periods) else ts(x, frequency = periods[1])
}
# stlf where the series is seasonal and long enough for stl: more than two of its first period.
stlf_applies <- function(x, periods) periods[1] > 1 && length(x) > 2 * periods[1]

fit_forecast <- function(method, x, h, periods) {
  switch(method,
    ets = forecast(ets(as_single(x, periods)), h = h, level = LEVEL),
    auto.arima = forecast(auto.arima(as_single(x, periods)), h = h, level = LEVEL),
    tbats = forecast(tbats(as_multi(x, periods), use.parallel = FALSE), h = h, level = LEVEL),
    thetaf = thetaf(as_single(x, periods), h = h, level = LEVEL),
    stlf = stlf(as_multi(x, periods), h = h, level = LEVEL),
    snaive = snaive(as_single(x, periods), h = h, level = LEVEL),
    snaive.long = snaive(ts(x, frequency = max(periods)), h = h, level = LEVEL))
}

cpu_now <- function() {
  t <- proc.time()
  sum(t[c("user.self", "sys.self")]) + sum(t[c("user.child", "sys.child")], na.rm = TRUE)
}

# Fits one method to one series under the elapsed-time limit; a row of r-series.csv.
score_one <- function(group, id, method, x, y, h, periods, limit) {
  row <- data.frame(group = group, id = id, method = method, mase = NA_real_, coverage95 = NA_real_,
                    cpu_seconds = NA_real_, status = "ok", stringsAsFactors = FALSE)
  if (method == "stlf" && !stlf_applies(x, periods)) {
    row$status <- "not applicable (not seasonal, or not longer than two periods)"
    return(row)
  }
  if (method == "snaive.long" && length(periods) < 2) {
    row$status <- "not applicable (one period)"
    return(row)
  }
  c0 <- cpu_now()
  e0 <- proc.time()[["elapsed"]]
  f <- tryCatch({
    setTimeLimit(elapsed = limit, transient = TRUE)
    on.exit(setTimeLimit(elapsed = Inf), add = TRUE)
    fit_forecast(method, x, h, periods)
  }, error = function(e) e, finally = setTimeLimit(elapsed = Inf))
  row$cpu_seconds <- cpu_now() - c0
  if (inherits(f, "error")) {
    spent <- proc.time()[["elapsed"]] - e0
    msg <- conditionMessage(f)
    row$status <- if (grepl("time limit", msg)) {
      sprintf("not run: stopped after %.0f s elapsed (%.0f s CPU)", spent, row$cpu_seconds)
    } else {
      paste("failed:", gsub("[\r\n,]", " ", msg))
    }
    return(row)
  }
  row$mase <- mase(x, y, as.numeric(f$mean), periods[1])
  row$coverage95 <- coverage(y, as.numeric(f$lower[, 1]), as.numeric(f$upper[, 1]))
  row
}

run <- function(out) {
  dir.create(out, showWarnings = FALSE, recursive = TRUE)
  methods <- strsplit(Sys.getenv("METHODS", paste(METHODS, collapse = ",")), ",")[[1]]
  limit <- as.numeric(Sys.getenv("LIMIT_SECONDS", "900"))
  meta <- data.frame(group = names(GROUPS),
                     horizon = vapply(GROUPS, function(g) g$horizon, 0),
                     periods = vapply(GROUPS, function(g) paste(g$periods, collapse = " "), ""),
                     series = vapply(GROUPS, function(g) length(g$series), 0))
  write.csv(meta, file.path(out, "groups.csv"), row.names = FALSE, quote = FALSE)
  for (g in names(GROUPS)) {
    spec <- GROUPS[[g]]
    values <- lapply(spec$series, as.numeric)
    stopifnot(!any(vapply(values, anyNA, TRUE)))
    write_m4(file.path(out, paste0(g, "-train.csv")), lapply(values, function(v) head(v, length(v) - spec$horizon)))
    write_m4(file.path(out, paste0(g, "-test.csv")), lapply(values, function(v) tail(v, spec$horizon)))
  }
  cat(R.version.string, ", forecast ", as.character(packageVersion("forecast")), "\n", sep = "")
  results <- file.path(out, "r-series.csv")
  first <- TRUE
  for (g in names(GROUPS)) {
    spec <- GROUPS[[g]]
    train <- read_m4(file.path(out, paste0(g, "-train.csv")))
    test <- read_m4(file.path(out, paste0(g, "-test.csv")))
    for (id in names(train)) {
      for (method in methods) {
        row <- score_one(g, id, method, train[[id]], head(test[[id]], spec$horizon), spec$horizon,
                         spec$periods, limit)
        cat(sprintf("%-11s %-15s %-10s MASE %8.4f  coverage95 %5.3f  CPU %8.2f s  %s\n", g, id, method,
                    row$mase, row$coverage95, row$cpu_seconds, row$status))
        write.table(row, results, sep = ",", row.names = FALSE, col.names = first, append = !first)
        first <- FALSE
      }
    }
  }
}

# ---- Summary -----------------------------------------------------------------------------------------
# fleetpredict's evaluate --format json: {"models": [{"model": ..., "mase": ..., "coverage95": ...}, ...]}.
read_evaluate_json <- function(file) {
  text <- paste(readLines(file, warn = FALSE), collapse = "")
  objs <- regmatches(text, gregexpr("\\{[^{}\\[\\]]*\\}", text, perl = TRUE))[[1]]
  field <- function(o, name, pattern) {
    m <- regmatches(o, regexec(paste0("\"", name, "\"\\s*:\\s*", pattern), o, perl = TRUE))[[1]]
    if (length(m) < 2) NA_character_ else m[2]
  }
  do.call(rbind, lapply(objs, function(o) data.frame(
    model = field(o, "model", "\"([^\"]*)\""),
    mase = as.numeric(field(o, "mase", "([-0-9.eE+]+|NaN|Infinity)")),
    coverage95 = as.numeric(field(o, "coverage95", "([-0-9.eE+]+|NaN|Infinity)")),
    stringsAsFactors = FALSE)))
}

FP_MODELS <- c("auto", "ets", "auto-arima", "theta", "mstl", "snaive")

fmt <- function(x, digits = 3) ifelse(is.na(x), "-", formatC(x, format = "f", digits = digits))

summary_tables <- function(out) {
  meta <- read.csv(file.path(out, "groups.csv"), stringsAsFactors = FALSE)
  r <- read.csv(file.path(out, "r-series.csv"), stringsAsFactors = FALSE)
  fp <- NULL
  for (f in list.files(out, pattern = "^fp-series-.*\\.json$", full.names = TRUE)) {
    key <- sub("^fp-series-(.*)\\.json$", "\\1", basename(f))
    parts <- strsplit(key, "--", fixed = TRUE)[[1]]
    rows <- read_evaluate_json(f)
    rows$group <- parts[1]
    rows$id <- parts[2]
    fp <- rbind(fp, rows)
  }
  cpu <- if (file.exists(file.path(out, "fp-cpu.csv"))) read.csv(file.path(out, "fp-cpu.csv"), stringsAsFactors = FALSE) else NULL
  ok <- r[r$status == "ok", ]
  series_of <- function(g) unique(r$id[r$group == g])
  # One table row: a method's mean MASE and coverage over the series of `ids`, "-" unless run on all.
  line <- function(side, method, rows, ids, cpu_s) {
    done <- rows[rows$id %in% ids, ]
    n <- length(unique(done$id))
    complete <- n == length(ids)
    sprintf("| %s | %s | %d of %d | %s | %s | %s |", side, method, n, length(ids),
            if (complete) fmt(mean(done$mase)) else paste0("(", fmt(mean(done$mase)), ")"),
            fmt(mean(done$coverage95)), fmt(cpu_s, 2))
  }
  best <- list()
  header <- c("| side | method | series scored | mean MASE | coverage95 | CPU seconds |",
              "| --- | --- | ---: | ---: | ---: | ---: |")
  for (g in c(meta$group, "overall")) {
    ids <- if (g == "overall") unique(r$id) else series_of(g)
    in_g <- function(d) if (g == "overall") d else d[d$group == g, ]
    m <- if (g == "overall") NULL else meta[meta$group == g, ]
    cat(if (g == "overall") sprintf("\n### All %d series\n\n", length(ids))
        else sprintf("\n### %s (%d series, horizon %d, period %s)\n\n", g, length(ids), m$horizon, m$periods))
    cat(header, sep = "\n")
    rg <- in_g(ok)
    means <- c()
    for (method in METHODS) {
      statuses <- in_g(r)$status[in_g(r)$method == method]
      if (all(startsWith(statuses, "not applicable"))) next
      rows <- rg[rg$method == method, ]
      cpu_s <- sum(in_g(r)$cpu_seconds[in_g(r)$method == method], na.rm = TRUE)
      cat(line("R", method, rows, ids, cpu_s), "\n", sep = "")
      if (length(unique(rows$id)) == length(ids)) means[method] <- mean(rows$mase)
    }
    fg <- if (is.null(fp)) NULL else in_g(fp)
    for (model in FP_MODELS) {
      rows <- if (is.null(fg)) fp[0, ] else fg[fg$model == model, ]
      # A model's CPU time is its evaluate run's less the snaive run's (JVM start-up, reading, Naive2).
      cpu_s <- if (is.null(cpu) || model == "snaive") NA else {
        cg <- if (g == "overall") cpu else cpu[cpu$group == g, ]
        sum(cg$cpu_seconds[cg$model == model]) - sum(cg$cpu_seconds[cg$model == "snaive"])
      }
      cat(line("fleetpredict", model, rows, ids, cpu_s), "\n", sep = "")
    }
    auto <- if (is.null(fg)) NA else {
      a <- fg[fg$model == "auto", ]
      if (length(unique(a$id)) == length(ids)) mean(a$mase) else NA
    }
    if (length(means) > 0) {
      b <- names(which.min(means))
      cat(sprintf("\nBest R method over all %d series: %s, mean MASE %s; fleetpredict auto %s (%s).\n",
                  length(ids), b, fmt(means[b]), fmt(auto),
                  if (is.na(auto)) "not scored on every series"
                  else sprintf("%+.1f%%: bar %s", 100 * (auto / means[b] - 1), if (auto <= means[b]) "met" else "not met")))
    }
  }
  cat("\n### Per series: MASE\n\n")
  cols <- c(METHODS, paste0("fp:", FP_MODELS))
  cat("| group | series | ", paste(cols, collapse = " | "), " |\n", sep = "")
  cat("| --- | --- | ", paste(rep("---:", length(cols)), collapse = " | "), " |\n", sep = "")
  for (i in seq_len(nrow(meta))) {
    g <- meta$group[i]
    for (id in series_of(g)) {
      v <- vapply(METHODS, function(method) {
        x <- r[r$group == g & r$id == id & r$method == method, ]
        if (nrow(x) == 0 || x$status != "ok") "-" else fmt(x$mase)
      }, "")
      w <- vapply(FP_MODELS, function(model) {
        x <- if (is.null(fp)) NULL else fp[fp$group == g & fp$id == id & fp$model == model, ]
        if (is.null(x) || nrow(x) == 0) "-" else fmt(x$mase)
      }, "")
      cat("| ", g, " | ", id, " | ", paste(c(v, w), collapse = " | "), " |\n", sep = "")
    }
  }
  # The per-series runs against the whole-group runs: the same fits, so the same means.
  if (!is.null(fp)) {
    cat("\nfleetpredict's whole-group runs against the mean of its per-series runs (mean MASE):\n\n")
    for (g in meta$group) {
      for (model in FP_MODELS) {
        f <- file.path(out, sprintf("fp-group-%s--%s.json", g, model))
        if (!file.exists(f)) next
        whole <- read_evaluate_json(f)
        whole <- whole$mase[whole$model == model]
        per <- fp$mase[fp$group == g & fp$model == model]
        cat(sprintf("- %s, %s: whole group %s, per series %s (%d series)%s\n", g, model, fmt(whole, 4),
                    fmt(mean(per), 4), length(per),
                    if (length(per) > 0 && abs(whole - mean(per)) > 1e-5 * abs(whole)) ": DIFFERENT" else ""))
      }
    }
  }
  notes <- r[r$status != "ok" & !startsWith(r$status, "not applicable"), ]
  if (nrow(notes) > 0) {
    cat("\nR methods not scored:\n\n")
    cat(sprintf("- %s, %s: %s\n", notes$id, notes$method, notes$status), sep = "")
  }
  refusals <- file.path(out, "fp-refusals.txt")
  if (file.exists(refusals) && length(readLines(refusals)) > 0) {
    cat("\nfleetpredict evaluate refusals and fallbacks:\n\n")
    cat(paste0("- ", readLines(refusals)), sep = "\n")
    cat("\n")
  }
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2 || !(args[1] %in% c("run", "summary"))) {
  stop("usage: Rscript unseen-series.R run|summary OUTDIR")
}
if (args[1] == "run") run(args[2]) else summary_tables(args[2])

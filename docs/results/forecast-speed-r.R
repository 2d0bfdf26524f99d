# Times R's forecast package on the first M4 hourly series: fit plus a 48-step forecast with 80% and 95%
# intervals, CPU seconds (user + system) per series inside R, and mean MASE (seasonal period 24) on the
# hold-out. Run: Rscript forecast-speed-r.R TRAIN.csv TEST.csv
# Prints one line per method: method, series, CPU seconds per series, mean MASE. Environment: SERIES
# (default 30) and ARIMA_SERIES (default 5) series from the first; METHODS, a comma-separated subset.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
read_m4 <- function(file) {
  lines <- readLines(file)[-1]
  lapply(strsplit(lines, ","), function(cells) {
    v <- suppressWarnings(as.numeric(gsub("\"", "", cells[-1])))
    v[!is.na(v)]
  })
}
train <- read_m4(args[1])
test <- read_m4(args[2])
mase <- function(x, y, f) mean(abs(y - f)) / mean(abs(diff(x, lag = 24)))
methods <- strsplit(Sys.getenv("METHODS", "thetaf,stlf,ets,auto.arima"), ",")[[1]]
run <- function(name, k, fc) {
  if (!(name %in% methods)) return(invisible())
  scores <- numeric(k)
  cpu <- 0
  for (i in seq_len(k)) {
    t <- system.time(f <- fc(train[[i]]))
    cpu <- cpu + t[["user.self"]] + t[["sys.self"]]
    scores[i] <- mase(train[[i]], test[[i]], as.numeric(f$mean))
  }
  cat(sprintf("%s,%d,%.4f,%.4f\n", name, k, cpu / k, mean(scores)))
}
cat(R.version.string, ", forecast ", as.character(packageVersion("forecast")), "\n", sep = "")
cat("method,series,cpu_seconds_per_series,mean_mase\n")
k <- as.integer(Sys.getenv("SERIES", "30"))
ka <- as.integer(Sys.getenv("ARIMA_SERIES", "5"))
run("thetaf", k, function(x) thetaf(ts(x, frequency = 24), h = 48, level = c(80, 95)))
run("stlf", k, function(x) stlf(msts(x, seasonal.periods = c(24, 168)), h = 48, level = c(80, 95)))
run("ets", k, function(x) forecast(ets(ts(x, frequency = 24)), h = 48, level = c(80, 95)))
run("auto.arima", ka, function(x) forecast(auto.arima(ts(x, frequency = 24)), h = 48, level = c(80, 95)))

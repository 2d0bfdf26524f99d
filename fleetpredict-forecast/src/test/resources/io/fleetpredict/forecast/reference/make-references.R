# Regenerates the reference CSV files next to this script. The build never runs it; the files are
# checked in. Tool: R 4.2.2 Patched (2022-11-10 r83330), package forecast 8.20 (Debian r-cran-forecast).
# Run: Rscript make-references.R
suppressMessages(library(forecast))
ver <- paste0(R.version.string, ", forecast ", packageVersion("forecast"))
fmt <- function(v) sprintf("%.17g", v)
put <- function(file, call, df) {
  con <- file(file, "w")
  writeLines(paste0("# ", ver), con)
  writeLines(paste0("# ", call), con)
  writeLines(paste(names(df), collapse = ","), con)
  m <- sapply(df, fmt)
  writeLines(apply(m, 1, paste, collapse = ","), con)
  close(con)
}
stlcsv <- function(file, x, call) {
  fit <- eval(parse(text = call))
  ts <- fit$time.series
  put(file, call, data.frame(x = as.numeric(x), seasonal = ts[, "seasonal"], trend = ts[, "trend"],
                             remainder = ts[, "remainder"], weights = fit$weights))
}
stlcsv("stl-nottem-s7.csv", nottem, "stl(nottem, s.window = 7)")
stlcsv("stl-co2-periodic-robust.csv", co2, "stl(co2, s.window = \"periodic\", robust = TRUE)")
stlcsv("stl-nottem-custom.csv", nottem,
       "stl(nottem, s.window = 9, s.degree = 1, t.window = 19, t.degree = 0, l.window = 13, l.degree = 1, s.jump = 1, t.jump = 3, l.jump = 2, robust = TRUE, outer = 5)")

# A deterministic hourly series with daily and weekly cycles; FixtureSeries.mstlReference builds the same.
t <- 1:840
y <- 100 + 0.05 * t + 10 * sin(2 * pi * t / 24) + 6 * cos(2 * pi * t / 168) + 3 * sin(4 * pi * t / 168) +
  4 * (((t * 7919) %% 997) / 997 - 0.5)
call <- "mstl(msts(y, seasonal.periods = c(24, 168)))"
fit <- mstl(msts(y, seasonal.periods = c(24, 168)))
put("mstl-hourly.csv", call, data.frame(x = y, trend = fit[, "Trend"], seasonal24 = fit[, "Seasonal24"],
                                         seasonal168 = fit[, "Seasonal168"], remainder = fit[, "Remainder"]))
# forecast.stl's own composition (seasonal naive of each component's last cycle added to the
# adjusted series' forecast and intervals), written out because forecast(fit, forecastfunction = ...)
# fails to combine a frequency-1 theta forecast with the msts data in forecast 8.20.
fcall <- paste("fc <- thetaf(ts(as.numeric(seasadj(fit))), h = 48, level = c(80, 95));",
  "lastseas <- rep(fit[840 - 23:0, 'Seasonal24'], 2) + rep(fit[840 - 167:0, 'Seasonal168'], 1)[1:48]; fc$mean + lastseas, ...")
fc <- thetaf(ts(as.numeric(seasadj(fit))), h = 48, level = c(80, 95))
lastseas <- rep(fit[840 - 23:0, "Seasonal24"], 2) + rep(fit[840 - 167:0, "Seasonal168"], 1)[1:48]
put("mstl-hourly-forecast.csv", paste("fit <-", call, ";", fcall),
    data.frame(mean = as.numeric(fc$mean) + lastseas, lo80 = fc$lower[, 1] + lastseas, hi80 = fc$upper[, 1] + lastseas,
               lo95 = fc$lower[, 2] + lastseas, hi95 = fc$upper[, 2] + lastseas))

thetacsv <- function(file, x, h) {
  call <- sprintf("thetaf(%s, h = %d, level = c(80, 95))", x, h)
  fc <- eval(parse(text = call))
  put(file, paste0(call, "; alpha = ", fmt(fc$model$alpha), ", drift = ", fmt(fc$model$drift),
                   ", sigma2 = ", fmt(fc$model$sigma)),
      data.frame(mean = as.numeric(fc$mean), lo80 = fc$lower[, 1], hi80 = fc$upper[, 1],
                 lo95 = fc$lower[, 2], hi95 = fc$upper[, 2]))
}
thetacsv("thetaf-nile.csv", "Nile", 10)
thetacsv("thetaf-airpassengers.csv", "AirPassengers", 24)
thetacsv("thetaf-nottem.csv", "nottem", 24)
thetacsv("thetaf-wwwusage.csv", "WWWusage", 12)
datacsv <- function(file, x) put(file, paste0("as.numeric(", x, ")"), data.frame(x = as.numeric(eval(parse(text = x)))))
datacsv("data-nile.csv", "Nile")
datacsv("data-airpassengers.csv", "AirPassengers")
datacsv("data-wwwusage.csv", "WWWusage")

# Guerrero's Box-Cox lambda (BoxCox.lambda's default method) at each series' frequency, over R's default
# range [-1, 2] and over [0, 1]. Rows follow the order of `lambdaseries`; the column `series` is the index.
lambdaseries <- c("AirPassengers", "USAccDeaths", "ldeaths", "nottem", "WWWusage", "austres", "lh", "LakeHuron")
lambdas <- do.call(rbind, lapply(seq_along(lambdaseries), function(i) {
  x <- eval(parse(text = lambdaseries[i]))
  data.frame(series = i, frequency = frequency(x), default = BoxCox.lambda(x),
             unit = BoxCox.lambda(x, lower = 0, upper = 1))
}))
put("boxcox-lambda.csv", paste0("BoxCox.lambda(x) and BoxCox.lambda(x, lower = 0, upper = 1) for x in ",
                                 paste(lambdaseries, collapse = ", ")), lambdas)
# Bias-adjusted back-transformation of whole forecasts: the airline model on the log scale, and
# ARIMA(1,1,1) on WWWusage at lambda 0.5.
fccsv <- function(file, call) {
  fc <- eval(parse(text = call))
  put(file, call, data.frame(mean = as.numeric(fc$mean), lo80 = fc$lower[, 1], hi80 = fc$upper[, 1],
                             lo95 = fc$lower[, 2], hi95 = fc$upper[, 2]))
}
fccsv("boxcox-airline-biasadj.csv", "forecast(Arima(AirPassengers, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = 0, biasadj = TRUE), h = 24, level = c(80, 95))")
fccsv("boxcox-wwwusage-biasadj.csv", "forecast(Arima(WWWusage, order = c(1, 1, 1), lambda = 0.5, biasadj = TRUE), h = 12, level = c(80, 95))")

# Outliers as tsoutliers finds and replaces them, with supsmu's smooth of the same values against 1:n. The
# column `outlier` is 1 at each index tsoutliers returns, and `replacement` its replacement there (the value
# itself elsewhere). Two series are generated here (a seeded random walk, a seeded hourly series with daily
# and weekly seasons), each with values pushed away by hand; the others come from `datasets`.
outliercsv <- function(file, x, call) {
  o <- tsoutliers(x)
  v <- as.numeric(x)
  flag <- rep(0, length(v)); flag[o$index] <- 1
  repl <- v; repl[o$index] <- o$replacements
  put(file, paste0("tsoutliers(", call, ") and supsmu(seq_along(x), x)$y"),
      data.frame(x = v, supsmu = supsmu(seq_along(v), v)$y, outlier = flag, replacement = repl))
}
set.seed(20261206)
rw <- cumsum(rnorm(100)); rw[20] <- rw[20] + 15; rw[61] <- rw[61] - 12
hh <- 100 + 20 * sin(2 * pi * (1:600) / 24) + 10 * sin(2 * pi * (1:600) / 168) + rnorm(600, sd = 2)
hh[123] <- hh[123] + 80; hh[400] <- hh[400] - 60
ap <- AirPassengers; ap[50] <- ap[50] * 2.5
co <- window(co2, start = 1990); co[30] <- co[30] - 8
outliercsv("outliers-randomwalk.csv", ts(rw), "ts(cumsum(rnorm(100))) after set.seed(20261206), [20] + 15, [61] - 12")
outliercsv("outliers-nile.csv", Nile, "Nile")
outliercsv("outliers-lynx.csv", lynx, "lynx")
outliercsv("outliers-glitch.csv", ts(c(7, 9, 13, 8, 11, 10, 12, 9, 1e12, 10, 8, 11, 13, 9, 10)),
           "ts(c(7, 9, 13, 8, 11, 10, 12, 9, 1e12, 10, 8, 11, 13, 9, 10))")
outliercsv("outliers-short.csv", ts(c(3, 1, 4, 1, 5, 9, 2, 6)), "ts(c(3, 1, 4, 1, 5, 9, 2, 6))")
outliercsv("outliers-airpassengers.csv", AirPassengers, "AirPassengers")
outliercsv("outliers-airpassengers-pushed.csv", ap, "AirPassengers with [50] * 2.5")
outliercsv("outliers-co2.csv", co, "window(co2, start = 1990) with [30] - 8")
outliercsv("outliers-hourly.csv", msts(hh, seasonal.periods = c(24, 168)),
           paste("msts(100 + 20 sin(2 pi t / 24) + 10 sin(2 pi t / 168) + rnorm(600, sd = 2), c(24, 168)),",
                 "t = 1:600, drawn after the random walk; [123] + 80, [400] - 60"))

# A second, larger set of public series: every yearly, quarterly and monthly series that ships with the R
# packages datasets, AER, lmtest, tseries, urca, sandwich and strucchange (Debian r-base-core and
# r-cran-aer), none of them one of the 22 series of unseen-series.R nor a copy of one: 203 series. Sourced
# by unseen-series.R when SERIES_FILE names this file; it replaces GROUPS with these. It was gathered as
# training data for choices about short series; the one rule tried on it was not adopted (unseen-series.md),
# so nothing in the library was chosen on it.
#
#   SERIES_FILE=docs/results/r-packages-series.R METHODS=ets,auto.arima,tbats,thetaf,stlf,snaive \
#       docs/results/unseen-series.sh JAR OUTDIR
#
# Rules, fixed before any figure was seen:
# - every column of every regular time series of those packages at frequency 1 (yearly, dated from 1500
#   on), 4 or 12, as its frequency says; for the lmtest data sets jocci, fyff, gmdc, ip, lhur, pw561, whose
#   other columns are lags and a trend, the first column only;
# - leading and trailing missing values dropped; a series with a missing value inside, a constant series,
#   and a 0/1 indicator (Seatbelts' law) left out;
# - a series longer than 240 values keeps its last 240; what is left must hold at least 12 training values
#   beside the horizon;
# - left out as lagged copies of another column: durab's lag, PhillipsCurve's u1 and dp1;
# - left out as copies of the checked series: Seatbelts' drivers (UKDriverDeaths) and datasets' sunspots
#   (sunspot.month); BJsales.lead (BJsales' companion); MASS is not among the packages because its monthly
#   series (drivers, accdeaths, deaths) are copies of checked ones;
# - horizons as unseen-series.R's: yearly 6, quarterly 8, monthly 18.
POOL_PACKAGES <- c("datasets", "AER", "lmtest", "tseries", "urca", "sandwich", "strucchange")
LAG_SETS <- c("jocci", "fyff", "gmdc", "ip", "lhur", "pw561")
CHECKED <- c("AirPassengers", "co2", "USAccDeaths", "ldeaths", "mdeaths", "fdeaths", "nottem", "UKDriverDeaths",
             "sunspot.month", "JohnsonJohnson", "UKgas", "austres", "Nile", "LakeHuron", "lynx", "airmiles",
             "WWWusage", "BJsales", "uspop", "sunspots", "BJsales.lead", "UKLungDeaths")
pool_group <- function(freq, horizon) {
  out <- list()
  for (pkg in POOL_PACKAGES) {
    items <- sub(" .*", "", data(package = pkg)$results[, "Item"])
    for (nm in setdiff(items, CHECKED)) {
      e <- new.env()
      suppressWarnings(tryCatch(data(list = nm, package = pkg, envir = e), error = function(x) NULL))
      if (!exists(nm, envir = e, inherits = FALSE)) next
      x <- get(nm, envir = e)
      if (!is.ts(x) || frequency(x) != freq) next
      if (freq == 1 && start(x)[1] < 1500) next
      cols <- if (is.matrix(x)) seq_len(if (nm %in% LAG_SETS) 1 else ncol(x)) else 1
      for (j in cols) {
        id <- if (is.matrix(x)) paste0(nm, ".", colnames(x)[j]) else nm
        if (id %in% c("Seatbelts.drivers", "Seatbelts.law", "durab.lag", "PhillipsCurve.u1", "PhillipsCurve.dp1")) next
        v <- as.numeric(if (is.matrix(x)) x[, j] else x)
        ok <- which(!is.na(v))
        if (length(ok) == 0) next
        v <- v[min(ok):max(ok)]
        if (anyNA(v) || length(unique(v)) < 3) next
        if (length(v) > 240) v <- tail(v, 240)
        if (length(v) - horizon < 12) next
        out[[id]] <- v
      }
    }
  }
  out
}
GROUPS <- list(
  monthly = list(horizon = 18, periods = 12, series = pool_group(12, 18)),
  quarterly = list(horizon = 8, periods = 4, series = pool_group(4, 8)),
  yearly = list(horizon = 6, periods = 1, series = pool_group(1, 6)))

package io.fleetpredict.forecast;

import java.util.Locale;

/**
 * The components of an ETS model: error, trend and season, in the taxonomy of Hyndman, Koehler, Ord
 * and Snyder (2008). Multiplicative trend is not offered (R's {@code ets} also leaves it out unless
 * {@code allow.multiplicative.trend=TRUE}).
 */
record EtsSpec(boolean multiplicativeError, Trend trend, Season season) {

    enum Trend {
        NONE("N"), ADDITIVE("A"), DAMPED("Ad");

        final String code;

        Trend(String code) {
            this.code = code;
        }
    }

    enum Season {
        NONE("N"), ADDITIVE("A"), MULTIPLICATIVE("M");

        final String code;

        Season(String code) {
            this.code = code;
        }
    }

    EtsSpec {
        if (trend == null || season == null) {
            throw new NullPointerException("trend and season are required");
        }
    }

    /**
     * Parses the compact form used by R's {@code ets}: error, trend, season, with a damped trend
     * written {@code Ad}, as in {@code "AAN"}, {@code "MAdM"}, {@code "ANN"}.
     */
    static EtsSpec parse(String spec) {
        if (spec == null) {
            throw new NullPointerException("spec");
        }
        String s = spec.trim();
        String bad = String.format(Locale.ROOT,
                "spec must be error (A|M), trend (N|A|Ad), season (N|A|M), e.g. \"AAdM\"; was \"%s\"", spec);
        if (s.length() != 3 && s.length() != 4) {
            throw new IllegalArgumentException(bad);
        }
        char e = s.charAt(0);
        if (e != 'A' && e != 'M') {
            throw new IllegalArgumentException(bad);
        }
        String t = s.substring(1, s.length() - 1);
        Trend trend = switch (t) {
            case "N" -> Trend.NONE;
            case "A" -> Trend.ADDITIVE;
            case "Ad" -> Trend.DAMPED;
            case "M", "Md" -> throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "multiplicative trend is not supported (spec \"%s\"); use A or Ad", spec));
            default -> throw new IllegalArgumentException(bad);
        };
        Season season = switch (s.charAt(s.length() - 1)) {
            case 'N' -> Season.NONE;
            case 'A' -> Season.ADDITIVE;
            case 'M' -> Season.MULTIPLICATIVE;
            default -> throw new IllegalArgumentException(bad);
        };
        EtsSpec parsed = new EtsSpec(e == 'M', trend, season);
        if (!parsed.allowed()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ETS spec \"%s\" is a combination R's ets refuses as numerically unstable"
                            + " (additive error with multiplicative season)", spec));
        }
        return parsed;
    }

    /**
     * R's {@code restrict=TRUE}: additive error with a multiplicative trend or season is refused
     * (the multiplicative trend case cannot arise here).
     */
    boolean allowed() {
        return multiplicativeError || season != Season.MULTIPLICATIVE;
    }

    boolean seasonal() {
        return season != Season.NONE;
    }

    boolean trended() {
        return trend != Trend.NONE;
    }

    boolean damped() {
        return trend == Trend.DAMPED;
    }

    /** Whether the model needs strictly positive data (a multiplicative component). */
    boolean multiplicative() {
        return multiplicativeError || season == Season.MULTIPLICATIVE;
    }

    /** The compact form, {@code "MAdM"}. */
    String code() {
        return (multiplicativeError ? "M" : "A") + trend.code + season.code;
    }

    /** The conventional label, {@code "ETS(M,Ad,M)"}. */
    String label() {
        return "ETS(" + (multiplicativeError ? "M" : "A") + "," + trend.code + "," + season.code + ")";
    }

    /** The same model without its seasonal component. */
    EtsSpec nonSeasonal() {
        return new EtsSpec(multiplicativeError, trend, Season.NONE);
    }
}

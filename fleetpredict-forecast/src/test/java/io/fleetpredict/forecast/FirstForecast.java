package io.fleetpredict.forecast;

// The README's first forecast, quoted there from the tag on (without this package line).
// tag::first-forecast[]
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;

public class FirstForecast {
    public static void main(String[] args) {
        double[] requestsPerHour = new double[24 * 14];                 // two weeks of hourly load
        for (int i = 0; i < requestsPerHour.length; i++) {
            requestsPerHour[i] = 1000 + 400 * Math.sin(2 * Math.PI * i / 24) + (i % 7);
        }
        TimeSeries load = TimeSeries.of(Instant.parse("2024-10-01T00:00:00Z"), Duration.ofHours(1), requestsPerHour);
        FittedModel model = Forecasters.ets(24).fit(load);     // automatic ETS, chosen by AICc
        Forecast next = model.forecast(48, 80, 95);            // two days ahead, 80% and 95% intervals
        double expected = next.mean(0);                        // the next hour's point forecast
        double p90 = next.quantile(0.9, 0);                    // its 90th percentile (upper 80% bound)
        System.out.println(model.description());               // e.g. ETS(A,N,A) alpha=... AICc=...
        System.out.println("next hour: " + Math.round(expected) + ", 90th percentile " + Math.round(p90));
    }
}
// end::first-forecast[]

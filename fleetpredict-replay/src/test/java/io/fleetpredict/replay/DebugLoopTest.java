package io.fleetpredict.replay;

import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebugLoopTest {
    @Test
    void run() {
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 5000 + 3000 * Math.sin(i * 2 * Math.PI / 1440) + 200 * Math.sin(i * 0.7);
        }
        TimeSeries t = TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(1), v);
        Replay r = Replay.builder().trace(t).perInstance(1000).bootTime(Duration.ofMinutes(5)).pricePerHour(0.1)
                .warmUp(Duration.ofHours(24)).build();
        ReplayResult res = r.run(Policies.fleetpredict(0.999, List.of()));
        System.out.println(res);
        int[] a = res.activeInstances();
        for (int i = 0; i < 20; i++) System.out.print(a[i] + " ");
        System.out.println();
    }
}

package io.fleetpredict.core.predict;

import io.fleetpredict.core.document.Documents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void smoke() {
        long t0 = System.nanoTime();
        FleetModel m = Predictor.builder().build().fit(SampleFleet.history(), SampleFleet.events(), Instant.parse("2024-03-20T00:00:00Z"));
        long t1 = System.nanoTime();
        Prediction p = m.predict();
        System.out.println("fit ms " + (t1 - t0) / 1e6 + " predict ms " + (System.nanoTime() - t1) / 1e6);
        p.states().forEach(s -> System.out.println(Documents.write(s)));
        System.out.println(p.warnings());
        System.out.println(p.maintenance());
        System.out.println(p.events());
    }
}

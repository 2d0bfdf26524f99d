package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The exception keeps what it names when it crosses a serialization boundary (a remote call, a stored failure). */
class TooManySeriesExceptionTest {

    private static TooManySeriesException roundTrip(TooManySeriesException e) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (TooManySeriesException) in.readObject();
        }
    }

    @Test
    void serialization_roundTrip_keepsTheSeriesAndTheLimit() throws Exception {
        AccuracyKey key = new AccuracyKey("checkout", ResourceType.MEMORY, Horizon.MEDIUM_TERM);
        TooManySeriesException e = new TooManySeriesException(key, 500);

        TooManySeriesException read = roundTrip(e);

        assertEquals(key, read.key());
        assertEquals(500, read.maxSeries());
        assertEquals(e.getMessage(), read.getMessage());
    }

    @Test
    void serialization_roundTripOfTheFleetLevel_keepsTheSeriesWithoutAService() throws Exception {
        AccuracyKey key = AccuracyKey.fleet(ResourceType.CPU, Horizon.SHORT_TERM);

        assertEquals(key, roundTrip(new TooManySeriesException(key, 1)).key());
    }
}

package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The time a replay run has left, the loop's steps and the reference policies' counted apart. */
class ReplayRemainingTest {

    private static final long SECOND = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final AtomicLong now = new AtomicLong();

    /** The sample trace's run: the loop walks 2688 steps, three reference policies 1344 each. */
    private ReplayRemaining sampleRun() {
        ReplayRemaining r = new ReplayRemaining();
        r.add(true, 2688);
        for (int i = 0; i < 3; i++) {
            r.add(false, 1344);
        }
        return r;
    }

    @Test
    void line_referencesDoneLoopAnEighthIn_estimatesFromTheLoopsOwnRate() {
        // The review's case: at 2 s the reference policies are done and the loop an eighth in; 65% of all steps
        // are walked, which read as "about 1 s left" though the loop's seven eighths take another 14 s.
        ReplayRemaining remaining = sampleRun();
        Progress progress = Progress.start(new PrintWriter(text), Display.PLAIN, "replay 4 policies", 6720, "steps",
                now::get).estimatingWith(remaining::secondsLeft);
        remaining.group(false).advanced(4032);
        progress.advance(4032);
        remaining.group(true).advanced(336);
        progress.advance(336);
        now.set(2 * SECOND);

        assertEquals("replay 4 policies: 4368/6720 steps (65%), 2 s, about 14 s left", progress.line(4368, 2, false));
    }

    @Test
    void secondsLeft_eachGroupAtItsOwnRate_theSlowerOneCounts() {
        ReplayRemaining remaining = sampleRun();
        remaining.group(true).advanced(1344);
        remaining.group(false).advanced(1008);

        // The loop is half done (10 s more), the references a quarter (30 s more): they run side by side.
        assertEquals(30, remaining.secondsLeft(10), 1e-9);
        remaining.group(false).advanced(3024);
        assertEquals(10, remaining.secondsLeft(10), 1e-9);
    }

    @Test
    void secondsLeft_aGroupNotBegun_unknownAndNothingSaid() {
        ReplayRemaining remaining = sampleRun();
        remaining.group(false).advanced(4032);
        assertTrue(Double.isNaN(remaining.secondsLeft(3)));

        Progress progress = Progress.start(new PrintWriter(text), Display.PLAIN, "replay 4 policies", 6720, "steps",
                now::get).estimatingWith(remaining::secondsLeft);
        assertEquals("replay 4 policies: 4032/6720 steps (60%), 3 s", progress.line(4032, 3, false));
    }

    @Test
    void secondsLeft_onlyReferencePolicies_proportionalAsBefore() {
        ReplayRemaining remaining = new ReplayRemaining();
        remaining.add(false, 1000);
        remaining.group(false).advanced(250);
        assertEquals(30, remaining.secondsLeft(10), 1e-9);
    }
}

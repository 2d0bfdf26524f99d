package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final long SECOND = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text);
    private final AtomicLong now = new AtomicLong();

    private Progress start(Display display, long total) {
        return Progress.start(err, display, "evaluate", total, "series", now::get);
    }

    @Test
    void plain_linesAfterTheDelayAtEachInterval_andAFinalOne() {
        Progress p = start(Display.PLAIN, 100);
        now.set(SECOND);
        p.advance(10); // before the 2 s delay: silent
        assertEquals("", text.toString());
        now.set(3 * SECOND);
        p.advance(10);
        now.set(5 * SECOND);
        p.advance(10); // within 10 s of the last line: silent
        now.set(14 * SECOND);
        p.advance(20);
        now.set(20 * SECOND);
        p.advance(50);
        p.close();
        assertEquals(List.of(
                "evaluate: 20/100 series (20%), 3 s, about 12 s left",
                "evaluate: 50/100 series (50%), 14 s, about 14 s left",
                "evaluate: 100/100 series (100%), 20 s, done"), text.toString().lines().toList());
    }

    @Test
    void plain_quickWork_showsNothingAtAll() {
        Progress p = start(Display.PLAIN, 10);
        now.set(SECOND);
        p.advance(10);
        p.close();
        assertEquals("", text.toString());
    }

    @Test
    void terminal_barRedrawnInPlace_endsWithANewline() {
        Progress p = start(Display.TERMINAL, 4);
        now.set(SECOND);
        p.advance(1);
        now.set(2 * SECOND);
        p.advance(1);
        p.close();
        String s = text.toString();
        assertEquals("\revaluate: [######..................] 1/4 series (25%), 1 s, about 3 s left"
                + "\revaluate: [############............] 2/4 series (50%), 2 s, about 2 s left"
                + "\revaluate: [############............] 2/4 series (50%), 2 s, done" + " ".repeat(10) + "\n", s);
    }

    @Test
    void unknownTotal_countsWithoutABar() {
        Progress p = start(new Display(false, Duration.ZERO, Duration.ZERO), 0);
        p.advance(3);
        p.close();
        assertEquals(List.of("evaluate: 3 series, 0 s", "evaluate: 3 series, 0 s, done"), text.toString().lines().toList());
    }

    @Test
    void none_showsNothing() {
        Progress.NONE.advance(5);
        Progress.NONE.close();
        assertEquals(0, text.toString().length());
    }

    /** Many threads reporting at once: every unit is counted and every line is whole. */
    @Test
    void advance_concurrently_countsEveryUnitAndWritesWholeLines() throws InterruptedException {
        Progress p = Progress.start(err, new Display(false, Duration.ZERO, Duration.ZERO), "replay", 80_000, "steps");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    p.advance(1);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        p.close();
        assertEquals(80_000, p.done());
        List<String> lines = text.toString().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("replay: 80000/80000 steps (100%)"), lines.get(lines.size() - 1));
        lines.forEach(l -> assertTrue(l.matches("replay: \\d+/80000 steps \\(\\d+%\\), .*"), l));
    }
}

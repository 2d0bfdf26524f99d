package io.fleetpredict.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Shows how far a long piece of work has gone, on stderr, so stdout stays the command's result. The work
 * reports its own units as they finish ({@link #advance}), from any thread; the display only decides when to
 * show them: on a terminal a bar redrawn in place, otherwise a plain line every {@link Display#interval()}.
 * Nothing is shown for work that ends within {@link Display#delay()}.
 *
 * <p>With a total of 0 or less the amount of work is not known (yet): the count is shown without a bar.
 *
 * <p>The time left is the time so far in proportion to the units left, unless the work says better
 * ({@link #estimatingWith}): units that cost very different times (a step of the library's loop and one of a
 * reference policy) are not in proportion.
 */
final class Progress implements AutoCloseable {

    /** Shows nothing: for {@code --quiet}. */
    static final Progress NONE = new Progress(null, null, "", 0, "", System::nanoTime);

    private static final int BAR = 24;

    private final @Nullable PrintWriter err;
    private final @Nullable Display display;
    private final String task;
    private volatile long total;
    private final String unit;
    private final LongSupplier nanoTime;
    private final long started;
    private final AtomicLong done = new AtomicLong();
    private volatile DoubleUnaryOperator secondsLeft = DoubleUnaryOperator.identity();
    private volatile boolean proportional = true;
    private volatile long nextShow;
    private boolean shown;
    private int lastWidth;

    private Progress(@Nullable PrintWriter err, @Nullable Display display, String task, long total, String unit, LongSupplier nanoTime) {
        this.err = err;
        this.display = display;
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.nextShow = display == null ? Long.MAX_VALUE : started + display.delay().toNanos();
    }

    /**
     * Starts showing the progress of a piece of work.
     *
     * @param err where it is shown
     * @param display how it is shown
     * @param task what the work is, such as {@code evaluate auto}
     * @param total how many units it has, or 0 when not known
     * @param unit the unit's name in the plural, such as {@code series} or {@code steps}
     * @return the progress, to {@link #advance} and {@link #close}
     */
    static Progress start(PrintWriter err, Display display, String task, long total, String unit) {
        return start(err, display, task, total, unit, System::nanoTime);
    }

    static Progress start(PrintWriter err, Display display, String task, long total, String unit, LongSupplier nanoTime) {
        return new Progress(err, display, task, total, unit, nanoTime);
    }

    /**
     * Some more units are done; shows the progress when it is time to.
     *
     * @param units how many
     */
    void advance(long units) {
        done.addAndGet(units);
        if (display != null && nanoTime.getAsLong() >= nextShow) {
            show(false);
        }
    }

    /**
     * The work has done {@code units} of {@code newTotal}, as a library that counts its own work reports it.
     *
     * @param units the units done so far
     * @param newTotal the units in all, as now known
     */
    void reached(long units, long newTotal) {
        total = newTotal;
        done.set(units);
        if (display != null && nanoTime.getAsLong() >= nextShow) {
            show(false);
        }
    }

    /**
     * Estimates the time left with {@code secondsLeft}, from the seconds so far to the seconds left (NaN when
     * not known yet, and nothing is said), in place of the time so far in proportion to the units left.
     *
     * @param secondsLeft the estimate
     * @return this progress
     */
    Progress estimatingWith(DoubleUnaryOperator secondsLeft) {
        this.secondsLeft = secondsLeft;
        this.proportional = false;
        return this;
    }

    /** @return the units done so far */
    long done() {
        return done.get();
    }

    /** The work is over: a shown bar is completed and ended with a newline, plain lines end with a last one. */
    @Override
    public void close() {
        if (display != null) {
            synchronized (this) {
                if (shown) {
                    show(true);
                }
            }
        }
    }

    private synchronized void show(boolean last) {
        long now = nanoTime.getAsLong();
        Display display = this.display;
        PrintWriter err = this.err;
        if (display == null || err == null || !last && now < nextShow) {
            return;
        }
        nextShow = now + display.interval().toNanos();
        shown = true;
        String line = line(done.get(), (now - started) / 1e9, last);
        if (display.terminal()) {
            // Spaces wipe what a longer previous line left; the newline only once the work is over.
            err.print('\r' + line + " ".repeat(Math.max(0, lastWidth - line.length())) + (last ? "\n" : ""));
            lastWidth = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    String line(long n, double seconds, boolean last) {
        StringBuilder sb = new StringBuilder(task).append(": ");
        long total = this.total;
        if (total > 0) {
            double share = Math.min(1, (double) n / total);
            if (display != null && display.terminal()) {
                int filled = (int) Math.round(share * BAR);
                sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
            }
            sb.append(String.format(Locale.ROOT, "%d/%d %s (%d%%)", n, total, unit, (int) Math.floor(100 * share)));
        } else {
            sb.append(n).append(' ').append(unit);
        }
        sb.append(", ").append(duration(seconds));
        if (last) {
            sb.append(", done");
        } else if (total > 0 && n > 0 && n < total) {
            double left = proportional ? seconds * (total - n) / n : secondsLeft.applyAsDouble(seconds);
            if (Double.isFinite(left)) {
                sb.append(", about ").append(duration(left)).append(" left");
            }
        }
        return sb.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }
}

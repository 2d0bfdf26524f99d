package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.EventFeed;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The event feed of a {@link FleetPredictor}, read at most once a cycle: the predict step, the project step and
 * the check of the services the events name all see the feed as it was at that one read, so that a feed that
 * changes while a cycle runs cannot fit the model on one set of events and plan maintenance from another. Outside
 * a cycle (a step called alone) each read goes to the source.
 *
 * <p>The cycle's read is the first one a cycle makes, not one made up front, so a cycle that reads no events (no
 * history yet) does not call the source until it checks the services. A read that fails fails every reader of the
 * same cycle alike.
 */
final class CycleEvents implements Supplier<EventFeed> {

    private final Supplier<EventFeed> source;
    private @Nullable Thread cycling;
    private boolean read;
    private @Nullable EventFeed feed;
    private @Nullable RuntimeException failure;

    CycleEvents(Supplier<EventFeed> source) {
        this.source = Objects.requireNonNull(source, "events");
    }

    /** Starts a cycle run by the calling thread: its first read is kept until {@link #end()}. */
    synchronized void begin() {
        cycling = Thread.currentThread();
        clear();
    }

    /** Ends the cycle: later reads go to the source again. */
    synchronized void end() {
        cycling = null;
        clear();
    }

    private void clear() {
        read = false;
        feed = null;
        failure = null;
    }

    @Override
    @SuppressWarnings("NullAway") // the source's null is passed on for the reader to refuse, naming the supplier
    public synchronized EventFeed get() {
        if (cycling != Thread.currentThread()) {
            return source.get();
        }
        if (!read) {
            read = true;
            try {
                feed = source.get();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        return feed;
    }
}

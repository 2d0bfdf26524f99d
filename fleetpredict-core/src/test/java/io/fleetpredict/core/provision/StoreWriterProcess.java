package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.cloud.PurchaseOption;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A separate JVM that writes a fleet through the directory store, for the tests that kill it or run
 * several of it at once. It prints one line per acknowledged commit, so the test knows what the store
 * promised before the process died.
 *
 * <p>{@code crash DIR FLEET TAG}: forever, opens an intent and then settles it, one commit each.
 * {@code race DIR FLEET TAG COUNT}: commits COUNT intents by compare-and-set, re-reading after each lost
 * race, and reads the whole history every fifth attempt; exits 0, or 1 on any exception.
 */
final class StoreWriterProcess {

    /** How many intents a crash writer keeps; a test checks the last acknowledged one, always among them. */
    static final int KEPT = 64;

    private StoreWriterProcess() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            FleetStateStore store = FleetStateStores.directory(Path.of(args[1]));
            String fleetId = args[2];
            String tag = args[3];
            out.println("ready");
            out.flush();
            if (args[0].equals("crash")) {
                crash(store, fleetId, tag, out);
            } else {
                race(store, fleetId, tag, Integer.parseInt(args[4]), out);
            }
        } catch (RuntimeException e) {
            e.printStackTrace(out);
            out.flush();
            System.exit(1);
        }
    }

    private static void crash(FleetStateStore store, String fleetId, String tag, PrintStream out) {
        for (int n = 0; ; n++) {
            StoredFleet current = store.read(fleetId);
            String id = tag + "-" + n;
            ProvisioningIntent opened = intent(id, current.version());
            List<ProvisioningIntent> intents = new ArrayList<>(current.intents());
            // Settled intents are pruned as a host would, keeping the file small over thousands of commits.
            while (intents.size() >= KEPT) {
                intents.remove(0);
            }
            intents.add(opened);
            StoredFleet withOpen = Fixtures.next(current, intents);
            if (!store.compareAndSet(current.version(), withOpen)) {
                throw new IllegalStateException("a lone writer lost a compare-and-set at " + current.version());
            }
            ack(out, withOpen.version(), id, "open");
            intents.set(intents.size() - 1, opened.settle(ProvisioningIntent.Status.DONE, List.of("i-" + id)));
            StoredFleet settled = Fixtures.next(withOpen, intents);
            if (!store.compareAndSet(withOpen.version(), settled)) {
                throw new IllegalStateException("a lone writer lost a compare-and-set at " + withOpen.version());
            }
            ack(out, settled.version(), id, "done");
        }
    }

    private static void race(FleetStateStore store, String fleetId, String tag, int count, PrintStream out) {
        int lost = 0;
        for (int n = 0; n < count; ) {
            StoredFleet current = store.read(fleetId);
            String id = tag + "-" + n;
            List<ProvisioningIntent> intents = new ArrayList<>(current.intents());
            intents.add(intent(id, current.version()));
            if (store.compareAndSet(current.version(), Fixtures.next(current, intents))) {
                ack(out, current.version() + 1, id, "open");
                n++;
            } else {
                lost++;
            }
            if ((n + lost) % 5 != 0) {
                continue;
            }
            // Now and then, the whole history while the others write: it must be whole and in order.
            List<FleetState> history = store.history(fleetId);
            for (int v = 0; v < history.size(); v++) {
                if (history.get(v).version() != v) {
                    throw new IllegalStateException("history position " + v + " holds version " + history.get(v).version());
                }
            }
        }
        out.println("lost " + lost);
        out.flush();
    }

    private static void ack(PrintStream out, long version, String id, String status) {
        out.println(String.format(Locale.ROOT, "ack %d %s %s", version, id, status));
        out.flush();
    }

    private static ProvisioningIntent intent(String id, long version) {
        return new ProvisioningIntent(id, "c-" + version, "fp-key-" + id, "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, 1, 1, 0.096, Instant.parse("2025-03-01T12:00:00Z"),
                ProvisioningIntent.Status.OPEN, List.of());
    }
}

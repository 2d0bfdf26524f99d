package io.fleetpredict.cloud.tck;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.lang.reflect.UndeclaredThrowableException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The provider as one check sees it: every call runs on a daemon thread and is waited for at most the kit's
 * call timeout, so a call that never returns fails its check, naming the call and the limit, instead of
 * blocking the kit; the ids every provision returns are recorded for the check's cleanup.
 *
 * <p>It implements {@link CloudProvider} itself rather than forwarding, so that a call added to the interface
 * fails to compile here instead of reaching the provider without a limit.
 */
final class BoundedProvider implements CloudProvider {

    /**
     * Where the calls run: daemon threads, so a call that never returns, even one that ignores the interrupt it is
     * sent, keeps neither the JVM nor a later check waiting; a new thread whenever none is free, so a later call
     * never queues behind a hung one.
     */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(daemonThreads("fleetpredict-tck-call"));

    private final CloudProvider provider;
    private final Duration limit;
    private final String checkName;
    private final Set<String> launched;

    /**
     * @param provider the provider under test
     * @param limit how long each call may take, positive
     * @param checkName the running check, which a timeout failure names
     * @param launched where the ids of launched instances are added
     */
    BoundedProvider(CloudProvider provider, Duration limit, String checkName, Set<String> launched) {
        this.provider = provider;
        this.limit = limit;
        this.checkName = checkName;
        this.launched = launched;
    }

    /** Daemon threads named after what they run, numbered. */
    static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A duration in seconds as a person reads it: {@code 30 s}, {@code 0.25 s}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros()
                .toPlainString() + " s";
    }

    /** The duration in nanoseconds, at most {@code Long.MAX_VALUE} (about 292 years). */
    static long nanosAtMost(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String name() {
        return bounded("name()", provider::name);
    }

    @Override
    public Set<Capability> capabilities() {
        return bounded("capabilities()", provider::capabilities);
    }

    @Override
    public List<Offer> offers() {
        return bounded("offers()", provider::offers);
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        return bounded("provision(" + request + ")", () -> {
            ProvisionResult result = provider.provision(request);
            // Recorded by the call itself, so a launch that answers only after its check gave up on it is still
            // released, by the cleanup of whichever check runs then.
            result.instances().forEach(i -> launched.add(i.id()));
            return result;
        });
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        return bounded("release(" + request + ")", () -> provider.release(request));
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        return bounded("describe(" + request + ")", () -> provider.describe(request));
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        return bounded("configure(" + request + ")", () -> provider.configure(request));
    }

    @Override
    public String toString() {
        return provider.toString();
    }

    /**
     * Runs the call on a daemon thread and waits for it at most the limit; what it throws is thrown here as it is.
     *
     * @throws CallTimedOut naming the check, the call and the limit, once the limit has passed
     */
    private <T> T bounded(String call, Callable<T> action) {
        AtomicReference<@Nullable Thread> runner = new AtomicReference<>();
        Future<T> future = CALLS.submit(() -> {
            runner.set(Thread.currentThread());
            try {
                return action.call();
            } finally {
                runner.set(null);
            }
        });
        try {
            return future.get(nanosAtMost(limit), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            CallTimedOut failure = new CallTimedOut(String.format(Locale.ROOT,
                    "%s: %s did not return within %s (the kit's callTimeout(); override it if the provider needs longer)",
                    checkName, call, seconds(limit)));
            Thread stuck = runner.get();
            if (stuck != null) {
                // Where the provider was stuck, which the check's own stack cannot show.
                Throwable where = new Throwable(call + " was here when the limit passed");
                where.setStackTrace(stuck.getStackTrace());
                failure.initCause(where);
            }
            future.cancel(true);
            throw failure;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new AssertionError(String.format(Locale.ROOT, "%s: interrupted while waiting for %s", checkName, call), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            // Only a provider that throws a checked exception its methods do not declare gets here.
            throw new UndeclaredThrowableException(cause, call + " threw " + cause);
        }
    }

    /** A provider call that did not return within the kit's call timeout: the check fails with this. */
    static final class CallTimedOut extends AssertionError {
        private static final long serialVersionUID = 1L;

        CallTimedOut(String message) {
            super(message);
        }
    }
}

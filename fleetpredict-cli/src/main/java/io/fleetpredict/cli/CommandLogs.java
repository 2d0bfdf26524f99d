package io.fleetpredict.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command's SLF4J binding: the library's log lines go to the running command's stderr, and only when it
 * was given {@code --verbose} (INFO and above); otherwise nowhere. A binding of its own rather than
 * slf4j-simple because slf4j-simple fixes its level and stream once per process, from system properties
 * read before the command line is parsed, where this follows each run of {@link Main#run}.
 *
 * <p>Found by SLF4J through {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}.
 */
public final class CommandLogs implements SLF4JServiceProvider {

    /** Where log lines go now; null while no run asked for them. */
    private static volatile @Nullable PrintWriter sink;

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, LineLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Creates the binding; SLF4J does, through {@link java.util.ServiceLoader}. */
    public CommandLogs() {
    }

    /**
     * Sends log lines to {@code err} from now on, or drops them when {@code err} is null.
     *
     * @param err the running command's stderr, or null
     */
    static void sendTo(@Nullable PrintWriter err) {
        sink = err;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Nothing to set up: every logger looks at the sink when it writes.
    }

    /** One logger: a line {@code LEVEL logger: message} per event, the stack trace after it. */
    private static final class LineLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        LineLogger(String name) {
            this.name = name;
        }

        private static boolean on() {
            return sink != null;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return on();
        }

        @Override
        public boolean isWarnEnabled() {
            return on();
        }

        @Override
        public boolean isErrorEnabled() {
            return on();
        }

        @Override
        protected @Nullable String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
                Object[] arguments, Throwable throwable) {
            PrintWriter out = sink;
            if (out == null) {
                return;
            }
            StringBuilder sb = new StringBuilder().append(level).append(' ').append(name).append(": ")
                    .append(MessageFormatter.basicArrayFormat(messagePattern, arguments));
            if (throwable != null) {
                StringWriter trace = new StringWriter();
                throwable.printStackTrace(new PrintWriter(trace));
                sb.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            }
            synchronized (out) {
                out.println(sb);
                out.flush();
            }
        }
    }
}

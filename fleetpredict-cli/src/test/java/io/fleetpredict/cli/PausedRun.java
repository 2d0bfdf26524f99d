package io.fleetpredict.cli;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The command run by {@link Main#main} in a child JVM that stops, whole, on entering any of the given methods,
 * so that a test can act at an exact point of the run (kill it there with {@code kill -9}, change a file) and
 * then let it go on. It is stopped through the JVM's debugging interface, from outside: the command holds no
 * hook for tests.
 */
final class PausedRun implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String END = "<end>";

    private final Process process;
    private final VirtualMachine vm;
    private final Path log;
    private final BlockingQueue<String> stops = new LinkedBlockingQueue<>();

    private PausedRun(Process process, VirtualMachine vm, Path log) {
        this.process = process;
        this.vm = vm;
        this.log = log;
    }

    /**
     * Starts the command, to stop on entering each of {@code methods} ({@code "io.fleetpredict.cli.OutputFiles.write"}).
     *
     * @param log where the child's stdout and stderr go
     */
    static PausedRun start(Path log, List<String> methods, String... args) throws Exception {
        ListeningConnector connector = Bootstrap.virtualMachineManager().listeningConnectors().stream()
                .filter(c -> c.transport().name().equals("dt_socket")).findFirst().orElseThrow();
        Map<String, Connector.Argument> arguments = connector.defaultArguments();
        arguments.get("port").setValue("0");
        arguments.get("localAddress").setValue("127.0.0.1");
        arguments.get("timeout").setValue(String.valueOf(WAIT.toMillis()));
        String address = connector.startListening(arguments);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=" + address,
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        VirtualMachine vm;
        try {
            vm = connector.accept(arguments);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        } finally {
            connector.stopListening(arguments);
        }
        PausedRun run = new PausedRun(process, vm, log);
        run.watch(methods);
        return run;
    }

    private void watch(List<String> methods) {
        for (String method : methods) {
            ClassPrepareRequest prepared = vm.eventRequestManager().createClassPrepareRequest();
            prepared.addClassFilter(className(method));
            prepared.setSuspendPolicy(EventRequest.SUSPEND_ALL);
            prepared.enable();
        }
        Thread events = new Thread(() -> {
            try {
                while (true) {
                    EventSet set = vm.eventQueue().remove();
                    boolean resume = true;
                    for (Event e : set) {
                        if (e instanceof ClassPrepareEvent p) {
                            breakIn(p.referenceType(), methods);
                        } else if (e instanceof BreakpointEvent b) {
                            resume = false; // left stopped until the test resumes or kills it
                            stops.add(b.location().declaringType().name() + "." + b.location().method().name());
                        } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
                            stops.add(END);
                            return;
                        }
                    }
                    if (resume) {
                        set.resume();
                    }
                }
            } catch (InterruptedException | RuntimeException e) {
                stops.add(END);
            }
        }, "paused-run-events");
        events.setDaemon(true);
        // The run stands stopped at its start (suspend=y) until the loop above resumes the start event's set.
        events.start();
    }

    private void breakIn(ReferenceType type, List<String> methods) {
        for (String method : methods) {
            if (className(method).equals(type.name())) {
                for (Method m : type.methodsByName(method.substring(method.lastIndexOf('.') + 1))) {
                    if (m.location() != null) {
                        BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(m.location());
                        request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
                        request.enable();
                    }
                }
            }
        }
    }

    private static String className(String method) {
        return method.substring(0, method.lastIndexOf('.'));
    }

    /**
     * Waits for the run to stop at one of its methods.
     *
     * @return the method, {@code class.method}
     * @throws AssertionError when the run ends instead, or does not stop in time
     */
    String awaitStop() throws InterruptedException, IOException {
        String stop = stops.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (stop == null || stop.equals(END)) {
            throw new AssertionError("the run " + (stop == null ? "did not stop in time" : "ended") + "; it printed:\n"
                    + output());
        }
        return stop;
    }

    /** Lets the stopped run go on. */
    void resume() {
        vm.resume();
    }

    /** Kills the run where it stands, as {@code kill -9} does, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the run did not end once killed");
        }
    }

    /** Lets the run go on to its end, stopping no more, and returns its exit code. */
    int finish() throws InterruptedException {
        vm.eventRequestManager().deleteAllBreakpoints();
        vm.resume();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the run did not end");
        }
        return process.exitValue();
    }

    /** What the run printed, stdout and stderr together. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            vm.dispose();
        } catch (RuntimeException e) {
            // The run is gone, and the connection with it.
        }
    }
}

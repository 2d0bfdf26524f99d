package io.fleetpredict.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.jspecify.annotations.Nullable;

/**
 * The command's standard output, and the one check that what was printed on it reached it. A
 * {@link PrintWriter} swallows the error of a failed write (a full disk, a closed pipe) and only remembers that
 * one happened: a result lost that way must fail the command, not exit 0. This writer also keeps the error
 * itself, so the message can say why.
 */
final class StandardOutput extends PrintWriter {

    private final FailureKeeping stream;

    /** Writes to {@code stream} in {@code charset}, flushing at each line as {@code System.out} does. */
    StandardOutput(OutputStream stream, Charset charset) {
        this(new FailureKeeping(stream), charset);
    }

    private StandardOutput(FailureKeeping stream, Charset charset) {
        super(new OutputStreamWriter(stream, charset), true);
        this.stream = stream;
    }

    /** The process's standard output, in the encoding {@code System.out} uses. */
    static StandardOutput ofProcess() {
        return new StandardOutput(new FileOutputStream(FileDescriptor.out), encoding());
    }

    /**
     * The encoding of {@code System.out}: {@code stdout.encoding} where the runtime sets it (Java 19 on), the older
     * {@code sun.stdout.encoding} (a Windows console), else the default charset, as Java 17 chooses.
     */
    private static Charset encoding() {
        for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
            String name = System.getProperty(property);
            try {
                if (name != null && Charset.isSupported(name)) {
                    return Charset.forName(name);
                }
            } catch (IllegalArgumentException e) {
                // Not a charset name: the next one decides.
            }
        }
        return Charset.defaultCharset();
    }

    /**
     * Flushes {@code out} and fails when anything printed on it so far could not be written. A command calls it
     * before it records what it printed (an audit line); {@code Main} calls it once every command has run.
     *
     * @throws InvalidInputException saying standard output cannot be written, and why when that is known
     */
    static void flush(PrintWriter out) {
        out.flush();
        if (out.checkError()) {
            throw notWritten(out);
        }
    }

    /** The error of output that was not written: invalid input (exit 3), as any output path that cannot be written. */
    static InvalidInputException notWritten(PrintWriter out) {
        IOException why = out instanceof StandardOutput s ? s.stream.failure : null;
        if (why == null) {
            return new InvalidInputException("standard output: cannot write");
        }
        String reason = why.getMessage() == null || why.getMessage().isBlank() ? why.getClass().getSimpleName()
                : why.getMessage();
        return new InvalidInputException("standard output: cannot write: " + reason, why);
    }

    /** Passes bytes through, keeping the first error a write or a flush met. */
    private static final class FailureKeeping extends FilterOutputStream {
        private @Nullable IOException failure;

        FailureKeeping(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw kept(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw kept(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw kept(e);
            }
        }

        private IOException kept(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}

package io.fleetpredict.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a file whole as strict UTF-8, to a bound: the documents, the state store's files and anything else the
 * core library reads in one piece. Internal: no compatibility promise.
 */
public final class TextFiles {

    /**
     * The most bytes a file read whole may hold, 8 MiB: the documents' limit (their parser keeps the same one in
     * characters), and the bound on every other file or line the library reads in one piece.
     */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    private static final String PROBLEM = String.format(Locale.ROOT, "larger than %d bytes", MAX_BYTES);

    private TextFiles() {}

    /**
     * A file that holds more than {@link #MAX_BYTES} bytes; its message says so without naming the file, which
     * the caller names once, as for any other error in it.
     */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super(PROBLEM);
        }

        /**
         * What is wrong, for a caller's own error.
         *
         * @return {@code larger than 8388608 bytes}
         */
        public String problem() {
            return PROBLEM;
        }
    }

    /**
     * Why a file could not be read, in a few words for a message that names the file already: {@code no such
     * file}, {@code is a folder, not a file}, {@code permission denied}, or else the exception's own words. The
     * exceptions of {@link java.nio.file.Files} carry only the path as their message, which says nothing.
     *
     * @param file the file
     * @param e what reading it threw
     * @return the reason
     */
    public static String reason(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "a link to a missing file" : "no such file";
        }
        if (Files.isDirectory(file)) {
            return "is a folder, not a file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * Reads a file of at most {@link #MAX_BYTES} bytes as strict UTF-8. It is read to one byte past the limit at
     * most, whatever size it reports: a device or a pipe ({@code /dev/zero}, a process's output) reports 0 and may
     * never end, and a file may grow after its size was read.
     *
     * @param file the file
     * @param options how to open it, for example {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}
     * @return its text
     * @throws TooLargeException when it holds more than {@link #MAX_BYTES} bytes
     * @throws CharacterCodingException when it is not valid UTF-8
     * @throws IOException when it cannot be read
     */
    public static String read(Path file, OpenOption... options) throws IOException {
        byte[] bytes;
        try (SeekableByteChannel channel = Files.newByteChannel(file, options)) {
            if (channel.size() > MAX_BYTES) {
                throw new TooLargeException(); // refused unread
            }
            InputStream in = Channels.newInputStream(channel);
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new TooLargeException();
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}

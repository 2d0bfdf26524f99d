package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md matches the command: every command and option it names exists in the command model, every
 * command and visible option of the model is documented in its section, the models it lists are the ones
 * {@code --help} lists, every example command runs with its documented exit code (0 unless the line says
 * {@code # exit N}), its JSON examples write numbers as the commands do, and provisioning.md's transcripts are
 * what the command prints.
 *
 * <p>Examples run in process, from the repository root, with outputs under {@code target/} sent to a
 * temporary folder. Two run on smaller data than the bundled sample, so the suite stays quick: {@code predict}
 * on the sample's last 8 days, {@code replay} on the sample trace's last 15 days summed hourly (a quarter of
 * the loop's cycles); the options are as written.
 */
class CliDocTest {

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][a-zA-Z-]*)");
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`");
    private static final Set<String> STANDARD = Set.of("-h", "--help", "-V", "--version");

    @TempDir
    static Path tmp;

    private static Path root;
    private static String doc;
    private static CommandSpec model;
    /** Each "## " section's text, by its title. */
    private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException {
        root = CommandRun.examples().getParent().getParent();
        doc = Files.readString(root.resolve("docs/cli.md"));
        model = new CommandLine(newMain()).getCommandSpec();
        String title = "";
        StringBuilder text = new StringBuilder();
        for (String line : doc.lines().toList()) {
            if (line.startsWith("## ")) {
                SECTIONS.put(title, text.toString());
                title = line.substring(3).strip();
                text = new StringBuilder();
            } else {
                text.append(line).append('\n');
            }
        }
        SECTIONS.put(title, text.toString());
    }

    private static Object newMain() {
        try {
            var c = Main.class.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command a command line names, after {@code fleetpredict}: the longest chain of subcommand names. */
    private static CommandSpec command(List<String> words) {
        CommandSpec spec = model;
        for (String w : words) {
            CommandLine sub = spec.subcommands().get(w);
            if (sub == null) {
                break;
            }
            spec = sub.getCommandSpec();
        }
        return spec;
    }

    private static Set<String> optionNames(CommandSpec spec) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            names.addAll(List.of(o.names()));
        }
        return names;
    }

    /** Every option any command has. */
    private static Set<String> allOptions(CommandSpec spec) {
        Set<String> names = new TreeSet<>(optionNames(spec));
        spec.subcommands().values().forEach(c -> names.addAll(allOptions(c.getCommandSpec())));
        return names;
    }

    private static List<String> words(String line) {
        return List.of(line.strip().split("\\s+"));
    }

    /** The command lines in code blocks: usage lines ({@code fleetpredict ...}) and examples ({@code ./fleetpredict ...}). */
    private static List<String> commandLines(String text) {
        List<String> lines = new ArrayList<>();
        boolean inCode = false;
        StringBuilder current = null;
        for (String line : text.lines().toList()) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                if (current != null) {
                    lines.add(current.toString());
                    current = null;
                }
                continue;
            }
            if (!inCode) {
                continue;
            }
            boolean starts = line.startsWith("fleetpredict ") || line.startsWith("./fleetpredict ");
            if (starts) {
                if (current != null) {
                    lines.add(current.toString());
                }
                current = new StringBuilder(line);
            } else if (current != null && (line.startsWith(" ") || current.toString().endsWith("\\"))) {
                current.append(' ').append(line);
            } else if (current != null) {
                lines.add(current.toString());
                current = null;
            }
        }
        if (current != null) {
            lines.add(current.toString());
        }
        return lines.stream().map(l -> l.replace("\\", " ").replaceAll("\\s+", " ").strip()).toList();
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf(" #");
        return hash < 0 ? line : line.substring(0, hash);
    }

    @Test
    void everyCommandLineInTheDoc_namesACommandAndItsOptions() {
        List<String> lines = commandLines(doc);
        assertTrue(lines.size() > 20, lines.toString());
        for (String line : lines) {
            List<String> w = words(withoutComment(line));
            CommandSpec spec = command(w.subList(1, w.size()));
            if (w.size() > 1 && !w.get(1).startsWith("-")) {
                assertFalse(spec == model, "no command " + w.get(1) + " in: " + line);
            }
            Set<String> known = optionNames(spec);
            Matcher m = OPTION.matcher(withoutComment(line));
            while (m.find()) {
                assertTrue(known.contains(m.group(1)), m.group(1) + " is not an option of " + spec.qualifiedName()
                        + ", in: " + line);
            }
        }
    }

    /** A usage line writes each option's value as {@code --help} does: {@code --id=ID}, never {@code --id=<id>} there. */
    @Test
    void usageLines_labelEachValueAsTheHelpDoes() {
        Pattern labelled = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)=([^\\]\\s.]+)");
        List<String> wrong = new ArrayList<>();
        for (String line : commandLines(doc).stream().filter(l -> l.startsWith("fleetpredict ")).toList()) {
            CommandSpec spec = command(words(line).subList(1, words(line).size()));
            Matcher m = labelled.matcher(line);
            while (m.find()) {
                OptionSpec option = spec.findOption(m.group(1));
                if (option != null && !option.paramLabel().equals(m.group(2))) {
                    wrong.add(spec.qualifiedName() + " " + m.group() + ": the help writes " + m.group(1) + "="
                            + option.paramLabel());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyOptionInASection_isAnOptionOfThatSectionsCommand() {
        for (Map.Entry<String, String> section : SECTIONS.entrySet()) {
            CommandLine sub = model.subcommands().get(section.getKey());
            if (section.getKey().equals("Other commands")) {
                for (String bullet : section.getValue().lines().filter(l -> l.startsWith("- `")).toList()) {
                    Matcher usage = INLINE.matcher(bullet);
                    assertTrue(usage.find(), bullet);
                    CommandSpec spec = command(words(usage.group(1)));
                    assertFalse(spec == model, "no command in: " + bullet);
                    Set<String> known = optionNames(spec);
                    Matcher m = INLINE.matcher(bullet);
                    while (m.find()) {
                        Matcher o = OPTION.matcher(m.group(1));
                        while (o.find()) {
                            assertTrue(known.contains(o.group(1)), o.group(1) + " of " + spec.qualifiedName() + " in: "
                                    + bullet);
                        }
                    }
                }
                continue;
            }
            Set<String> known = sub == null ? allOptions(model) : allOptions(sub.getCommandSpec());
            Matcher m = INLINE.matcher(section.getValue());
            while (m.find()) {
                String code = m.group(1);
                if (code.startsWith("fleetpredict") || code.startsWith("./fleetpredict")) {
                    continue; // a whole command line, checked above
                }
                Matcher o = OPTION.matcher(code);
                while (o.find()) {
                    if (o.group(1).matches("--?[a-z-]+") && code.strip().startsWith("-")) {
                        assertTrue(known.contains(o.group(1)), o.group(1) + " in section '" + section.getKey()
                                + "' is not an option of " + (sub == null ? "any command" : sub.getCommandName()));
                    }
                }
            }
        }
    }

    /** The other way round: each command has a section or a bullet, and each of its options is named there. */
    @Test
    void everyCommandAndVisibleOption_isDocumented() {
        List<String> missing = new ArrayList<>();
        String bullets = SECTIONS.getOrDefault("Other commands", "");
        for (Map.Entry<String, CommandLine> e : model.subcommands().entrySet()) {
            String name = e.getKey();
            if (name.equals("help")) {
                continue;
            }
            String text = SECTIONS.containsKey(name) ? SECTIONS.get(name)
                    : bullets.lines().filter(l -> l.startsWith("- `" + name + " ")).findFirst().orElse(null);
            if (text == null) {
                missing.add("command " + name);
                continue;
            }
            List<CommandSpec> specs = new ArrayList<>();
            specs.add(e.getValue().getCommandSpec());
            e.getValue().getSubcommands().values().forEach(c -> specs.add(c.getCommandSpec()));
            for (CommandSpec spec : specs) {
                for (OptionSpec o : spec.options()) {
                    if (o.hidden() || Stream.of(o.names()).anyMatch(STANDARD::contains)
                            || o.names()[o.names().length - 1].matches("--(quiet|verbose)")) {
                        continue;
                    }
                    if (Stream.of(o.names()).noneMatch(n -> Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])")
                            .matcher(text).find())) {
                        missing.add(spec.qualifiedName() + " " + String.join("/", o.names()));
                    }
                }
            }
        }
        // --quiet and --verbose are on every command and documented once, under Conventions.
        assertTrue(SECTIONS.get("Conventions").contains("`--quiet`") && SECTIONS.get("Conventions").contains("`--verbose`"));
        assertEquals(List.of(), missing);
    }

    @Test
    void forecastModels_sameInTheDocAndTheHelp() {
        Matcher m = Pattern.compile("Models: (.*?)\\.\\s", Pattern.DOTALL).matcher(SECTIONS.get("forecast"));
        assertTrue(m.find());
        Set<String> documented = new TreeSet<>();
        Matcher name = INLINE.matcher(m.group(1));
        while (name.find()) {
            documented.add(name.group(1));
        }
        assertEquals(new TreeSet<>(ModelNames.names()), documented);
        CommandRun help = CommandRun.of("forecast", "--help");
        ModelNames.names().forEach(n -> assertTrue(help.out().contains(n), n + " not in --help"));
        Matcher evaluate = Pattern.compile("models include (.*?);").matcher(SECTIONS.get("Other commands"));
        assertTrue(evaluate.find());
        Matcher extra = INLINE.matcher(evaluate.group(1));
        List<String> candidates = new ArrayList<>();
        new ModelNames.EvaluateCandidates().forEach(candidates::add);
        while (extra.find()) {
            assertTrue(candidates.contains(extra.group(1)), extra.group(1));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExample_runsWithItsDocumentedExitCode() throws IOException {
        Path sample = Path.of("fleetpredict-cli/src/main/resources/sample");
        Map<Path, Path> smaller = Map.of(
                sample, lastDays(root.resolve(sample), tmp.resolve("sample-8d"), 8),
                sample.resolve("checkout.activity.transactions.csv"),
                hourly(lastDays(root.resolve(sample), tmp.resolve("sample-15d"), 15)
                        .resolve("checkout.activity.transactions.csv")));
        List<String> examples = commandLines(doc).stream().filter(l -> l.startsWith("./fleetpredict")).toList();
        assertTrue(examples.size() >= 12, examples.toString());
        return examples.stream().map(line -> DynamicTest.dynamicTest(line, () -> {
            Matcher exit = Pattern.compile("# exit (\\d)").matcher(line);
            int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
            List<String> args = new ArrayList<>();
            for (String w : words(withoutComment(line)).subList(1, words(withoutComment(line)).size())) {
                args.addAll(resolve(w, smaller));
            }
            CommandRun r = CommandRun.of(args.toArray(String[]::new));
            assertEquals(expected, r.code(), () -> line + "\n" + r);
        }));
    }

    /** A path of the repository made absolute, an output under target/ sent to the temporary folder, a glob expanded. */
    private static List<String> resolve(String word, Map<Path, Path> smaller) throws IOException {
        if (word.startsWith("-") || !word.contains("/")) {
            return List.of(word);
        }
        if (word.startsWith("target/")) {
            return List.of(tmp.resolve("out").resolve(word.substring("target/".length())).toString());
        }
        if (word.contains("*")) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + word);
            Path dir = root.resolve(word.substring(0, word.lastIndexOf('/')));
            List<String> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> glob.matches(root.relativize(p))).sorted().forEach(p -> files.add(p.toString()));
            }
            assertFalse(files.isEmpty(), word);
            return files;
        }
        Path p = Path.of(word);
        Path small = smaller.get(p);
        if (small != null) {
            return List.of(small.toString());
        }
        assertTrue(Files.exists(root.resolve(p)), word + " does not exist");
        return List.of(root.resolve(p).toString());
    }

    /** The sample folder with each CSV cut to its last {@code days} days and the documents as they are. */
    private static Path lastDays(Path sample, Path into, int days) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(sample)) {
            for (Path f : files.toList()) {
                if (!f.toString().endsWith(".csv")) {
                    Files.copy(f, into.resolve(f.getFileName()));
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                Instant last = Instant.parse(lines.get(lines.size() - 1).split(",")[0]);
                Instant from = last.minus(Duration.ofDays(days)).plusSeconds(1);
                List<String> kept = new ArrayList<>(List.of(lines.get(0)));
                lines.stream().skip(1).filter(l -> !Instant.parse(l.split(",")[0]).isBefore(from)).forEach(kept::add);
                Files.write(into.resolve(f.getFileName()), kept);
            }
        }
        return into;
    }

    /** A 15-minute trace summed into hours, beside the original. */
    private static Path hourly(Path trace) throws IOException {
        List<String> lines = Files.readAllLines(trace);
        Map<Instant, Double> sums = new java.util.TreeMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] cells = l.split(",");
            Instant t = Instant.parse(cells[0]).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            sums.merge(t, Double.parseDouble(cells[1]), Double::sum);
        }
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        sums.forEach((t, v) -> out.add(t + "," + v));
        Path file = trace.resolveSibling("hourly-" + trace.getFileName());
        Files.write(file, out);
        return file;
    }

    /**
     * The JSON shown is the JSON written: numbers in the shortest form, as Conventions says ({@code 90}, never
     * {@code 90.0}), so an example copied from an older output does not linger.
     */
    @Test
    void jsonExamples_writeNumbersInTheShortestForm() {
        Matcher block = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(doc);
        int blocks = 0;
        while (block.find()) {
            blocks++;
            String json = block.group(1).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
            Matcher trailingZero = Pattern.compile("(?<![\\w.])-?\\d+\\.0(?![\\d])").matcher(json);
            assertFalse(trailingZero.find(), () -> "a number written as " + trailingZero.group() + " in:\n" + block.group(1));
        }
        assertTrue(blocks >= 4, "JSON examples found: " + blocks);
    }

    /**
     * provisioning.md's transcripts ({@code $ ./fleetpredict ...} and what follows) are what the command prints,
     * run from the repository root as cli.md says the command is run.
     */
    @Test
    void provisioningTranscripts_printWhatTheDocShows() throws IOException {
        String provisioning = Files.readString(root.resolve("docs/provisioning.md"));
        Matcher block = Pattern.compile("```\n(\\$ [^\n]*)\n(.*?)```", Pattern.DOTALL).matcher(provisioning);
        int transcripts = 0;
        while (block.find()) {
            transcripts++;
            String line = block.group(1);
            assertTrue(line.startsWith("$ ./fleetpredict "), "a transcript runs ./fleetpredict from the repository root: " + line);
            List<String> args = new ArrayList<>();
            for (String w : words(line).subList(2, words(line).size())) {
                args.add(w.contains("/") ? root.resolve(w).toString() : w);
            }
            CommandRun r = CommandRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), () -> line + "\n" + r);
            assertEquals(block.group(2), r.out(), line);
        }
        assertTrue(transcripts >= 3, "transcripts found: " + transcripts);
    }

    @Test
    void sectionsAreTheCommands() {
        Set<String> commands = new LinkedHashSet<>(model.subcommands().keySet());
        commands.remove("help");
        for (String title : SECTIONS.keySet()) {
            if (!title.isEmpty() && !title.equals("Conventions") && !title.equals("Other commands")) {
                assertTrue(commands.contains(title), "section '" + title + "' is not a command");
            }
        }
    }
}

package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static io.fleetpredict.cli.ProvisionRuns.EXAMPLE;
import static io.fleetpredict.cli.ProvisionRuns.apply;
import static io.fleetpredict.cli.ProvisionRuns.files;

import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.provision.FleetStateStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

class ProvisionCommandTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void provision_launchTimeAfterTheNextCycle_waits() {
        // The fleet is as of 17:40; chg-41-1 launches at 17:50, after the next 5-minute cycle.
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("waiting chg-41-1: launches at 2024-11-29T17:50:00Z, after the next cycle"), r.out());
        assertFalse(r.out().contains("provisioned"), r.out());
        assertTrue(r.out().contains("simulated cloud at 2024-11-29T17:40:00Z, the fleet's as_of; every run starts"
                + " there: with --state-dir DIR each --apply run is the next cycle"), r.out());
    }

    /**
     * With --state-dir each --apply run on the simulated cloud is the next cycle: the fleet is as of 17:40 and its
     * changes launch at 17:50 and 17:54, so with 5-minute cycles the runs at 17:40 and 17:45 wait and the third, at
     * 17:50, provisions both. Every run started at 17:40 again, and the changes waited for ever.
     */
    @Test
    void provision_applyRunsWithStateDir_goOnOneCycleEachUntilTheChangesAreDue() throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);

        CommandRun first = run(args);
        CommandRun second = run(args);
        CommandRun third = run(args);

        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("waiting chg-41-1"), first.out());
        assertTrue(first.out().contains("simulated cloud at 2024-11-29T17:40:00Z, the fleet's as_of; the next --apply"
                + " run is the cycle at 2024-11-29T17:45:00Z"), first.out());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("waiting chg-41-1"), second.out());
        assertTrue(second.out().contains("simulated cloud at 2024-11-29T17:45:00Z, the cycle after the last --apply"
                + " run in " + states), second.out());
        assertEquals(0, third.code(), third.err());
        assertTrue(third.out().contains("provisioned chg-41-1 (checkout): 3 x m.2xlarge"), third.out());
        assertTrue(third.out().contains("provisioned chg-41-2 (recommendations): 2 x c.2xlarge"), third.out());
        assertEquals("2024-11-29T17:50:00Z", Files.readString(states.resolve("shop-eu/simulated-clock")).strip());
    }

    /** A plan-only run looks at the cycle the next --apply run would be, and leaves the simulated time as it was. */
    @Test
    void provision_planOnlyWithStateDir_showsTheNextApplyRunsCycleWithoutMovingOn() throws IOException {
        Path states = dir.resolve("states");
        CommandRun applied = run(apply(states));
        CommandRun plan = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5",
                "--state-dir", states.toString());

        assertEquals(0, applied.code(), applied.err());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("simulated cloud at 2024-11-29T17:45:00Z, the cycle after the last --apply run"
                + " in " + states + "; plan only, so the next --apply run is this cycle"), plan.out());
        assertEquals("2024-11-29T17:40:00Z", Files.readString(states.resolve("shop-eu/simulated-clock")).strip());
    }

    /**
     * The simulated cloud's instances outlive the run that launched them: the changes are provisioned at 17:50 and
     * the runs go on to 18:00, past the 10 minutes after which reconcile takes an instance the cloud does not know
     * for ended. Each run opened an empty cloud, so the run at 18:00 took the five instances out of the state and
     * launched them again.
     */
    @Test
    void provision_applyRunsWithStateDirPastTheChanges_launchEachInstanceOnceAndKeepThem() throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);

        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            CommandRun r = run(args);
            assertEquals(0, r.code(), r.out() + r.err());
            out.append(r.out());
        }

        assertEquals(1, out.toString().split("provisioned chg-41-1 ", -1).length - 1, out.toString());
        assertEquals(1, out.toString().split("provisioned chg-41-2 ", -1).length - 1, out.toString());
        assertEquals("2024-11-29T18:00:00Z", Files.readString(states.resolve("shop-eu/simulated-clock")).strip());
        Map<String, Integer> counts = new TreeMap<>();
        FleetStateStores.directory(states).read("shop-eu").state().services().forEach(s -> counts.put(s.name(),
                s.instanceGroups().stream().mapToInt(InstanceGroup::count).sum()));
        assertEquals(Map.of("checkout", 13, "recommendations", 6), counts);
    }

    /**
     * The files an --apply run keeps in the state folder are read as bounded as any other: one past the size
     * limit is refused naming it (not read into memory), and nothing is provisioned.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ProvisionCommand.SIMULATED_CLOCK, SimulatedCloudJournal.FILE})
    void provision_keptFileLargerThanTheLimit_refusedNamingIt(String name) throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);
        assertEquals(0, run(args).code());
        Path kept = states.resolve("shop-eu").resolve(name);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(kept.toFile(), "rw")) {
            f.setLength(8L * 1024 * 1024 + 1); // sparse where the file system allows
        }

        CommandRun r = run(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(kept + ": larger than 8388608 bytes"), r.err());
        assertFalse(r.out().contains("provisioned"), r.out());
    }

    /** A recorded call's time past the documents' years would overflow the simulated cloud's clock: refused by line. */
    @Test
    void provision_simulatedCloudFileTimeOutOfRange_invalidInputNamingTheFileAndLine() throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, run(args).code());
        }
        Path calls = states.resolve("shop-eu/" + SimulatedCloudJournal.FILE);
        List<String> lines = Files.readAllLines(calls);
        lines.set(0, "+1000000000-12-31T23:59:59Z" + lines.get(0).substring(lines.get(0).indexOf('\t')));
        Files.write(calls, lines);

        CommandRun r = run(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(calls + ": line 1: +1000000000-12-31T23:59:59Z is outside the times a document holds"),
                r.err());
    }

    @Test
    void provision_simulatedCloudFileCorrupt_invalidInputNamingTheFileAndLine() throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, run(args).code());
        }
        Path calls = states.resolve("shop-eu/" + SimulatedCloudJournal.FILE);
        List<String> lines = Files.readAllLines(calls);
        assertTrue(lines.size() >= 2, lines.toString());
        lines.set(1, lines.get(1).replace("\tprovision\t", "\tlaunch\t").replace("\tconfigure\t", "\tlaunch\t"));
        Files.write(calls, lines);

        CommandRun r = run(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(calls + ": line 2: unknown operation 'launch'"), r.err());
        assertFalse(r.out().contains("provisioned"), r.out());
    }

    /**
     * The simulated cloud's two files in the fleet's folder are checked by one rule: something other than a regular
     * file in the place of either (here a folder, or a link to the file an earlier run wrote) is refused naming it
     * and what it should hold.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "simulated-clock|folder|the simulated time of the last --apply run",
        "simulated-cloud.tsv|folder|the simulated cloud's calls of the earlier --apply runs",
        "simulated-clock|link|the simulated time of the last --apply run",
        "simulated-cloud.tsv|link|the simulated cloud's calls of the earlier --apply runs"})
    void provision_simulatedCloudFileNotARegularFile_invalidInputNamingItAndWhatItHolds(String name, String kind,
            String holds) throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, run(args).code()); // the changes fall due in the later cycles: calls to keep
        }
        Path file = states.resolve("shop-eu").resolve(name);
        Path moved = Files.move(file, dir.resolve(name));
        if (kind.equals("folder")) {
            Files.createDirectory(file);
        } else {
            Files.createSymbolicLink(file, moved);
        }

        CommandRun r = run(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(file + ": is not a regular file; it should hold " + holds), r.err());
        assertEquals("", r.out());
    }

    @Test
    void provision_simulatedClockFileNotATime_invalidInputNamingIt() throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);
        assertEquals(0, run(args).code());
        Path clock = states.resolve("shop-eu/simulated-clock");
        Files.writeString(clock, "half past five\n");

        CommandRun r = run(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(clock + ": not an ISO-8601 instant"), r.err());
    }

    /** A clock file far in the future: refused naming it, not a crash (exit 1) nor a refusal blaming the plan. */
    @ParameterizedTest
    @ValueSource(strings = {"+1000000000-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z"})
    void provision_simulatedClockFileOutsideDocumentTimes_invalidInputNamingIt(String time) throws IOException {
        Path states = dir.resolve("states");
        String[] args = apply(states);
        assertEquals(0, run(args).code());
        Path clock = states.resolve("shop-eu/simulated-clock");
        Files.writeString(clock, time + "\n");

        CommandRun r = run(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(clock + ": " + java.time.Instant.parse(time) + " is outside the times a document"
                + " holds"), r.err());
    }

    @Test
    void provision_underThresholdPlanOnly_listsWhatWouldBeProvisioned() {
        // A 15-minute cycle: both changes (launching at 17:50 and 17:54) are due in the 17:40 cycle.
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--cycle", "PT15M");
        assertEquals(0, r.code(), r.err());
        // m.2xlarge eu-west: 0.096 x 4 x 1.10 = 0.4224 per hour; c.2xlarge eu-west spot: round(0.374 x 0.33, 4) = 0.1234.
        assertTrue(r.out().contains("estimated cost: 1.5140 per hour"), r.out());
        assertTrue(r.out().contains("would provision chg-41-1 (checkout): 3 x m.2xlarge in eu-west"), r.out());
        assertTrue(r.out().contains("plan only: nothing was provisioned"), r.out());
    }

    @Test
    void provision_apply_printsIdsTypesCountsAndCosts() {
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply",
                "--cycle", "PT15M");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("provisioned chg-41-1 (checkout): 3 x m.2xlarge in eu-west, on_demand, 1.2672 per hour"),
                r.out());
        assertTrue(r.out().contains("provisioned chg-41-2 (recommendations): 2 x c.2xlarge in eu-west, spot, 0.2468 per hour"),
                r.out());
        assertTrue(r.out().contains("ids i-000000000001 i-000000000002 i-000000000003"), r.out());
    }

    @Test
    void provision_everyCallTimesOutAfterApplying_eachChangeIsProvisionedOnce() {
        // timeout-probability=1: every launch is applied, then answered with a timeout; the guard finds what
        // the launch's key holds by describe, so nothing is launched twice.
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply",
                "--cycle", "PT15M",
                "--provider-setting", "timeout-probability=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("provisioned chg-41-1 (checkout): 3 x m.2xlarge in eu-west, on_demand, 1.2672 per hour, "
                + "ids i-000000000001 i-000000000002 i-000000000003"), r.out());
        assertTrue(r.out().contains("provisioned chg-41-2 (recommendations): 2 x c.2xlarge in eu-west, spot, 0.2468 per "
                + "hour, ids i-000000000004 i-000000000005"), r.out());
    }

    @Test
    void provision_timeoutProbabilityOutsideZeroToOne_usageError() {
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5",
                "--provider-setting", "timeout-probability=1.5");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--provider-setting timeout-probability=1.5: must be from 0 to 1"), r.err());
        CommandRun notANumber = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5",
                "--provider-setting", "timeout-probability=0x1p-1");
        assertEquals(2, notANumber.code(), notANumber.err());
        assertTrue(notANumber.err().contains("timeout-probability=0x1p-1: not a decimal number"), notANumber.err());
    }

    @Test
    void provision_overThePerCycleThresholdOnly_warnsNamingItAndTheExcessPerCycle() {
        // 1.514 per hour is well within 100 per hour; over 15 minutes it is 0.3785, over 0.05 by 0.3285.
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "100",
                "--threshold-per-cycle",
                "0.05", "--cycle", "PT15M");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("estimated cost: 1.5140 per hour, 0.3785 per cycle\nWARNING: over the threshold "
                + "of 0.0500 per cycle by 0.3285; 0 of 2 changes approved"), r.out());
        CommandRun json = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "100",
                "--threshold-per-cycle",
                "0.05", "--cycle", "PT15M", "--format", "json");
        assertTrue(json.out().contains("\"threshold_per_cycle\": 0.05,"), json.out());
    }

    @Test
    void provision_overThreshold_warnsWithRankedRecommendationsAsJson() {
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "1.3", "--apply",
                "--cycle", "PT15M", "--format", "json");
        assertEquals(0, r.code(), r.err());
        String json = r.out().replaceAll("\\s+", "");
        assertTrue(json.contains("\"over_threshold\":true"), r.out());
        assertTrue(json.contains("\"refused\":[\"chg-41-2\"]"), r.out());
        // The best-effort service's change (priority 3) is the cheapest to give up: 2 x 0.1234 per hour.
        assertTrue(json.contains("\"rank\":1,\"kind\":\"ScaleDown\",\"service\":\"recommendations\""), r.out());
        assertTrue(json.contains("\"outcome\":\"Provisioned\""), r.out());
        assertTrue(json.contains("\"waiting\":[]"), r.out());
        // Without SLA policies no lead time, spot share or headroom is known: only scale-downs are recommended.
        assertFalse(json.contains("\"kind\":\"Defer\"") || json.contains("\"kind\":\"MoveToSpot\""), r.out());
    }

    @Test
    void provision_withSla_recommendsADeferralThatSaysWhenCapacityArrives() {
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "1.3", "--cycle", "PT15M",
                "--sla", Path.of("..", "docs", "examples", "sla-policies.json").toString());
        assertEquals(0, r.code(), r.err());
        // checkout launches at 17:50 to be ready by 18:00; the critical tier's 15-minute lead time lets it launch
        // at 18:05 instead, arriving at 18:15, when the demand starts: its new need time, not before its launch.
        assertTrue(r.out().contains("defer checkout: change chg-41-1 to launch at 2024-11-29T18:05:00Z, needed by "
                + "2024-11-29T18:15:00Z"), r.out());
        assertTrue(r.out().contains("critical tier: capacity arrives PT15M after it is needed, giving up the tier's lead "
                + "time before the demand: chg-41-1 at 2024-11-29T18:15:00Z instead of 2024-11-29T18:00:00Z"), r.out());
        // critical allows no spot; recommendations (best_effort) already buys spot.
        assertFalse(r.out().contains("to spot"), r.out());
    }

    @Test
    void provision_nothingDueThisCycle_chargesNothingAndSaysWhatWaits() {
        // Both changes launch after the next 5-minute cycle: nothing is weighed against the threshold now.
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "0.1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("estimated cost: 0.0000 per hour"), r.out());
        assertTrue(r.out().contains("under the threshold: no change due this cycle; 2 changes are weighed in a later "
                + "cycle, when they fall due"), r.out());
        assertTrue(r.out().contains("waiting chg-41-2: launches at 2024-11-29T17:54:00Z, after the next cycle"), r.out());
    }

    @Test
    void provision_invalidDocument_exit3NamingTheFileAndPath() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(EXAMPLE).replace("\"count\": 3", "\"count\": -3"));
        CommandRun r = run("provision", "--provisional", bad.toString(), "--threshold", "5");
        assertEquals(3, r.code());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("$.provisional_changes[0].count"), r.err());
    }

    @Test
    void provision_changeForAServiceNotInTheFleet_exit3NamingItAndNothingStoredOrLaunched() throws IOException {
        Path ghost = dir.resolve("ghost.json");
        String text = Files.readString(EXAMPLE);
        Files.writeString(ghost, text.replaceFirst("\"service\": \"checkout\"", "\"service\": \"ghost\""));
        Path state = dir.resolve("state");
        CommandRun r = run("provision", "--provisional", ghost.toString(), "--threshold", "50", "--apply", "--cycle",
                "PT15M",
                "--state-dir", state.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("$.provisional_changes[0].service: change chg-41-1 is for service \"ghost\", which "
                + "is not a service of the fleet"), r.err());
        assertFalse(r.out().contains("provisioned"), r.out());
        assertFalse(Files.exists(state.resolve("shop-eu")), "no fleet state stored");
    }

    @Test
    void provision_unknownInstanceType_exit4ProviderFailure() throws IOException {
        Path other = dir.resolve("other.json");
        Files.writeString(other, Files.readString(EXAMPLE).replace("\"instance_type\": \"m.2xlarge\",\n      \"region\"",
                "\"instance_type\": \"x.huge\",\n      \"region\""));
        CommandRun r = run("provision", "--provisional", other.toString(), "--threshold", "50", "--apply", "--cycle",
                "PT15M");
        assertEquals(4, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("x.huge"), r.err());
    }

    @Test
    void provision_missingFile_exit3() {
        CommandRun r = run("provision", "--provisional", dir.resolve("none.json").toString(), "--threshold", "5");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("none.json: no such file"), r.err());
    }

    /**
     * The report's case: a fleet provisioned into --state-dir loses its state.json; the same command again must
     * not provision both changes a second time over the instances the lost state counted.
     */
    @Test
    void provision_stateJsonGoneWhileHistoryRemains_exit3AndNothingProvisionedAgain() throws IOException {
        Path states = dir.resolve("states");
        String[] args = {"provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply", "--cycle",
            "15m", "--state-dir", states.toString()};
        CommandRun first = run(args);
        assertEquals(0, first.code(), first.err());
        Path fleet = states.resolve("shop-eu");
        Files.delete(fleet.resolve("state.json"));
        Map<String, String> before = files(states);

        CommandRun again = run(args);
        assertEquals(ExitCodes.INVALID_INPUT, again.code(), again.out() + again.err());
        assertFalse(again.out().contains("provisioned"), again.out());
        assertTrue(again.err().contains(fleet.resolve("state.json") + " does not exist"), again.err());
        assertTrue(again.err().contains("holds versions up to 45"), again.err());
        assertEquals(before, files(states), "nothing written");
    }

    @Test
    void provision_keepVersions_leavesTheNewestVersionsFiles() throws IOException {
        Path states = dir.resolve("states");
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply",
                "--cycle", "15m",
                "--state-dir", states.toString(), "--keep-versions", "2");
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> listed = Files.list(states.resolve("shop-eu").resolve("history"))) {
            assertEquals(List.of("intents-0000000000000000044.json", "intents-0000000000000000045.json",
                    "state-0000000000000000044.json", "state-0000000000000000045.json"),
                    listed.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * A write that fails after a launch (a full disk) fails the store's commit of the launch and the simulated
     * cloud's record of it alike: the store's error is the one reported and the record's is said after it, with
     * what it leaves unwritten. The record was written in a finally block, and its error took the store's place.
     *
     * <p>Both writes fail for real: the store's commit of the first launch (version 43) meets a folder where its
     * intents file's temporary file goes, and the record's temporary file a path longer than the system takes. The state folder is
     * nested so deep that the fleet's folder is 4040 bytes long: the store's files in it, 44 bytes at the most
     * ({@code history/intents-0000000000000000043.json.tmp}), fit under Linux's 4096, and the record's temporary
     * file ({@code .simulated-cloud.tsv.<uuid>.tmp}, 61) does not.
     */
    @Test
    void provision_storeAndSimulatedCloudRecordUnwritableAfterALaunch_storesErrorFirstTheRecordsAfterIt()
            throws IOException {
        Path states = folderOfLength(dir, 4040 - "/shop-eu".length());
        CommandRun plan = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--cycle", "15m",
                "--state-dir", states.toString());
        assertEquals(0, plan.code(), plan.err());
        Path fleet = states.resolve("shop-eu");
        assumeTrue(unwritable(fleet.resolve("." + "x".repeat(60))), "the system takes paths of 4101 bytes");
        Files.createDirectories(fleet.resolve("history/intents-0000000000000000043.json.tmp/x"));

        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--cycle", "15m",
                "--apply", "--state-dir", states.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("fleetpredict provision: fleet state of 'shop-eu' io: ")
                && lines.get(0).contains("intents-0000000000000000043.json.tmp"), r.err());
        assertEquals("fleetpredict provision: not written either: " + fleet.resolve(SimulatedCloudJournal.FILE)
                + ": cannot write: File name too long; it is to hold the simulated cloud's calls of this run; the"
                + " simulated cloud the next --apply run replays is that of the runs before this one, without the calls"
                + " this run made", lines.get(1));
    }

    /** A folder under {@code parent}, made, whose absolute path is {@code length} bytes long. */
    private static Path folderOfLength(Path parent, int length) throws IOException {
        Path folder = parent.toAbsolutePath();
        while (length - folder.toString().length() - 1 > 250) { // each name at most 255 bytes
            folder = folder.resolve("d".repeat(200));
        }
        folder = folder.resolve("s".repeat(length - folder.toString().length() - 1));
        assertEquals(length, folder.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        return Files.createDirectories(folder);
    }

    /** Whether the file system refuses to create {@code file}. */
    private static boolean unwritable(Path file) {
        try {
            Files.delete(Files.createFile(file));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A threshold refused is named with its value as typed, as every usage error is: -1, not -1.0. */
    @Test
    void provision_negativeThreshold_usageErrorQuotingTheValueAsTyped() {
        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "-1");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict provision: --threshold -1: must be a finite amount, not negative\n"),
                r.err());
    }

    /**
     * A run refused for one of its options leaves the state folder exactly as it was, a folder used before and a
     * new one alike: no state, no simulated clock or record, not even the lock file. {@code @plan-not-offered}
     * stands for a plan whose launch the simulated cloud does not sell.
     */
    @ParameterizedTest
    @ValueSource(strings = {"--threshold -1", "--threshold 5 --cycle 0s", "--threshold 5 --cycle -5m",
        "--threshold 5 --threshold-per-cycle -1", "--threshold 5 --keep-versions 1",
        "--threshold 5 --provider-setting seed=x", "--threshold 5 --provider-setting timeout-probability=2",
        "--threshold 5 --call-timeout 5s", "--threshold 5 --catalog missing.json", "--threshold 5 --sla missing.json",
        "--threshold 5 --provisional @plan-not-offered"})
    void provision_refusedForAnOption_leavesTheStateFolderAsItWas(String refused) throws IOException {
        Path used = dir.resolve("used");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, run(apply(used)).code());
        }
        Path fresh = Files.createDirectory(dir.resolve("fresh"));
        Path notOffered = Files.writeString(dir.resolve("not-offered.json"), Files.readString(EXAMPLE)
                .replace("\"instance_type\": \"m.2xlarge\"", "\"instance_type\": \"x.huge\""));
        for (Path states : List.of(used, fresh)) {
            Map<String, String> before = everything(states);
            List<String> args = new java.util.ArrayList<>(List.of("provision", "--apply", "--state-dir",
                    states.toString()));
            for (String a : refused.split(" ")) {
                args.add(a.equals("@plan-not-offered") ? notOffered.toString() : a);
            }
            if (!refused.contains("--provisional")) {
                args.addAll(List.of("--provisional", EXAMPLE.toString()));
            }

            CommandRun r = run(args.toArray(String[]::new));

            assertTrue(r.code() == ExitCodes.USAGE || r.code() == ExitCodes.INVALID_INPUT
                    || r.code() == ExitCodes.PROVIDER_FAILURE, r.code() + ": " + r.err());
            assertEquals("", r.out());
            assertEquals(before, everything(states), states + " after " + refused + ": " + r.err());
        }
    }

    /** Every file and folder under {@code folder}, the locks too, with each file's content. */
    private static Map<String, String> everything(Path folder) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walked = Files.walk(folder)) {
            for (Path p : walked.toList()) {
                all.put(folder.relativize(p).toString(), Files.isDirectory(p) ? "(folder)" : Files.readString(p));
            }
        }
        return all;
    }

    /**
     * A run refused for the simulated cloud's clock or record in the fleet's folder (the clock read with this run's
     * {@code --cycle}: 23:58 on the last day a document holds leaves no room for a cycle of 5 minutes) writes no
     * state there: both were read after the store had written the fleet, so a folder holding them and no stored
     * fleet (its state and history removed to start again) was left with one.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "simulated-clock|half past five|: not an ISO-8601 instant",
        "simulated-clock|9999-12-31T23:58:00Z|: 9999-12-31T23:58:00Z is outside the times a document holds",
        "simulated-cloud.tsv|not a call|: line 1: not a call of the simulated cloud"})
    void provision_refusedForTheSimulatedCloudsFiles_writesNoState(String name, String content, String message)
            throws IOException {
        Path states = dir.resolve("states");
        Path kept = Files.createDirectories(states.resolve("shop-eu")).resolve(name);
        Files.writeString(kept, content + "\n");
        Map<String, String> before = files(states);

        CommandRun r = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply",
                "--cycle", "5m", "--state-dir", states.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(kept + message), r.err());
        assertEquals(before, files(states), "state written");
        assertFalse(Files.exists(states.resolve("shop-eu/history")), "history written");
    }

    @Test
    void provision_keepVersionsBelowTwoOrWithoutStateDir_usageErrorAndNothingWritten() {
        Path states = dir.resolve("states");
        CommandRun one = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply",
                "--state-dir", states.toString(), "--keep-versions", "1");
        assertEquals(ExitCodes.USAGE, one.code(), one.err());
        assertTrue(one.err().contains(
                "--keep-versions 1: must be at least 2 (the current version and the one before it)"), one.err());
        assertFalse(Files.exists(states));
        CommandRun alone = run("provision", "--provisional", EXAMPLE.toString(), "--threshold", "5",
                "--keep-versions", "5");
        assertEquals(ExitCodes.USAGE, alone.code(), alone.err());
        assertTrue(alone.err().contains("--keep-versions needs --state-dir"), alone.err());
    }

    /**
     * Every cost in the text is written by one rule, the figures of the command and the library's reasons alike:
     * with offers at 0.00003125 per hour, the over-threshold line said {@code by 0.0001} and the cycle
     * {@code 0.0000} while the recommendation beside them said {@code saves 0.0000625}.
     */
    @Test
    void provision_subCentPrices_everyCostByTheOneMoneyRule() throws IOException {
        Path catalogue = dir.resolve("catalogue.json");
        StringBuilder offers = new StringBuilder("{\"schema_version\": 1, \"offers\": [");
        for (String type : new String[] {"c.2xlarge", "m.2xlarge"}) {
            offers.append(type.startsWith("c") ? "" : ", ").append("{\"instance_type\": \"").append(type)
                    .append("\", \"family\": \"").append(type, 0, 1).append("\", \"region\": \"eu-west\", \"cpu_cores\": 8,"
                            + " \"memory_gib\": 32, \"bandwidth_gbps\": 10, \"storage_gib\": 0,"
                            + " \"on_demand_price_per_hour\": 0.00003125, \"spot_price_per_hour\": 0.00003125,"
                            + " \"interruption_rate_per_hour\": 0, \"boot_time\": \"PT90S\"}");
        }
        Files.writeString(catalogue, offers.append("]}").toString());
        // The plan's estimates at the same price, as a plan made from that catalogue has them.
        Path provisional = examplePricedAt(dir.resolve("sub-cent.json"), 0.00003125);

        CommandRun r = run("provision", "--provisional", provisional.toString(), "--catalog", catalogue.toString(),
                "--threshold", "0.0001", "--cycle", "15m");

        assertEquals(0, r.code(), r.out() + r.err());
        // 5 instances at 0.00003125: 0.00015625 per hour, 0.0000390625 per cycle of 15 minutes.
        assertTrue(r.out().contains("estimated cost: 0.0001563 per hour, 0.00003906 per cycle"), r.out());
        assertTrue(r.out().contains("over the threshold of 0.0001 per hour by 0.00005625"), r.out());
        assertTrue(r.out().contains("saves 0.0000625 per hour"), r.out());
        assertTrue(r.out().contains("3 x m.2xlarge in eu-west, on_demand, 0.00009375 per hour"), r.out());
        assertFalse(r.out().contains("0.0000 "), r.out());
    }

    /**
     * Costs in the text are money: from 1e15 up significant digits and a power of ten, as cli.md says, where a
     * catalogue priced at 1e300 printed 300-digit expansions in every cost line.
     */
    @Test
    void provision_costsOf1e300_textMoneyWithAnExponent() throws IOException {
        Path provisional = examplePricedAt(dir.resolve("p300.json"), 1e300);

        CommandRun r = run("provision", "--provisional", provisional.toString(), "--threshold", "1e301", "--cycle",
                "15m");

        assertEquals(0, r.code(), r.out() + r.err());
        assertFalse(r.out().contains("0000000000"), r.out());
        assertTrue(r.out().matches("(?s).*estimated cost: \\d\\.\\d{3}e\\+300 per hour, \\d\\.\\d{3}e\\+30\\d per"
                + " cycle.*"), r.out());
    }

    /** The example plan written to {@code file} with each change estimated at {@code price} per instance-hour. */
    private static Path examplePricedAt(Path file, double price) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode plan = mapper.readTree(EXAMPLE.toFile());
        for (com.fasterxml.jackson.databind.JsonNode c : plan.get("provisional_changes")) {
            com.fasterxml.jackson.databind.node.ObjectNode change = (com.fasterxml.jackson.databind.node.ObjectNode) c;
            change.put("estimated_cost_per_hour", price * change.get("count").asInt());
            change.remove("estimated_total_cost");
        }
        mapper.writeValue(file.toFile(), plan);
        return file;
    }
}

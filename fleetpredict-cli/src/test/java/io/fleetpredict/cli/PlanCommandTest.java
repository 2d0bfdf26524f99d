package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.InputDigest;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.SlaDefaults;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlanCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static Path examples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("docs/examples"))) {
                return d.resolve("docs/examples");
            }
        }
        throw new IllegalStateException("no docs/examples");
    }

    private static String[] args(String... extra) {
        Path ex = examples();
        String[] base = {"plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
            "--fleet", ex.resolve("fleet-state.json").toString(), "--sla", ex.resolve("sla-policies.json").toString(),
            "--catalog", ex.resolve("instance-catalogue.json").toString(),
            "--events", ex.resolve("event-feed.json").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /**
     * The documentation's example plan is what {@code plan} writes from the example inputs, with the command
     * docs/cli.md shows: its basis names them, so it must not drift from them. The plan's time is the fleet's
     * {@code as_of}, so nothing in it depends on when the test runs. To write it again after a deliberate
     * change, run that command with {@code --out docs/examples/provisional-fleet-state.json}.
     */
    @Test
    void plan_exampleInputs_writeTheDocumentationsExamplePlan() throws IOException {
        Path ex = examples();
        Path out = dir.resolve("provisional-fleet-state.json");
        Outcome r = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
                "--fleet", ex.resolve("fleet-state.json").toString(),
                "--catalog", ex.resolve("instance-catalogue.json").toString(),
                "--sla", ex.resolve("sla-policies.json").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(ex.resolve("provisional-fleet-state.json")), Files.readString(out),
                "docs/examples/provisional-fleet-state.json is not what plan writes from the example inputs");
    }

    /**
     * A change's estimated_total_cost is money in the document, rounded as its quantities are and as the summary
     * writes it: the example's checkout change costs 4.28 per hour from 17:40 to 18:15, 2.4967 in the summary,
     * where the document said 2.496666666666667.
     */
    @Test
    void plan_estimatedTotalCost_roundedAsTheSummaryWritesIt() {
        Outcome o = run(args());

        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("\"estimated_total_cost\": 2.4967,"), o.out());
        for (ProvisionalChange c : Documents.read(o.out(), ProvisionalFleetState.class).provisionalChanges()) {
            double total = java.util.Objects.requireNonNull(c.estimatedTotalCost());
            String money = io.fleetpredict.core.internal.Decimals.text(total);
            assertTrue(o.err().contains("(" + money + " in total)"), o.err());
            assertEquals(Double.parseDouble(money), total, 0, c.id());
        }
    }

    @Test
    void plan_exampleDocuments_writesAValidProvisionalDocumentOnStdout() {
        Outcome o = run(args("--budget-per-hour", "6"));

        assertEquals(0, o.code(), o.err());
        ProvisionalFleetState doc = Documents.read(o.out(), ProvisionalFleetState.class);
        assertEquals(41, doc.basis().fleetVersion());
        assertTrue(doc.provisionalChanges().stream().anyMatch(c -> c.deferredReason() != null), o.out());
        assertTrue(o.err().startsWith("plan at 2024-11-29T17:40:00Z for fleet shop-eu version 41"), o.err());
    }

    /**
     * Twenty minutes before the example's as_of every change launches after the next five-minute cycle, so none
     * is charged against the budget; with a one-hour cycle all are due, and catalogue no longer fits 6 per hour.
     */
    @Test
    void plan_budget_chargesOnlyTheServicesDueWithinTheCycle() {
        Outcome fiveMinutes = run(args("--budget-per-hour", "6", "--now", "2024-11-29T17:20:00Z"));
        Outcome hour = run(args("--budget-per-hour", "6", "--now", "2024-11-29T17:20:00Z", "--cycle", "1h"));

        assertEquals(0, fiveMinutes.code(), fiveMinutes.err());
        assertEquals(0, hour.code(), hour.err());
        List<ProvisionalChange> all = Documents.read(fiveMinutes.out(), ProvisionalFleetState.class).provisionalChanges();
        assertTrue(all.stream().allMatch(c -> c.deferredReason() == null), fiveMinutes.out());
        List<ProvisionalChange> due = Documents.read(hour.out(), ProvisionalFleetState.class).provisionalChanges();
        assertTrue(due.stream().filter(c -> c.service().equals("catalogue"))
                .allMatch(c -> c.deferredReason() != null && c.deferredReason().startsWith("over budget")), hour.out());
        assertTrue(due.stream().filter(c -> c.service().equals("checkout"))
                .allMatch(c -> c.deferredReason() == null), hour.out());
    }

    /** The example holds the short-term prediction alone: the summary says so and what is therefore not planned. */
    @Test
    void plan_shortTermOnly_summaryNamesTheHorizonsGivenAndThoseMissing() {
        Outcome o = run(args("--format", "text"));

        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(0).startsWith("plan at 2024-11-29T17:40:00Z for fleet shop-eu version 41, from the short_term"
                + " prediction of 2024-11-29T18:00:00Z: "), lines.get(0));
        assertEquals("  no medium_term or long_term prediction was given, so what they would need is not planned"
                + " (predict writes one file per horizon; give each with --predicted)", lines.get(1));
    }

    @Test
    void plan_predictionWithoutHorizon_countedWithoutClaimingOne() {
        Path ex = examples();
        Outcome o = run("plan", "--predicted", ex.resolve("predicted-fleet-state-seed.json").toString(),
                "--fleet", ex.resolve("fleet-state.json").toString(),
                "--catalog", ex.resolve("instance-catalogue.json").toString(), "--format", "text");

        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("plan at 2024-11-29T17:40:00Z for fleet shop-eu version 41, from 1 prediction of "),
                o.out());
        assertFalse(o.out().contains("_term"), o.out());
    }

    @Test
    void plan_exampleDocuments_basisNamesTheFilesAndTheirDigestsAndTheOverrides() {
        Outcome o = run(args());

        assertEquals(0, o.code(), o.err());
        ProvisionalFleetState doc = Documents.read(o.out(), ProvisionalFleetState.class);
        InstanceCatalogue catalogue = Documents.read(examples().resolve("instance-catalogue.json"),
                InstanceCatalogue.class);
        SlaPolicies sla = Documents.read(examples().resolve("sla-policies.json"), SlaPolicies.class);
        assertEquals(CapacityOffers.digest(CapacityOffers.fromCatalogue(catalogue)).withSource("instance-catalogue.json"),
                doc.basis().catalogue());
        assertEquals(InputDigest.of(sla).withSource("sla-policies.json"), doc.basis().slaPolicies());
        // predicted-fleet-state.json records one expert override; the plan shows it.
        assertEquals(List.of("ovr-2024-11-29-01"), doc.overridesApplied().stream().map(OverrideApplied::id).toList());
        assertTrue(o.err().contains("expert overrides in the prediction: ovr-2024-11-29-01"), o.err());
        doc.provisionalChanges().forEach(c -> assertTrue(c.estimatedTotalCost() != null, c.toString()));
    }

    @Test
    void plan_withoutSla_namesTheBuiltInTiers() {
        Path ex = examples();
        Outcome o = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
                "--fleet", ex.resolve("fleet-state.json").toString(),
                "--catalogue", ex.resolve("instance-catalogue.json").toString());

        assertEquals(0, o.code(), o.err());
        ProvisionalFleetState doc = Documents.read(o.out(), ProvisionalFleetState.class);
        assertEquals(InputDigest.of(SlaDefaults.policies()).withSource(PlanCommand.DEFAULT_SLA_SOURCE),
                doc.basis().slaPolicies());
    }

    @Test
    void plan_textWithOut_writesTheSummaryAndTheFile() throws IOException {
        Path file = dir.resolve("provisional.json");
        Outcome o = run(args("--format", "text", "--out", file.toString()));

        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("chg-41-1 p1 checkout scale_out"), o.out());
        assertEquals(Documents.read(file, ProvisionalFleetState.class).provisionalChanges().size(),
                o.out().lines().filter(l -> l.startsWith("  chg-")).count());
    }

    @Test
    void plan_invalidFleet_exitsThreeNamingTheFileAndPath() throws IOException {
        Path bad = dir.resolve("fleet.json");
        Files.writeString(bad, Files.readString(examples().resolve("fleet-state.json")).replace("\"count\": 6", "\"count\": -6"));
        Path ex = examples();
        Outcome o = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(), "--fleet",
                bad.toString(), "--catalog", ex.resolve("instance-catalogue.json").toString());

        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertTrue(o.err().contains(bad.toString()) && o.err().contains("$.services[0].instance_groups[0].count"), o.err());
        assertEquals("", o.out());
    }

    @Test
    void plan_predictionForAnotherFleet_exitsThreeNamingBothFleetsAndTheFile() throws IOException {
        Path ex = examples();
        String example = Files.readString(ex.resolve("predicted-fleet-state.json"));
        Path other = dir.resolve("predicted.json");
        Files.writeString(other, example.replace("\"fleet_id\": \"shop-eu\"", "\"fleet_id\": \"other\""));
        Path fleetFile = ex.resolve("fleet-state.json");

        Outcome o = run("plan", "--predicted", other.toString(), "--fleet", fleetFile.toString(), "--catalog",
                ex.resolve("instance-catalogue.json").toString());

        assertEquals(ExitCodes.INVALID_INPUT, o.code(), o.err());
        assertEquals("fleetpredict plan: " + other + ": $.fleet_id: the prediction is for fleet \"other\", but " + fleetFile
                + " is fleet \"shop-eu\"", o.err().strip());
        assertEquals("", o.out());
    }

    /** A need no fleet could hold is input the plan cannot be computed with: exit 3, as an overflow is. */
    @Test
    void plan_needBeyondAnyFleet_exitsThreeSayingWhatIsNeededAndTheMostThatCanBeBought() throws IOException {
        Path ex = examples();
        String example = Files.readString(ex.resolve("predicted-fleet-state.json"));
        String from = "{\"resource_type\": \"CPU\", \"quantity\": 96, \"units\": \"cores\", \"p50\": 90, \"p90\": 101,"
                + " \"p99\": 118}";
        assertTrue(example.contains(from));
        Path huge = dir.resolve("predicted.json");
        Files.writeString(huge, example.replace(from, "{\"resource_type\": \"CPU\", \"quantity\": 1e300, \"units\": \"cores\"}"));

        Outcome o = run("plan", "--predicted", huge.toString(), "--fleet", ex.resolve("fleet-state.json").toString(),
                "--catalog", ex.resolve("instance-catalogue.json").toString(), "--sla",
                ex.resolve("sla-policies.json").toString());

        assertEquals(ExitCodes.INVALID_INPUT, o.code(), o.err());
        assertTrue(o.err().startsWith("fleetpredict plan: " + huge + ", "), o.err());
        // 1e300 with the critical tier's headroom of 20%.
        assertTrue(o.err().strip().endsWith(": cannot be used: checkout needs 1.2e+300 cores of CPU more, beyond"
                + " what can be bought: at most 536870911 instances of an offer, and the largest allowed offer,"
                + " m6i.2xlarge on_demand in eu-west-1, provides 8 cores of CPU each, so at most 4294967288 cores of"
                + " CPU"), o.err());
        assertFalse(o.err().contains("CapacityLimits["), o.err());
        assertEquals("", o.out());
    }

    @Test
    void plan_predictionPastItsValidity_plannedWithAWarningNamingTheFileAndBothTimes() {
        Path ex = examples();
        Path predictedFile = ex.resolve("predicted-fleet-state.json");

        Outcome stale = run(args("--now", "2025-11-29T10:00:00Z"));
        Outcome current = run(args());

        assertEquals(ExitCodes.OK, stale.code(), stale.err());
        assertTrue(stale.err().startsWith("warning: " + predictedFile + ": the prediction was valid until "
                + "2024-11-29T18:15:00Z, not after the plan's time 2025-11-29T10:00:00Z; planned as given, predict again "
                + "to plan for now\n"), stale.err());
        assertFalse(current.err().contains("warning"), current.err());
    }

    @Test
    void plan_maintenanceForAnUnknownService_warnsNamingTheEventTheServiceAndTheServicesKnown() throws IOException {
        Path feed = dir.resolve("events.json");
        Files.writeString(feed, "{\"schema_version\":1,\"events\":[{\"id\":\"fw\",\"type\":\"maintenance\","
                + "\"name\":\"Firmware\",\"start\":\"2024-11-29T17:45:00Z\",\"end\":\"2024-11-29T19:00:00Z\","
                + "\"scope\":[\"chekout\"],\"expected_impact\":{\"instances_removed\":2}}]}");

        Path ex = examples();
        Outcome o = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
                "--fleet", ex.resolve("fleet-state.json").toString(), "--sla", ex.resolve("sla-policies.json").toString(),
                "--catalog", ex.resolve("instance-catalogue.json").toString(), "--events", feed.toString());

        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.err().startsWith("warning: " + feed + ": maintenance event fw names service chekout, in neither "
                + "the fleet state nor the predictions (their services: catalogue, checkout): it removes no "
                + "capacity\n"), o.err());
    }

    /**
     * An on-demand group of a type the catalogue does not list (an older generation) is billed at a price the plan
     * cannot know: planned as given, with a warning naming the service, the group and the catalogue. Reserved groups
     * and the priced groups of the example give none.
     */
    @Test
    void plan_fleetGroupTheCatalogueDoesNotPrice_warnsNamingTheGroup() throws IOException {
        Path ex = examples();
        Path fleet = dir.resolve("fleet.json");
        Files.writeString(fleet, Files.readString(ex.resolve("fleet-state.json")).replaceFirst(
                "(\"instance_type\": \")m6i\\.2xlarge(\"[^}]*\"purchase_option\": \"on_demand\")", "$1m5.2xlarge$2"));
        Outcome o = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
                "--fleet", fleet.toString(), "--sla", ex.resolve("sla-policies.json").toString(),
                "--catalog", ex.resolve("instance-catalogue.json").toString());

        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.err().startsWith("warning: " + fleet + ": service checkout runs 4 m5.2xlarge on_demand in eu-west-1,"
                + " which instance-catalogue.json has no price for: a scale-in releases them after the priced groups and"
                + " before reserved ones, its saving unknown\n"), o.err());
        assertFalse(run(args()).err().contains("warning"));
    }

    /**
     * A plan counts a change's cost in hours from its launch to the end of the prediction's step, whatever the
     * distance: a {@code --now} centuries after the prediction's end (its valid_until, 2024-11-29T18:15:00Z in
     * the example), up to the last instant a document holds, is planned with the warning that the prediction is
     * stale, each change launched at that time and costing nothing over a span that has ended.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2400-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
    void plan_nowCenturiesAfterThePrediction_plannedWithTheStaleWarning(String now) {
        Outcome o = run(args("--now", now));

        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.err().startsWith("warning: " + examples().resolve("predicted-fleet-state.json")
                + ": the prediction was valid until 2024-11-29T18:15:00Z, not after the plan's time " + now + ";"),
                o.err());
        List<ProvisionalChange> changes = Documents.read(o.out(), ProvisionalFleetState.class).provisionalChanges();
        assertFalse(changes.isEmpty(), o.out());
        for (ProvisionalChange c : changes) {
            assertEquals(java.time.Instant.parse(now), c.launchAt(), c.id());
            assertEquals(Double.valueOf(0), c.estimatedTotalCost(), c.id());
        }
    }

    /**
     * A {@code --now} the plan's document could not hold (its instants have four-digit years, and a change
     * planned after the prediction is needed at the plan's time) is a usage error naming the option, found before
     * any file is read.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z", "-0001-12-31T23:59:59Z"})
    void plan_nowBeyondTheYearsADocumentHolds_usageErrorBeforeReadingFiles(String now) {
        Outcome o = run("plan", "--predicted", dir.resolve("none.json").toString(), "--fleet", "x", "--catalog", "y",
                "--now", now);

        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertEquals("fleetpredict plan: --now: must lie from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z,"
                + " the instants a document holds, was " + now + "\ntry 'fleetpredict plan --help'\n", o.err());
        assertEquals("", o.out());
    }

    /** A {@code --now} that is not an instant is refused before any file is read, as other options are. */
    @Test
    void plan_nowNotAnInstant_usageErrorBeforeReadingFiles() {
        Outcome o = run("plan", "--predicted", dir.resolve("none.json").toString(), "--fleet", "x", "--catalog", "y",
                "--now", "yesterday");

        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().startsWith("fleetpredict plan: --now: not an ISO-8601 instant"), o.err());
    }

    @ParameterizedTest
    @CsvSource({"--max-changes, 0, '--max-changes: must be > 0, was 0'",
        "--budget-per-hour, -1, '--budget-per-hour: must be >= 0, was -1.0'",
        "--budget-per-hour, NaN, 'Invalid value for option ''--budget-per-hour'': ''NaN'' is not a decimal number'"})
    void plan_badLimit_usageErrorBeforeReadingFiles(String option, String value, String message) {
        Outcome o = run("plan", "--predicted", dir.resolve("none.json").toString(), "--fleet", "x", "--catalog", "y",
                option, value);

        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().startsWith("fleetpredict plan: " + message), o.err());
    }

    @Test
    void plan_missingFile_exitsThree() {
        Outcome o = run("plan", "--predicted", dir.resolve("none.json").toString(), "--fleet", "x", "--catalog", "y");
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertTrue(o.err().contains("none.json: no such file"), o.err());
    }

    /** The example catalogue with every price set to {@code price}. */
    private Path pricedAt(double price) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode c = mapper.readTree(examples().resolve("instance-catalogue.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode o : c.get("offers")) {
            com.fasterxml.jackson.databind.node.ObjectNode offer = (com.fasterxml.jackson.databind.node.ObjectNode) o;
            offer.put("on_demand_price_per_hour", price);
            if (offer.has("spot_price_per_hour")) {
                offer.put("spot_price_per_hour", price);
            }
        }
        Path file = dir.resolve("priced.json");
        mapper.writeValue(file.toFile(), c);
        return file;
    }

    /** Money from 1e15 up is its significant digits and a power of ten, as cli.md says, not a 300-digit expansion. */
    @Test
    void plan_pricesOf1e300_textMoneyWithAnExponent() throws IOException {
        Path ex = examples();
        Outcome r = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(), "--fleet",
                ex.resolve("fleet-state.json").toString(), "--catalog", pricedAt(1e300).toString(), "--out",
                dir.resolve("plan.json").toString());

        // With the document written to --out, the summary is on stderr.
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().matches("(?s).*\\+\\d\\.\\d{3}e\\+30\\d per hour proposed.*"), r.err());
        assertTrue(r.err().matches("(?s).*, \\d\\.\\d{3}e\\+30\\d/h.*"), r.err());
        assertFalse(r.err().contains("0000000000"), r.err());
    }

    /**
     * Prices so large that a plan's cost overflows a double: refused naming the service and the offer, not with the
     * class name of an exception thrown again by a worker thread.
     */
    @Test
    void plan_pricesOverflowingTheCost_invalidInputNamingServiceAndOffer() throws IOException {
        Path ex = examples();
        Outcome r = run("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(), "--fleet",
                ex.resolve("fleet-state.json").toString(), "--catalog", pricedAt(1e308).toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertFalse(r.err().contains("java.lang"), r.err());
        assertTrue(r.err().contains("cost more per hour than a double holds"), r.err());
    }
}

package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented pipeline on the bundled sample: {@code predict}, {@code plan}, {@code provision --catalog
 * ... --apply}, and what {@code provision} says when the provider does not sell what was planned.
 */
class PipelineTest {

    @TempDir
    Path dir;

    static Path sample() throws URISyntaxException {
        return Path.of(PipelineTest.class.getResource("/sample/events.json").toURI()).getParent();
    }

    /** predict, then plan the medium term on the sample (it proposes c6i.2xlarge in eu-west-1); the plan file. */
    Path planned() throws Exception {
        Path sample = sample();
        Path predicted = dir.resolve("predicted");
        CommandRun p = CommandRun.of("predict", "--history", sample.toString(), "--events",
                sample.resolve("events.json").toString(), "--sla", sample.resolve("sla-policies.json").toString(),
                "--out", predicted.toString());
        assertEquals(ExitCodes.OK, p.code(), p.toString());
        Path provisional = dir.resolve("provisional.json");
        CommandRun plan = CommandRun.of("plan", "--predicted", predicted.resolve("predicted-fleet-state-medium_term.json")
                        .toString(), "--fleet", sample.resolve("fleet-state.json").toString(),
                "--sla", sample.resolve("sla-policies.json").toString(),
                "--catalog", CommandRun.examples().resolve("instance-catalogue.json").toString(),
                "--events", sample.resolve("events.json").toString(), "--out", provisional.toString());
        assertEquals(ExitCodes.OK, plan.code(), plan.toString());
        return provisional;
    }

    @Test
    void predictPlanProvision_withTheSampleCatalogue_provisionsEveryPlannedChange() throws Exception {
        Path provisional = planned();
        ProvisionalFleetState plan = Documents.read(Files.readString(provisional), ProvisionalFleetState.class);
        assertFalse(plan.provisionalChanges().isEmpty(), "the sample plan proposes changes");
        CommandRun r = CommandRun.of("provision", "--provisional", provisional.toString(), "--threshold", "1000",
                "--catalog", CommandRun.examples().resolve("instance-catalogue.json").toString(), "--apply");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (ProvisionalChange c : plan.provisionalChanges()) {
            assertTrue(r.out().contains("provisioned " + c.id() + " (" + c.service() + "): ")
                    || r.out().contains("satisfied " + c.id()), c.id() + "\n" + r.out());
            assertTrue(r.out().contains(c.instanceType() + " in " + c.region()), r.out());
        }
    }

    @Test
    void provision_planFromAnotherCatalogue_namesEveryMissingOffer_andProvisionsNothing() throws Exception {
        Path provisional = planned();
        ProvisionalFleetState plan = Documents.read(Files.readString(provisional), ProvisionalFleetState.class);
        for (String mode : new String[] {"--format=text", "--apply"}) {
            // The simulated cloud's built-in catalogue sells other types in other regions.
            CommandRun r = CommandRun.of("provision", "--provisional", provisional.toString(), "--threshold", "1000", mode);
            assertEquals(ExitCodes.PROVIDER_FAILURE, r.code(), r.toString());
            assertTrue(r.err().contains("not offered by provider 'sim'; nothing was provisioned"), r.err());
            for (ProvisionalChange c : plan.provisionalChanges()) {
                assertTrue(r.err().contains(c.id() + " (" + c.service() + "): " + c.count() + " x " + c.instanceType()
                        + " in " + c.region()), r.err());
            }
            assertFalse(r.out().contains("provisioned"), r.out());
        }
    }

    @Test
    void missingOffers_partialCatalogue_namesOnlyTheChangesItLacks() throws Exception {
        Path provisional = planned();
        ProvisionalFleetState plan = Documents.read(Files.readString(provisional), ProvisionalFleetState.class);
        List<Offer> all = Documents.read(Files.readString(CommandRun.examples().resolve("instance-catalogue.json")),
                InstanceCatalogue.class).toCloudOffers();
        assertEquals(List.of(), ProviderOptions.missingOffers(plan.provisionalChanges(), all));
        ProvisionalChange first = plan.provisionalChanges().get(0);
        List<Offer> without = new ArrayList<>(all);
        without.removeIf(o -> o.instanceType().equals(first.instanceType()) && o.region().equals(first.region()));
        List<String> missing = ProviderOptions.missingOffers(plan.provisionalChanges(), without);
        assertTrue(missing.stream().anyMatch(m -> m.startsWith(first.id() + " ") && m.contains("not offered in " + first.region())),
                missing.toString());
        assertTrue(missing.stream().allMatch(m -> plan.provisionalChanges().stream().anyMatch(c ->
                m.startsWith(c.id() + " ") && c.instanceType().equals(first.instanceType())
                        && c.region().equals(first.region()))), missing.toString());
    }

    @Test
    void provision_unknownProvider_isAUsageErrorListingTheKnownOnes() throws Exception {
        CommandRun r = CommandRun.of("provision", "--provisional",
                CommandRun.examples().resolve("provisional-fleet-state-sim.json").toString(), "--threshold", "5",
                "--provider", "nimbus");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("no cloud provider named 'nimbus'") && r.err().contains("sim"), r.err());
    }

    @Test
    void demo_withTheSampleCatalogueFile_runsTheLoop() throws Exception {
        CommandRun r = CommandRun.of("demo", "--provider", "sim",
                "--catalog", CommandRun.examples().resolve("instance-catalogue.json").toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("== 3. Provision: one scheduler cycle against the simulated cloud"), r.out());
        assertTrue(r.out().contains("provisioned "), r.out());
    }
}

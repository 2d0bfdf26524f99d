package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional fields of the provisional fleet state: total cost, basis digests and applied overrides. */
class PlanRecordTest {

    private static final Path EXAMPLE = DocumentFixtures.docs().resolve("examples/provisional-fleet-state.json");

    private static ObjectNode example() throws IOException {
        return (ObjectNode) DocumentFixtures.PLAIN.readTree(Files.readString(EXAMPLE));
    }

    @Test
    void ofText_abc_isTheFipsExampleDigest() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                InputDigest.ofText("abc").sha256());
    }

    @Test
    void of_document_isTheDigestOfItsCanonicalJson() throws IOException {
        ProvisionalFleetState plan = Documents.read(EXAMPLE, ProvisionalFleetState.class);
        ProvisionalFleetState reread = Documents.read(Documents.write(plan), ProvisionalFleetState.class);

        assertEquals(InputDigest.ofText(Documents.write(plan)), InputDigest.of(plan));
        assertEquals(InputDigest.of(plan), InputDigest.of(reread));
    }

    @Test
    void inputDigest_badHashOrBlankSource_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InputDigest("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", null));
        assertTrue(e.getMessage().startsWith("sha256:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InputDigest("abc", null));
        e = assertThrows(IllegalArgumentException.class, () -> InputDigest.ofText("x").withSource(" "));
        assertTrue(e.getMessage().startsWith("source:"), e.getMessage());
    }

    @Test
    void read_changeForAServiceNotInTheFleet_refusedAtItsServiceNamingTheChangeAndTheService() throws IOException {
        ObjectNode doc = example();
        ObjectNode change = (ObjectNode) doc.withArray("provisional_changes").get(1);
        change.put("service", "ghost");
        String id = change.get("id").asText();

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(doc.toString(), ProvisionalFleetState.class));

        assertEquals("$.provisional_changes[1].service", e.jsonPath(), e.getMessage());
        assertTrue(e.problem().startsWith("change " + id + " is for service \"ghost\", which is not a service of the "
                + "fleet (its services: "), e.problem());
    }

    @Test
    void provisionalFleetState_changeForAServiceNotInTheFleet_isRejectedNamingTheChange() {
        ProvisionalFleetState plan = Documents.read(EXAMPLE, ProvisionalFleetState.class);
        ProvisionalChange c = plan.provisionalChanges().get(0);
        ProvisionalChange ghost = new ProvisionalChange(c.id(), "ghost", c.action(), c.instanceType(), c.region(),
                c.count(), c.purchaseOption(), c.resourceDelta(), c.priority(), c.slaReason(), c.estimatedCostPerHour(),
                c.estimatedTotalCost(), c.neededBy(), c.launchAt(), c.status(), c.deferredReason());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProvisionalFleetState(plan.fleet(), List.of(ghost), plan.basis(), null));
        assertTrue(e.getMessage().startsWith("provisionalChanges[0]: change " + c.id() + " is for service \"ghost\""),
                e.getMessage());
    }

    @Test
    void provisionalChange_negativeTotalCost_isRejected() {
        ProvisionalChange c = Documents.read(EXAMPLE, ProvisionalFleetState.class).provisionalChanges().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProvisionalChange(c.id(),
                c.service(), c.action(), c.instanceType(), c.region(), c.count(), c.purchaseOption(),
                c.resourceDelta(), c.priority(), c.slaReason(), c.estimatedCostPerHour(), -0.5, c.neededBy(),
                c.launchAt(), c.status(), c.deferredReason()));
        assertTrue(e.getMessage().startsWith("estimatedTotalCost:"), e.getMessage());
    }

    @Test
    void read_example_hasTheNewFields() {
        ProvisionalFleetState plan = Documents.read(EXAMPLE, ProvisionalFleetState.class);

        // 10 x m6i.2xlarge at 0.428 per hour from the launch at 17:40 to the end of the step at 18:15: 2.496667,
        // rounded as the document's quantities are.
        assertEquals(2.4967, plan.provisionalChanges().get(0).estimatedTotalCost(), 1e-12);
        assertEquals("instance-catalogue.json", plan.basis().catalogue().source());
        assertEquals("sla-policies.json", plan.basis().slaPolicies().source());
        assertEquals(List.of("ovr-2024-11-29-01"), plan.overridesApplied().stream().map(OverrideApplied::id).toList());
    }

    @Test
    void read_documentWithoutTheNewFields_readsThemAsAbsentAndWritesThemBackAbsent() throws IOException {
        ObjectNode old = example();
        old.remove("overrides_applied");
        ((ObjectNode) old.get("basis")).remove(List.of("catalogue", "sla_policies"));
        old.get("provisional_changes").forEach(c -> ((ObjectNode) c).remove("estimated_total_cost"));
        String json = old.toString();
        assertEquals(java.util.Set.of(), DocumentFixtures.schemaErrors(DocumentKind.PROVISIONAL_FLEET_STATE, json));

        ProvisionalFleetState plan = Documents.read(json, ProvisionalFleetState.class);

        plan.provisionalChanges().forEach(c -> assertNull(c.estimatedTotalCost()));
        assertNull(plan.basis().catalogue());
        assertNull(plan.basis().slaPolicies());
        assertNull(plan.overridesApplied());
        String written = Documents.write(plan);
        assertFalse(written.contains("estimated_total_cost") || written.contains("sha256")
                || written.contains("overrides_applied"), written);
    }

    @Test
    void read_badDigest_namesItsJsonPath() throws IOException {
        ObjectNode doc = example();
        ((ObjectNode) doc.get("basis").get("catalogue")).put("sha256", "f788EBA0");

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(doc.toString(), ProvisionalFleetState.class));

        assertEquals("$.basis.catalogue.sha256", e.jsonPath(), e.getMessage());
        assertTrue(e.getMessage().contains("64 lowercase hexadecimal digits"), e.getMessage());
    }

    @Test
    void read_negativeTotalCost_namesItsJsonPath() throws IOException {
        ObjectNode doc = example();
        ((ObjectNode) doc.get("provisional_changes").get(1)).put("estimated_total_cost", -1);

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(doc.toString(), ProvisionalFleetState.class));

        assertEquals("$.provisional_changes[1].estimated_total_cost", e.jsonPath(), e.getMessage());
    }

    @Test
    void planBasis_of_recordsNeitherDigest() {
        PlanBasis basis = PlanBasis.of(Instant.EPOCH, Horizon.SHORT_TERM, 3);

        assertNull(basis.catalogue());
        assertNull(basis.slaPolicies());
    }
}

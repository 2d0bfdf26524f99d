package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpertOverridesTest {
    private static final Instant T = Instant.parse("2024-11-29T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-29T09:00:00Z"), ZoneOffset.UTC);

    private static PredictedFleetState predicted(Instant at) {
        ResourceRequirement cpu = new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, 90.0, 110.0, 130.0);
        ResourceRequirement mem = new ResourceRequirement(ResourceType.MEMORY, 256, ResourceUnit.GIB, null, null, null);
        ResourceRequirement checkoutCpu = new ResourceRequirement(ResourceType.CPU, 40, ResourceUnit.CORES, 35.0, 45.0,
                50.0);
        return new PredictedFleetState(1, "shop", at, null, null, null, List.of(cpu, mem),
                List.of(new ServiceRequirements("checkout", List.of(checkoutCpu)),
                        new ServiceRequirements("search", List.of(mem))), null, null);
    }

    private static ExpertOverride override(String id, OverrideAction action, String service, ResourceAmount amount,
            Double factor, Instant start, Instant expiry) {
        return new ExpertOverride(id, action, service, amount == null ? null : amount.type(), amount, factor, start,
                expiry, "alice", "reason " + id);
    }

    private static ResourceAmount cores(double n) {
        return ResourceAmount.of(ResourceType.CPU, n, ResourceUnit.CORES);
    }

    private static ResourceRequirement fleetCpu(OverrideResult r) {
        return ((OverrideResult.Overridden) r).document().resourceRequirements().get(0);
    }

    @Test
    void apply_expiryIsHonouredToTheStep() {
        Instant expiry = T.plusSeconds(3600);
        ExpertOverride pin = override("p", OverrideAction.PIN, null, cores(200), null, T, expiry);
        AuditLog audit = AuditLog.inMemory();

        var justBefore = ExpertOverrides.apply(predicted(expiry.minusNanos(1)), List.of(pin), audit, CLOCK);
        var atExpiry = ExpertOverrides.apply(predicted(expiry), List.of(pin), audit, CLOCK);
        var atStart = ExpertOverrides.apply(predicted(T), List.of(pin), audit, CLOCK);
        var beforeStart = ExpertOverrides.apply(predicted(T.minusNanos(1)), List.of(pin), audit, CLOCK);

        assertEquals(200, fleetCpu(justBefore).quantity());
        assertEquals(100, fleetCpu(atExpiry).quantity());
        assertEquals(200, fleetCpu(atStart).quantity());
        assertEquals(100, fleetCpu(beforeStart).quantity());
        assertEquals(2, audit.entries().size());
        assertTrue(atExpiry.applied().isEmpty());
    }

    /** A near-term state as the loop predicts it: made at {@code at}, covering {@code [from, from + 5 min)}. */
    private static PredictedFleetState covering(Instant at, Instant from) {
        PredictedFleetState p = predicted(at);
        return new PredictedFleetState(1, "shop", at, Horizon.SHORT_TERM, from, from.plusSeconds(300),
                p.resourceRequirements(), p.services(), null, null);
    }

    private static double checkoutCpu(OverrideResult r) {
        return ((OverrideResult.Overridden) r).document().services().get(0).resourceRequirements().get(0).quantity();
    }

    /**
     * Overrides overlapping each other and covering part of the near term's reach, as the documented precedence
     * says: each state takes the overrides whose window overlaps its own; among those, the pin last in the list
     * wins whatever its start, then floors raise and ceilings lower, so the ceiling holds.
     */
    @Test
    void apply_overridesOverlappingEachOtherAndPartOfTheReach_precedenceAsDocumented() {
        Instant cycle = T.plusSeconds(20 * 60);
        ExpertOverride early = override("early", OverrideAction.PIN, "checkout", cores(80), null, T,
                T.plusSeconds(40 * 60));
        ExpertOverride late = override("late", OverrideAction.PIN, "checkout", cores(60), null, T.plusSeconds(30 * 60),
                T.plusSeconds(90 * 60));
        ExpertOverride floor = override("floor", OverrideAction.FLOOR, "checkout", cores(70), null,
                T.plusSeconds(38 * 60), T.plusSeconds(50 * 60));
        ExpertOverride ceiling = override("ceiling", OverrideAction.CEILING, "checkout", cores(65), null,
                T.plusSeconds(36 * 60), T.plusSeconds(37 * 60));
        List<ExpertOverride> earlyFirst = List.of(early, late, floor, ceiling);
        List<ExpertOverride> lateFirst = List.of(late, early, floor, ceiling);
        AuditLog audit = AuditLog.inMemory();

        // [25, 30): the early pin alone; [30, 35): both pins, the last listed wins; [35, 40): both pins, the floor
        // and the ceiling, which holds; [40, 45): the late pin raised by the floor; [95, 100): none, the model's 40.
        double[] expectedEarlyFirst = {80, 60, 65, 70, 40};
        double[] expectedLateFirst = {80, 80, 65, 70, 40};
        int[] from = {25, 30, 35, 40, 95};
        for (int i = 0; i < from.length; i++) {
            PredictedFleetState state = covering(cycle, T.plusSeconds(from[i] * 60L));
            assertEquals(expectedEarlyFirst[i], checkoutCpu(ExpertOverrides.apply(state, earlyFirst, audit, CLOCK)),
                    "state from +" + from[i] + " min, early pin listed first");
            assertEquals(expectedLateFirst[i], checkoutCpu(ExpertOverrides.apply(state, lateFirst, audit, CLOCK)),
                    "state from +" + from[i] + " min, late pin listed first");
        }
    }

    @Test
    void apply_overrideStartingInsideTheWindowAStateCovers_appliesThoughTheStateWasPredictedBefore() {
        Instant cycle = T.plusSeconds(25 * 60);
        ExpertOverride pin = override("pin", OverrideAction.PIN, "checkout", cores(80), null, T.plusSeconds(30 * 60),
                T.plusSeconds(62 * 60));
        AuditLog audit = AuditLog.inMemory();

        var ahead = ExpertOverrides.apply(covering(cycle, T.plusSeconds(30 * 60)), List.of(pin), audit, CLOCK);
        var before = ExpertOverrides.apply(covering(cycle, T.plusSeconds(25 * 60)), List.of(pin), audit, CLOCK);
        var straddling = ExpertOverrides.apply(covering(cycle, T.plusSeconds(28 * 60)), List.of(pin), audit, CLOCK);

        assertEquals(80, checkoutCpu(ahead));
        assertEquals(40, checkoutCpu(before));
        assertEquals(80, checkoutCpu(straddling));
        // One line per state and override applied, naming the window the state covers.
        assertEquals(List.of("pin checkout/CPU for 2024-11-29T10:30:00Z to 2024-11-29T10:35:00Z",
                "pin checkout/CPU for 2024-11-29T10:28:00Z to 2024-11-29T10:33:00Z"),
                audit.entries().stream().map(AuditEntry::subject).toList());
    }

    @Test
    void apply_overrideExpiredBeforeTheWindowAStateCovers_doesNotApplyThoughActiveWhenItWasPredicted() {
        Instant cycle = T.plusSeconds(60 * 60);
        ExpertOverride pin = override("pin", OverrideAction.PIN, "checkout", cores(80), null, T.plusSeconds(30 * 60),
                T.plusSeconds(62 * 60));
        AuditLog audit = AuditLog.inMemory();

        var last = ExpertOverrides.apply(covering(cycle, T.plusSeconds(60 * 60)), List.of(pin), audit, CLOCK);
        var after = ExpertOverrides.apply(covering(cycle, T.plusSeconds(65 * 60)), List.of(pin), audit, CLOCK);
        var endsAtExpiry = ExpertOverrides.apply(covering(cycle, T.plusSeconds(57 * 60)), List.of(pin), audit, CLOCK);
        var startsAtExpiry = ExpertOverrides.apply(covering(cycle, T.plusSeconds(62 * 60)), List.of(pin), audit,
                CLOCK);

        assertEquals(80, checkoutCpu(last));
        assertEquals(40, checkoutCpu(after));
        assertEquals(80, checkoutCpu(endsAtExpiry));
        assertEquals(40, checkoutCpu(startsAtExpiry));
        assertTrue(after.applied().isEmpty() && after.unmatched().isEmpty());
        assertEquals(2, audit.entries().size());
    }

    @Test
    void apply_serviceDisabled_takesItsShareOutOfTheFleetTotal() {
        var result = (OverrideResult.Overridden) ExpertOverrides.apply(predicted(T),
                List.of(override("off", OverrideAction.DISABLE, "checkout", null, null, T, T.plusSeconds(60))),
                AuditLog.inMemory(), CLOCK);

        assertEquals(new ResourceRequirement(ResourceType.CPU, 60, ResourceUnit.CORES, 55.0, 65.0, 80.0),
                result.document().resourceRequirements().get(0));
        assertTrue(result.document().services().get(0).resourceRequirements().isEmpty());
    }

    @Test
    void apply_serviceInAnotherUnit_carriedToTheFleetTotalInItsUnit() {
        ResourceRequirement fleetMem = new ResourceRequirement(ResourceType.MEMORY, 10, ResourceUnit.GB, null, null,
                null);
        ResourceRequirement serviceMem = new ResourceRequirement(ResourceType.MEMORY, 4, ResourceUnit.GIB, null, null,
                null);
        PredictedFleetState p = new PredictedFleetState(1, "shop", T, null, null, null, List.of(fleetMem),
                List.of(new ServiceRequirements("search", List.of(serviceMem))), null, null);

        var result = (OverrideResult.Overridden) ExpertOverrides.apply(p, List.of(override("two", OverrideAction.SCALE,
                "search", null, 2.0, T, T.plusSeconds(60))), AuditLog.inMemory(), CLOCK);

        // 4 GiB more is 4.294967296 GB more.
        assertEquals(10 + 4 * 1.073741824, result.document().resourceRequirements().get(0).quantity(), 1e-9);
        assertEquals(ResourceUnit.GB, result.document().resourceRequirements().get(0).units());
    }

    @Test
    void apply_fleetTotalNotTheSumOfItsServices_movesByTheirChangeNotBelowZeroQuantilesInOrder() {
        // The fleet's figures are a peak over steps, not the exact sum: p90 close to p50, the quantity small.
        ResourceRequirement fleetCpu = new ResourceRequirement(ResourceType.CPU, 5, ResourceUnit.CORES, 90.0, 91.0,
                130.0);
        ResourceRequirement checkout = new ResourceRequirement(ResourceType.CPU, 40, ResourceUnit.CORES, 35.0, 45.0,
                50.0);
        PredictedFleetState p = new PredictedFleetState(1, "shop", T, null, null, null, List.of(fleetCpu),
                List.of(new ServiceRequirements("checkout", List.of(checkout))), null, null);

        var result = (OverrideResult.Overridden) ExpertOverrides.apply(p, List.of(override("pin", OverrideAction.PIN,
                "checkout", cores(30), null, T, T.plusSeconds(60))), AuditLog.inMemory(), CLOCK);

        // quantity 5 - 10 stops at 0; p50 90 - 5 = 85, p90 91 - 15 = 76 raised to 85, p99 130 - 20 = 110.
        assertEquals(new ResourceRequirement(ResourceType.CPU, 0, ResourceUnit.CORES, 85.0, 85.0, 110.0),
                result.document().resourceRequirements().get(0));
    }

    @Test
    void apply_fleetCeilingAfterAServiceFloor_stillHolds() {
        Instant end = T.plusSeconds(60);
        var result = (OverrideResult.Overridden) ExpertOverrides.apply(predicted(T), List.of(
                override("cap", OverrideAction.CEILING, null, cores(110), null, T, end),
                override("f", OverrideAction.FLOOR, "checkout", cores(60), null, T, end)), AuditLog.inMemory(), CLOCK);

        assertEquals(new ResourceRequirement(ResourceType.CPU, 110, ResourceUnit.CORES, 110.0, 110.0, 110.0),
                result.document().resourceRequirements().get(0));
    }

    @Test
    void apply_eachAction_changesQuantityAndQuantiles() {
        Instant end = T.plusSeconds(60);
        var pin = ExpertOverrides.apply(predicted(T), List.of(override("a", OverrideAction.PIN, null, cores(150), null,
                T, end)), AuditLog.inMemory(), CLOCK);
        var floor = ExpertOverrides.apply(predicted(T), List.of(override("b", OverrideAction.FLOOR, null, cores(105),
                null, T, end)), AuditLog.inMemory(), CLOCK);
        var ceiling = ExpertOverrides.apply(predicted(T), List.of(override("c", OverrideAction.CEILING, null,
                cores(105), null, T, end)), AuditLog.inMemory(), CLOCK);
        var scale = ExpertOverrides.apply(predicted(T), List.of(override("d", OverrideAction.SCALE, null, null, 1.5,
                T, end)), AuditLog.inMemory(), CLOCK);

        assertEquals(new ResourceRequirement(ResourceType.CPU, 150, ResourceUnit.CORES, 150.0, 150.0, 150.0),
                fleetCpu(pin));
        assertEquals(new ResourceRequirement(ResourceType.CPU, 105, ResourceUnit.CORES, 105.0, 110.0, 130.0),
                fleetCpu(floor));
        assertEquals(new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, 90.0, 105.0, 105.0),
                fleetCpu(ceiling));
        assertEquals(new ResourceRequirement(ResourceType.CPU, 150, ResourceUnit.CORES, 135.0, 165.0, 195.0),
                fleetCpu(scale));
        // A scale without a resource type applies to every fleet-level resource, memory too.
        assertEquals(384, ((OverrideResult.Overridden) scale).document().resourceRequirements().get(1).quantity());
    }

    @Test
    void apply_ceilingInAnotherUnit_isConvertedAndAlwaysHolds() {
        Instant end = T.plusSeconds(60);
        // 80,000 millicores = 80 cores; the ceiling acts after the pin and the floor.
        List<ExpertOverride> overrides = List.of(
                override("ceil", OverrideAction.CEILING, null, ResourceAmount.of(ResourceType.CPU, 80_000,
                        ResourceUnit.MILLICORES), null, T, end),
                override("pin", OverrideAction.PIN, null, cores(500), null, T, end),
                override("floor", OverrideAction.FLOOR, null, cores(300), null, T, end));

        ResourceRequirement cpu = fleetCpu(ExpertOverrides.apply(predicted(T), overrides, AuditLog.inMemory(), CLOCK));

        assertEquals(80, cpu.quantity(), 1e-9);
        assertEquals(80, cpu.p99(), 1e-9);
    }

    @Test
    void apply_serviceScope_changesThatServiceAndCarriesTheChangeToTheFleetTotal() {
        ExpertOverride floor = override("f", OverrideAction.FLOOR, "checkout", cores(60), null, T, T.plusSeconds(60));
        AuditLog audit = AuditLog.inMemory();

        var result = (OverrideResult.Overridden) ExpertOverrides.apply(predicted(T), List.of(floor), audit, CLOCK);

        // checkout 40 (35/45/50) floored to 60 (60/60/60): the fleet's CPU moves by the same, figure by figure.
        assertEquals(new ResourceRequirement(ResourceType.CPU, 120, ResourceUnit.CORES, 115.0, 125.0, 140.0),
                result.document().resourceRequirements().get(0));
        assertEquals(predicted(T).resourceRequirements().get(1), result.document().resourceRequirements().get(1));
        assertEquals(predicted(T).services().get(1), result.document().services().get(1));
        assertEquals(60, result.document().services().get(0).resourceRequirements().get(0).quantity());
        assertEquals(1, audit.entries().size());
        assertEquals("checkout", result.applied().get(0).service());
        assertEquals(60, result.applied().get(0).value().amount());
    }

    /**
     * A service with CPU and memory whose memory alone is scaled: the fleet's memory moves by the service's
     * change and its CPU, unchanged in the service, stays.
     */
    @Test
    void apply_oneResourceOfAServiceWithTwo_carriesOnlyThatResourceToTheFleetTotal() {
        ResourceRequirement fleetCpu = new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, 90.0, 110.0,
                130.0);
        ResourceRequirement fleetMem = new ResourceRequirement(ResourceType.MEMORY, 512, ResourceUnit.GIB, null, null,
                null);
        ResourceRequirement checkoutCpu = new ResourceRequirement(ResourceType.CPU, 40, ResourceUnit.CORES, 35.0, 45.0,
                50.0);
        ResourceRequirement checkoutMem = new ResourceRequirement(ResourceType.MEMORY, 256, ResourceUnit.GIB, null,
                null, null);
        PredictedFleetState p = new PredictedFleetState(1, "shop", T, null, null, null, List.of(fleetCpu, fleetMem),
                List.of(new ServiceRequirements("checkout", List.of(checkoutCpu, checkoutMem))), null, null);
        ExpertOverride twice = new ExpertOverride("mem", OverrideAction.SCALE, "checkout", ResourceType.MEMORY, null,
                2.0, T, T.plusSeconds(60), "alice", "a sale");

        var result = (OverrideResult.Overridden) ExpertOverrides.apply(p, List.of(twice), AuditLog.inMemory(), CLOCK);

        assertEquals(List.of(checkoutCpu, new ResourceRequirement(ResourceType.MEMORY, 512, ResourceUnit.GIB, null,
                null, null)), result.document().services().get(0).resourceRequirements());
        assertEquals(List.of(fleetCpu, new ResourceRequirement(ResourceType.MEMORY, 768, ResourceUnit.GIB, null, null,
                null)), result.document().resourceRequirements());
    }

    @Test
    void apply_disable_removesThePredictionAndForTheWholeFleetSaysSo() {
        Instant end = T.plusSeconds(60);
        var service = (OverrideResult.Overridden) ExpertOverrides.apply(predicted(T),
                List.of(override("off", OverrideAction.DISABLE, "search", null, null, T, end)), AuditLog.inMemory(),
                CLOCK);
        assertTrue(service.document().services().get(1).resourceRequirements().isEmpty());

        AuditLog audit = AuditLog.inMemory();
        var fleet = ExpertOverrides.apply(predicted(T),
                List.of(override("all-off", OverrideAction.DISABLE, null, null, null, T, end)), audit, CLOCK);
        var disabled = assertInstanceOf(OverrideResult.PredictionDisabled.class, fleet);
        assertEquals(2, disabled.applied().size());
        assertEquals("prediction off", audit.entries().get(0).after());
    }

    @Test
    void apply_everyApplicationIsAudited_andShownInTheDocument() {
        Instant end = T.plusSeconds(60);
        List<ExpertOverride> overrides = List.of(
                override("s", OverrideAction.SCALE, null, null, 2.0, T, end),
                override("c", OverrideAction.CEILING, "checkout", cores(42), null, T, end),
                override("expired", OverrideAction.PIN, null, cores(1), null, T.minusSeconds(120), T.minusSeconds(60)));
        AuditLog audit = AuditLog.inMemory();

        var result = (OverrideResult.Overridden) ExpertOverrides.apply(predicted(T), overrides, audit, CLOCK);

        // scale on fleet CPU and memory, ceiling on checkout CPU; the expired pin does nothing.
        assertEquals(3, result.applied().size());
        assertEquals(3, audit.entries().size());
        assertEquals(result.applied(), result.document().overridesApplied());
        AuditEntry first = audit.entries().get(0);
        assertEquals(AuditEvent.OVERRIDE_APPLIED, first.event());
        assertEquals("s", first.overrideId());
        // The fleet scale acts on the fleet's CPU after checkout's ceiling (p90 45 -> 42, p99 50 -> 42) is carried.
        assertEquals("100 cores p50=90 p90=107 p99=122", first.before());
        assertEquals("200 cores p50=180 p90=214 p99=244", first.after());
        assertEquals(CLOCK.instant(), first.time());
        // The overridden document is a valid predicted fleet state that round-trips through the codec.
        assertEquals(result.document(), Documents.read(Documents.write(result.document()), PredictedFleetState.class));
    }

    /** Overrides each of which takes a figure of the prediction past the largest double. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> overflowingOverrides() {
        Instant end = T.plusSeconds(60);
        return java.util.stream.Stream.of(
            org.junit.jupiter.params.provider.Arguments.of(
                    override("big2", OverrideAction.SCALE, "checkout", null, 1e307, T, end),
                    "overrides[1] \"big2\" (scale) on service checkout, CPU: quantity 40.0 cores would become"
                            + " Infinity, beyond the largest amount; no override was applied"),
            org.junit.jupiter.params.provider.Arguments.of(
                    override("mem", OverrideAction.FLOOR, null,
                            ResourceAmount.of(ResourceType.MEMORY, 1e305, ResourceUnit.TIB), null, T, end),
                    "overrides[1] \"mem\" (floor) on the fleet, Memory: 1.0E305 TiB is too large in MB, the unit"
                            + " of the prediction; no override was applied"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("overflowingOverrides")
    void apply_overrideBeyondTheLargestAmount_refusedNamingItAndNothingAudited(ExpertOverride bad, String message,
            @TempDir Path dir) throws Exception {
        // Memory in MB, so that a floor in TiB overflows only when converted to the prediction's unit.
        PredictedFleetState p = new PredictedFleetState(1, "shop", T, null, null, null, List.of(
                new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, 90.0, 110.0, 130.0),
                new ResourceRequirement(ResourceType.MEMORY, 256_000, ResourceUnit.MB, null, null, null)),
                List.of(new ServiceRequirements("checkout", List.of(new ResourceRequirement(ResourceType.CPU, 40,
                        ResourceUnit.CORES, 35.0, 45.0, 50.0)))), null, null);
        // A valid override before the bad one: it is computed first, and must not be recorded either.
        List<ExpertOverride> overrides = List.of(
                override("ok", OverrideAction.SCALE, null, null, 1.5, T, T.plusSeconds(60)), bad);
        Path file = dir.resolve("audit.jsonl");
        AuditLog audit = AuditLog.jsonLines(file);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExpertOverrides.apply(p, overrides, audit, CLOCK));

        assertEquals(message, e.getMessage());
        assertEquals(List.of(), audit.entries());
        assertTrue(!Files.exists(file) || Files.readString(file).isEmpty(), () -> file + " holds a line");
    }

    @Test
    void constructor_floorBeyondADoubleInTheCanonicalUnit_refusedBeforeAnyApply() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> override("f",
                OverrideAction.FLOOR, null, ResourceAmount.of(ResourceType.STORAGE, 1e308, ResourceUnit.TB), null, T,
                T.plusSeconds(60)));
        assertEquals("amount: 1.0E308 TB is too large: beyond the largest amount of Storage in GiB", e.getMessage());
    }

    @Test
    void add_recordsTheAdditionAndRefusesADuplicateId() {
        AuditLog audit = AuditLog.inMemory();
        ExpertOverride o = override("x", OverrideAction.FLOOR, "checkout", cores(10), null, T, T.plusSeconds(60));

        OverrideSet set = ExpertOverrides.add(new OverrideSet(1, List.of()), o, audit, CLOCK);

        assertEquals(List.of(o), set.overrides());
        assertEquals(AuditEvent.OVERRIDE_ADDED, audit.entries().get(0).event());
        assertThrows(IllegalArgumentException.class, () -> ExpertOverrides.add(set, o, audit, CLOCK));
        assertEquals(1, audit.entries().size());
    }

    /** Hard caps, prices and a threshold given by a test, as the provisioner would give them. */
    private record Limits(int headroom, double pricePerInstanceHour, double threshold) implements ProvisioningLimits {
        @Override
        public int maxAdditionalInstances(String service, String instanceType) {
            return headroom;
        }

        @Override
        public double costPerHour(String instanceType, int count) {
            return count * pricePerInstanceHour;
        }

        @Override
        public double costThresholdPerHour() {
            return threshold;
        }
    }

    private static ForcedProvisioning request(int count, boolean exceed) {
        return new ForcedProvisioning("force-1", "checkout", "m6i.xlarge", count, "bob", "incident 42", exceed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void force_randomRequestsAndCaps_neverPassAHardCap(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < 200; i++) {
            int headroom = rnd.nextInt(12) - 2;
            ForcedProvisioning req = request(1 + rnd.nextInt(20), rnd.nextBoolean());
            Limits limits = new Limits(headroom, 0.2 + rnd.nextDouble(), rnd.nextDouble() * 10);
            AuditLog audit = AuditLog.inMemory();

            ForcedDecision d = ExpertOverrides.force(req, limits, audit, CLOCK);

            assertEquals(1, audit.entries().size());
            if (d instanceof ForcedDecision.Allowed a) {
                assertTrue(a.count() <= Math.max(0, headroom) && a.count() <= req.count(), a.toString());
                assertTrue(!a.overCostThreshold() || req.exceedCostThreshold(), a.toString());
            } else {
                assertTrue(headroom <= 0 || limits.costPerHour("", Math.min(req.count(), headroom)) > limits.threshold());
            }
        }
    }

    @Test
    void force_overTheCostThreshold_needsTheFlagAndIsLogged() {
        Limits limits = new Limits(10, 1.0, 3.0);
        AuditLog audit = AuditLog.inMemory();

        var refused = ExpertOverrides.force(request(5, false), limits, audit, CLOCK);
        var allowed = ExpertOverrides.force(request(5, true), limits, audit, CLOCK);
        var capped = ExpertOverrides.force(request(50, true), limits, audit, CLOCK);

        assertTrue(assertInstanceOf(ForcedDecision.Refused.class, refused).reason().contains("exceedCostThreshold"));
        ForcedDecision.Allowed a = assertInstanceOf(ForcedDecision.Allowed.class, allowed);
        assertTrue(a.overCostThreshold() && a.count() == 5 && !a.capped());
        ForcedDecision.Allowed c = assertInstanceOf(ForcedDecision.Allowed.class, capped);
        assertTrue(c.capped() && c.count() == 10);
        assertEquals(List.of(AuditEvent.PROVISIONING_REFUSED, AuditEvent.PROVISIONING_FORCED,
                AuditEvent.PROVISIONING_FORCED), audit.entries().stream().map(AuditEntry::event).toList());
        assertTrue(audit.entries().get(1).after().contains("over the cost threshold"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, -1, -0.01, Double.NEGATIVE_INFINITY})
    void force_thresholdNaNOrNegative_refusedSayingSoWhateverTheRequest(double threshold) {
        Limits limits = new Limits(8, 0.096, threshold);
        AuditLog audit = AuditLog.inMemory();

        var plain = ExpertOverrides.force(request(5, false), limits, audit, CLOCK);
        var exceeding = ExpertOverrides.force(request(5, true), limits, audit, CLOCK);

        for (ForcedDecision d : List.of(plain, exceeding)) {
            String reason = assertInstanceOf(ForcedDecision.Refused.class, d).reason();
            assertEquals("the provisioner gave no valid cost threshold: " + threshold
                    + " per hour (it must be 0 or more, or infinite for none)", reason);
        }
        assertEquals(List.of(AuditEvent.PROVISIONING_REFUSED, AuditEvent.PROVISIONING_REFUSED),
                audit.entries().stream().map(AuditEntry::event).toList());
    }

    @Test
    void force_thresholdZeroOrInfinite_isAThreshold() {
        AuditLog audit = AuditLog.inMemory();

        var zero = ExpertOverrides.force(request(5, false), new Limits(8, 0.096, 0), audit, CLOCK);
        var none = ExpertOverrides.force(request(5, false), new Limits(8, 0.096, Double.POSITIVE_INFINITY), audit,
                CLOCK);

        assertTrue(assertInstanceOf(ForcedDecision.Refused.class, zero).reason().contains("above the threshold"));
        assertFalse(assertInstanceOf(ForcedDecision.Allowed.class, none).overCostThreshold());
    }

    /**
     * A cost exactly at the threshold does not pass it: allowed without the flag, not over the threshold, and
     * all the request asked for is not a cut. A cost of 0 (capacity already paid for) is a valid cost.
     */
    @Test
    void force_costAtTheThresholdOrZero_allowedWithoutTheFlag() {
        AuditLog audit = AuditLog.inMemory();

        var at = assertInstanceOf(ForcedDecision.Allowed.class,
                ExpertOverrides.force(request(4, false), new Limits(4, 0.5, 2.0), audit, CLOCK));
        var free = assertInstanceOf(ForcedDecision.Allowed.class,
                ExpertOverrides.force(request(4, false), new Limits(8, 0, 0), audit, CLOCK));

        assertEquals(4, at.count());
        assertEquals(2.0, at.costPerHour());
        assertFalse(at.overCostThreshold());
        assertFalse(at.capped());
        assertEquals("4 x m6i.xlarge at 2.0000 per hour", audit.entries().get(0).after());
        assertEquals(0.0, free.costPerHour());
        assertFalse(free.overCostThreshold());
        assertEquals("4 x m6i.xlarge at 0.0000 per hour", audit.entries().get(1).after());
    }

    /**
     * Sub-cent prices (0.004 per instance-hour, a threshold of 0.001) keep their amounts in the reason and the audit
     * record, written as the library writes quantities (four decimals, or four significant digits when finer), not
     * rounded to 0.00; and a cost of a count cut by the caps says which count it is for.
     */
    @Test
    void force_subCentCostsAndCappedCounts_amountsKeptAndTheCountPricedSaid() {
        AuditLog audit = AuditLog.inMemory();

        var refused = ExpertOverrides.force(request(1, false), new Limits(10, 0.004, 0.001), audit, CLOCK);
        var allowed = ExpertOverrides.force(request(1, true), new Limits(10, 0.004, 0.001), audit, CLOCK);
        var cappedRefusal = ExpertOverrides.force(request(5, false), new Limits(3, 0.0208, 0.05), audit, CLOCK);
        var cappedAllowed = ExpertOverrides.force(request(5, true), new Limits(3, 0.0208, 0.05), audit, CLOCK);
        ExpertOverrides.force(request(1, true), new Limits(10, 0.00001234567, 0), audit, CLOCK);

        assertEquals("costs 0.0040 per hour, above the threshold 0.0010; set exceedCostThreshold to pass it",
                assertInstanceOf(ForcedDecision.Refused.class, refused).reason());
        assertInstanceOf(ForcedDecision.Allowed.class, allowed);
        assertEquals("costs 0.0624 per hour for the 3 x m6i.xlarge the hard caps leave of the 5 asked, above the "
                + "threshold 0.0500; set exceedCostThreshold to pass it",
                assertInstanceOf(ForcedDecision.Refused.class, cappedRefusal).reason());
        assertInstanceOf(ForcedDecision.Allowed.class, cappedAllowed);
        assertEquals(List.of("refused: costs 0.0040 per hour, above the threshold 0.0010; set exceedCostThreshold to "
                        + "pass it",
                "1 x m6i.xlarge at 0.0040 per hour (over the cost threshold, allowed by the request)",
                "refused: costs 0.0624 per hour for the 3 x m6i.xlarge the hard caps leave of the 5 asked, above the "
                        + "threshold 0.0500; set exceedCostThreshold to pass it",
                "3 x m6i.xlarge at 0.0624 per hour (cut by a hard cap from the 5 asked) (over the cost threshold, "
                        + "allowed by the request)",
                "1 x m6i.xlarge at 0.00001235 per hour (over the cost threshold, allowed by the request)"),
                audit.entries().stream().map(AuditEntry::after).toList());
    }

    @Test
    void jsonLinesLog_appendsOnlyAndReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.jsonLines(file);
        AuditEntry first = new AuditEntry(T, AuditEvent.OVERRIDE_ADDED, "o1", "alice", "why \"quoted\"\nnewline",
                "fleet/CPU", null, "pin 10 cores");
        log.append(first);
        byte[] before = Files.readAllBytes(file);

        AuditLog reopened = AuditLog.jsonLines(file);
        AuditEntry second = new AuditEntry(T.plusSeconds(1), AuditEvent.OVERRIDE_APPLIED, "o1", "alice", "why",
                "fleet/CPU at " + T, "5 cores", "10 cores");
        reopened.append(second);
        byte[] after = Files.readAllBytes(file);

        assertEquals(List.of(first, second), reopened.entries());
        assertEquals(2, Files.readAllLines(file).size());
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], "byte " + i + " rewritten");
        }
        assertFalse(AuditLog.jsonLines(dir.resolve("absent.jsonl")).entries().iterator().hasNext());
    }
}

package io.fleetpredict.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResourceTypeUnitTest {

    @Test
    void unit_exactSymbolOfTheType_isThatUnit() {
        assertEquals(ResourceUnit.GIB, ResourceType.MEMORY.unit("GiB"));
    }

    @Test
    void unit_wrongCase_suggestsTheSymbolAndListsTheTypesUnits() {
        var e = assertThrows(IllegalArgumentException.class, () -> ResourceType.MEMORY.unit("gib"));

        assertEquals("unknown unit \"gib\" (units are case-sensitive: did you mean \"GiB\"?); Memory accepts MB, GB, TB,"
                + " MiB, GiB, TiB", e.getMessage());
    }

    @Test
    void unit_ofAnotherType_listsTheTypesUnits() {
        var e = assertThrows(IllegalArgumentException.class, () -> ResourceType.CPU.unit("GiB"));

        assertEquals("unit \"GiB\" is not a unit of CPU; expected one of cores, millicores, vcpu", e.getMessage());
    }

    @Test
    void unit_longSymbolWithALineBreak_shownEscapedAndCut() {
        var e = assertThrows(IllegalArgumentException.class, () -> ResourceType.CPU.unit("x\n" + "y".repeat(100)));

        assertEquals("unknown unit \"x\\u000a" + "y".repeat(55) + "...\"; CPU accepts cores, millicores, vcpu",
                e.getMessage());
    }
}

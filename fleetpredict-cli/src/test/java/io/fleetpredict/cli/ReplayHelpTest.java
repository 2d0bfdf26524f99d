package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code replay --help} describes only the policies {@code --policies} offers. */
class ReplayHelpTest {

    @Test
    void help_target_namesThePoliciesThatUseItAndNoOther() {
        CommandRun r = CommandRun.of("replay", "--help");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--target=SHARE reactive and aws-default: target utilisation (default: 0.7)"), help);
        assertFalse(help.toLowerCase(Locale.ROOT).contains("hybrid"), help);
    }
}

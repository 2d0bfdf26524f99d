package io.fleetpredict.core;

import java.util.List;
import java.util.Random;

/** Seeded edits of a valid input, for the reader properties that every build runs without a fuzzer. */
public final class TextMutations {

    private TextMutations() {
    }

    /**
     * A text with one to three edits at random places: a token inserted, a few characters replaced by a
     * token, or a few characters removed.
     *
     * @param text the valid input
     * @param tokens what may be inserted
     * @param seed the seed
     * @return the edited text
     */
    public static String mutate(String text, List<String> tokens, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length());
            String token = tokens.get(random.nextInt(tokens.size()));
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, token);
                case 1 -> out.replace(at, Math.min(out.length(), at + 1 + random.nextInt(5)), token);
                default -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(3)));
            }
        }
        return out.toString();
    }
}

package io.fleetpredict.archfixture.cycle.a;

import io.fleetpredict.archfixture.cycle.b.B;

/** A planted package cycle: a uses b. */
public final class A {
    /** @return b's value */
    public int value() {
        return new B().value();
    }
}

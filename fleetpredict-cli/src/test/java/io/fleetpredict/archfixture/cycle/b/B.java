package io.fleetpredict.archfixture.cycle.b;

import io.fleetpredict.archfixture.cycle.a.A;

/** A planted package cycle: b uses a. */
public final class B {
    /** @return 1 */
    public int value() {
        return 1;
    }

    /** @return an a */
    public A a() {
        return new A();
    }
}

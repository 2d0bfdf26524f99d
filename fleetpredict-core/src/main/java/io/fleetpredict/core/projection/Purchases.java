package io.fleetpredict.core.projection;

import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Plans the services in {@code [from, to)}, splitting the range in halves down to a few services a
 * task so that idle threads can take work from busy ones. Each service's outcome goes to its own
 * index, so the plan is the same whatever thread planned what.
 */
final class Purchases extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;
    private final int services;
    private final transient IntConsumer planOne;

    Purchases(int from, int to, int services, IntConsumer planOne) {
        this.from = from;
        this.to = to;
        this.services = services;
        this.planOne = planOne;
    }

    @Override
    protected void compute() {
        int grain = Math.max(1, services / 64);
        if (to - from <= grain || getPool() == null) {
            for (int i = from; i < to; i++) {
                planOne.accept(i);
            }
            return;
        }
        int middle = (from + to) >>> 1;
        invokeAll(new Purchases(from, middle, services, planOne), new Purchases(middle, to, services, planOne));
    }
}

package io.fleetpredict.core.replay;

import java.time.Instant;

/**
 * The larger of a predictive and a reactive policy's fleets, as AWS recommends running the two
 * together. Each runs as if it alone sized the fleet (it sees its own previous answer as the active
 * fleet), so each keeps its own scale-in gating, and the fleet is the larger of the two.
 */
final class Hybrid implements ProvisioningPolicy {

    private final ProvisioningPolicy predictive;
    private final ProvisioningPolicy reactive;

    Hybrid(ProvisioningPolicy predictive, ProvisioningPolicy reactive) {
        this.predictive = predictive;
        this.reactive = reactive;
    }

    @Override
    public String name() {
        return "hybrid(" + predictive.name() + "," + reactive.name() + ")";
    }

    @Override
    public Provisioner start(ReplayContext context) {
        Own p = new Own(predictive.start(context));
        Own r = new Own(reactive.start(context));
        return view -> Math.max(p.decide(view), r.decide(view));
    }

    /** One component with the fleet it would have if it were alone. */
    private static final class Own implements FleetView {
        private final Provisioner provisioner;
        private FleetView view;
        private int own = -1;

        Own(Provisioner provisioner) {
            this.provisioner = provisioner;
        }

        int decide(FleetView current) {
            this.view = current;
            if (own < 0) {
                own = current.active();
            }
            own = provisioner.desiredInstances(this);
            return own;
        }

        @Override
        public int step() {
            return view.step();
        }

        @Override
        public Instant time() {
            return view.time();
        }

        @Override
        public double demand(int index) {
            return view.demand(index);
        }

        @Override
        public int ready() {
            return Math.min(own, view.ready());
        }

        @Override
        public int active() {
            return own;
        }
    }
}

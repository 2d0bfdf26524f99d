package io.fleetpredict.spark;

import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.LstmModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which model forecasts each series, in a form that Spark ships to its executors: either a
 * {@link ForecasterFactory} run on each executor, or the weights of an LSTM trained once across many
 * series, broadcast to the executors and read once per partition.
 */
public final class ModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    /** Null for a global model. */
    private final @Nullable ForecasterFactory factory;
    /** The saved {@link LstmModel}; null unless global. */
    private final byte @Nullable [] weights;
    /** The interval levels a global model was trained for; empty otherwise. */
    private final double[] trainedLevels;
    /** The longest horizon a global model forecasts; 0 otherwise. */
    private final int trainedHorizon;

    private ModelSource(String name, @Nullable ForecasterFactory factory, byte @Nullable [] weights, double[] trainedLevels,
            int trainedHorizon) {
        this.name = name;
        this.factory = factory;
        this.weights = weights;
        this.trainedLevels = trainedLevels;
        this.trainedHorizon = trainedHorizon;
    }

    /**
     * A model created on each executor by a factory. The factory is called once on the driver to check it
     * and to learn the model's name.
     *
     * @param factory creates the forecaster, for example
     *     {@code () -> Forecasters.auto(CrossValidation.of(48), 24, 168)}
     * @return the source
     * @throws IllegalArgumentException if the factory returns null
     */
    public static ModelSource of(ForecasterFactory factory) {
        Objects.requireNonNull(factory, "factory");
        Forecaster probe = factory.create();
        if (probe == null) {
            throw new IllegalArgumentException("factory returned no forecaster");
        }
        return new ModelSource(probe.name(), factory, null, new double[0], 0);
    }

    /**
     * An LSTM trained once across many series (on the driver, see {@link SparkForecasting#trainGlobalLstm},
     * or anywhere else): its weights are broadcast and each series is forecast from its own last window.
     *
     * @param model the trained model
     * @return the source
     */
    public static ModelSource global(LstmModel model) {
        Objects.requireNonNull(model, "model");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.save(out);
        double[] levels = model.config().levels().stream().mapToDouble(Double::doubleValue).toArray();
        return new ModelSource(model.forecaster().name(), null, out.toByteArray(), levels, model.config().horizon());
    }

    /**
     * The name of the model, as the forecaster gives it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether this is an LSTM trained across series, whose weights are broadcast.
     *
     * @return true for {@link #global}
     */
    public boolean isGlobal() {
        return weights != null;
    }

    /** The interval levels a global model can give; empty for a factory, whose model is not known here. */
    List<Double> trainedLevels() {
        return java.util.Arrays.stream(trainedLevels).boxed().toList();
    }

    /** The longest horizon of a global model; 0 for a factory. */
    int trainedHorizon() {
        return trainedHorizon;
    }

    /** The forecaster of this source on an executor; a global one from its weights, shipped with the source. */
    Forecaster forecaster() {
        byte[] w = weights;
        return w != null ? fromWeights(w) : create();
    }

    /** The saved model of a global source, to broadcast. */
    byte @Nullable [] weights() {
        return weights == null ? null : weights.clone();
    }

    /** Creates the forecaster of a factory source. */
    Forecaster create() {
        if (factory == null) {
            throw new IllegalStateException("a global model is read from its broadcast weights");
        }
        return factory.create();
    }

    /** Reads the forecaster of a global source from its broadcast weights. */
    static Forecaster fromWeights(byte[] weights) {
        return LstmModel.load(new ByteArrayInputStream(weights)).forecaster();
    }

    @Override
    public String toString() {
        return (isGlobal() ? "global " : "") + name;
    }
}

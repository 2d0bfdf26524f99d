package io.fleetpredict.spark;

import io.fleetpredict.forecast.CrossValidation;
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
 *
 * <p>A global model is fitted to a series by reading it, not by training on it, so cross-validating it scores
 * it on whatever values it was trained on. {@link SparkForecasting#crossValidate} therefore takes only a global
 * model declared trained before the origins ({@link #globalTrainedBefore}); {@link #global} serves forecasts.
 */
public final class ModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How the forecaster of {@code LstmModel.forecaster()} begins its name. */
    private static final String TRAINED_LSTM_PREFIX = "lstm-pretrained(";

    private final String name;
    /** Null for a global model. */
    private final @Nullable ForecasterFactory factory;
    /** The saved {@link LstmModel}; null unless global. */
    private final byte @Nullable [] weights;
    /** The interval levels a global model was trained for; empty otherwise. */
    private final double[] trainedLevels;
    /** The longest horizon a global model forecasts; 0 otherwise. */
    private final int trainedHorizon;
    /**
     * How many values at the end of each series a global model was trained without: the span of the plan given
     * to {@link #globalTrainedBefore}, 0 for a model that may have seen every value, and for a factory.
     */
    private final int heldBack;
    /**
     * The regressors a global model was trained with, in the order its inputs take them; empty for a model
     * trained without, and for a factory.
     */
    private final String[] regressorNames;
    /**
     * Whether the factory's forecaster holds a model trained before it fits a series
     * ({@link Forecaster#trainedBeforeFit()}), such as {@code LstmModel.load(...).forecaster()}; false for a
     * global source, which {@link #isGlobal()} says is one.
     */
    private final boolean factoryTrainedBeforeFit;

    private ModelSource(String name, @Nullable ForecasterFactory factory, byte @Nullable [] weights, double[] trainedLevels,
            int trainedHorizon, int heldBack, String[] regressorNames, boolean factoryTrainedBeforeFit) {
        this.name = name;
        this.factory = factory;
        this.weights = weights;
        this.trainedLevels = trainedLevels;
        this.trainedHorizon = trainedHorizon;
        this.heldBack = heldBack;
        this.regressorNames = regressorNames;
        this.factoryTrainedBeforeFit = factoryTrainedBeforeFit;
    }

    /**
     * A model created on each executor by a factory. The factory is called once on the driver to check it
     * and to learn the model's name, and whether it holds a model trained before fitting, for example across
     * many series ({@link Forecaster#trainedBeforeFit()}, as {@code LstmModel.load(...).forecaster()} or
     * {@code GlobalAutoregression.train(...)}): such a source forecasts, and
     * {@link SparkForecasting#crossValidate} refuses it, as it refuses {@link #global}, since nothing says the
     * model was trained before the origins. Only an LSTM can be declared so ({@link #globalTrainedBefore});
     * any other model trained before fitting cannot be cross-validated here.
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
        return new ModelSource(probe.name(), factory, null, new double[0], 0, 0, new String[0],
                probe.trainedBeforeFit());
    }

    /**
     * An LSTM trained once across many series (on the driver, see {@link SparkForecasting#trainGlobalLstm},
     * or anywhere else): its weights are broadcast and each series is forecast from its own last window. It
     * forecasts; {@link SparkForecasting#crossValidate} refuses it, since it may have been trained on the values
     * the origins score (see {@link #globalTrainedBefore}). The source keeps the names of the regressors the
     * model was trained with, which {@link ForecastSpec.Builder#build} matches against the spec's.
     *
     * @param model the trained model
     * @return the source
     */
    public static ModelSource global(LstmModel model) {
        return global(model, 0);
    }

    /**
     * An LSTM trained across many series each cut before the first origin of a cross-validation plan, as
     * {@link SparkForecasting#trainGlobalLstm(org.apache.spark.sql.Dataset, io.fleetpredict.forecast.LstmConfig,
     * int, CrossValidation, String...)} trains it: it can be cross-validated on those series with that plan, or
     * with any plan that reaches no further back ({@code horizon + (origins - 1) * stride} values from the end
     * of each series at most), without being scored on a value it was trained on. The source only records what
     * the caller states; a model trained on later values scores better than it will forecast.
     *
     * @param model the trained model
     * @param plan the plan whose first origin ended every training series
     * @return the source
     */
    public static ModelSource globalTrainedBefore(LstmModel model, CrossValidation plan) {
        Objects.requireNonNull(plan, "plan");
        return global(model, span(plan));
    }

    private static ModelSource global(LstmModel model, int heldBack) {
        Objects.requireNonNull(model, "model");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.save(out);
        double[] levels = model.config().levels().stream().mapToDouble(Double::doubleValue).toArray();
        return new ModelSource(model.forecaster().name(), null, out.toByteArray(), levels, model.config().horizon(),
                heldBack, model.regressorNames().toArray(new String[0]), false);
    }

    /** How many values at the end of a series a plan's origins score or pass: the first origin is n minus it. */
    static int span(CrossValidation plan) {
        return (int) Math.min(Integer.MAX_VALUE, plan.horizon() + (plan.origins() - 1L) * plan.stride());
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

    /**
     * Whether the model was trained before it fits a series, so that cross-validation scores it as trained:
     * a global model, or a factory whose forecaster holds one.
     */
    boolean trainedBeforeFit() {
        return isGlobal() || factoryTrainedBeforeFit;
    }

    /**
     * Whether the model is an LSTM's trained weights, which {@link #globalTrainedBefore} can declare trained
     * before the origins: a global source, or a factory whose forecaster is {@code LstmModel.forecaster()}, told
     * by the name that forecaster gives itself. No other model trained before fitting can be so declared.
     */
    boolean isTrainedLstm() {
        return isGlobal() || name.startsWith(TRAINED_LSTM_PREFIX);
    }

    /** The interval levels a global model can give; empty for a factory, whose model is not known here. */
    List<Double> trainedLevels() {
        return java.util.Arrays.stream(trainedLevels).boxed().toList();
    }

    /** The longest horizon of a global model; 0 for a factory. */
    int trainedHorizon() {
        return trainedHorizon;
    }

    /**
     * The values at the end of each series a global model was trained without; 0 for one that may have seen
     * them all, and for a factory.
     */
    int heldBack() {
        return heldBack;
    }

    /**
     * The regressors a global model was trained with, in the order it takes them; empty for one trained
     * without, and for a factory, whose model is not known here.
     */
    List<String> regressorNames() {
        return List.of(regressorNames);
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
        if (!isGlobal()) {
            return name;
        }
        return "global " + name + (heldBack > 0 ? " trained without the last " + heldBack + " values" : "");
    }
}

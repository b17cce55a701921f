package org.covidrisk.imaging.model;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The second layer of the IJIMAI method as {@link ImagingValidation} needs it: fit a model of death on a few
 * patient-level inputs, then score rows with it. This module does not implement it — the served implementation is
 * ensemble-service's {@code XraySecondLayer}, which the command line passes in (ensemble-service is a Quarkus
 * application, not a library of this jar).
 */
@FunctionalInterface
public interface SecondLayerFitter {

    /** The CNN's mean death probability over the patient's images (a probability, not a logit). */
    String CNN = "cnn";
    /** Age in years; NaN when missing. */
    String AGE = "age";
    /** 1 for male, 0 for female; NaN when missing. */
    String MALE = "male";

    /**
     * Fits on training rows and returns the fitted model.
     *
     * @param names the inputs, in row order: {@link #CNN}, {@link #AGE}, {@link #MALE} for the second layer, or
     *        {@link #AGE}, {@link #MALE} for the age + sex baseline
     * @param rows one value array per training patient, NaN where a value is missing (the fitter decides how to
     *        fill it, for training and scored rows alike)
     * @param died outcome per training patient
     * @return the probability of death of a row in the same layout (NaN allowed as in training)
     */
    ToDoubleFunction<double[]> fit(List<String> names, List<double[]> rows, boolean[] died);
}

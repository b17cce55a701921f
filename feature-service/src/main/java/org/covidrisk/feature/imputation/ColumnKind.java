package org.covidrisk.feature.imputation;

/** Measurement level of an imputation column; it picks the column's imputation model. */
public enum ColumnKind {
    /** Numeric: predictive mean matching (imputes only values someone was observed with). */
    CONTINUOUS,
    /** Two levels coded 0/1: logistic regression. */
    BINARY,
    /** More than two unordered levels (any double codes): multinomial (polytomous) logistic regression. */
    CATEGORICAL
}

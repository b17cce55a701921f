package org.covidrisk.ingest.admission;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One hospital admission as a reader produced it, validated and in canonical units, before it is stored. Times are
 * the hospital's local time. A plain mutable carrier, like {@link org.covidrisk.ingest.Patient}: readers fill it
 * field by field while they validate.
 */
public final class Admission {

    /** What an item is. */
    public enum Kind {
        COMORBIDITY, VITAL, LAB
    }

    /**
     * One comorbidity (value 1 present, 0 absent; unit "1"), vital sign or laboratory result.
     *
     * @param value in the canonical unit
     * @param unit the canonical UCUM unit
     * @param valueAsGiven the value as the source gave it
     * @param unitAsGiven the unit as the source gave it
     * @param takenAt when it was measured; null means at presentation
     */
    public record Item(Kind kind, String code, double value, String unit, double valueAsGiven, String unitAsGiven,
            LocalDateTime takenAt) {
    }

    /** covidrisk.ingest.v1.Sex numbers. */
    public static final int FEMALE = 1;
    public static final int MALE = 2;
    /** covidrisk.ingest.v1.AdmissionOutcome numbers. */
    public static final int OUTCOME_UNKNOWN = 0;
    public static final int DISCHARGED_ALIVE = 1;
    public static final int DIED = 2;

    public String source;
    public String hospital;
    public String patientId;
    public LocalDateTime admissionTime;
    public LocalDate symptomOnsetDate;
    public Double age;
    /** {@link #FEMALE}, {@link #MALE} or null (unknown). */
    public Integer sex;
    public Boolean mechanicalVentilation;
    /** {@link #OUTCOME_UNKNOWN}, {@link #DISCHARGED_ALIVE} or {@link #DIED}. */
    public int outcome;
    public LocalDateTime outcomeTime;
    /** At most one per code. */
    public final List<Item> items = new ArrayList<>();

    /** The item of this code, or null. */
    public Item item(String code) {
        for (Item i : items) {
            if (i.code().equals(code)) {
                return i;
            }
        }
        return null;
    }
}

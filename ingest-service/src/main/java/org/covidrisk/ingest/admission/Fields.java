package org.covidrisk.ingest.admission;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.covidrisk.ingest.dge.RowViolation;

/**
 * Parses and checks the fields of one record, adding a {@link RowViolation} per problem (never echoing the value)
 * and returning null for a field that failed. Shared by the admission readers so a field means the same in every
 * format.
 */
public final class Fields {

    /** Patient ids: printable, at most this long. */
    static final int MAX_ID_LENGTH = 64;
    static final double MAX_AGE = 130;
    private static final LocalDate EARLIEST = LocalDate.of(2019, 1, 1);
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]{1,12}(\\.[0-9]{0,12})?|\\.[0-9]{1,12})");
    private static final Pattern HOSPITAL = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern SOURCE = Pattern.compile("[A-Z0-9_]{1,16}");

    private final long line;
    private final List<RowViolation> problems;

    public Fields(long line, List<RowViolation> problems) {
        this.line = line;
        this.problems = problems;
    }

    /** Problems found so far in the record. */
    public int count() {
        return problems.size();
    }

    public void problem(String column, String reason) {
        problems.add(new RowViolation(line, column, reason));
    }

    /** A patient id: required, printable, at most {@link #MAX_ID_LENGTH} characters. */
    public String id(String column, String v) {
        if (v.isEmpty()) {
            problem(column, "is empty");
            return null;
        }
        if (v.length() > MAX_ID_LENGTH) {
            problem(column, "is longer than " + MAX_ID_LENGTH + " characters");
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                problem(column, "holds control characters");
                return null;
            }
        }
        return v;
    }

    /** A hospital key: 1-32 of A-Z a-z 0-9 . _ - */
    String hospital(String column, String v) {
        if (!isHospital(v)) {
            problem(column, v.isEmpty() ? "is empty" : "is not a hospital key (1-32 of A-Z a-z 0-9 . _ -)");
            return null;
        }
        return v;
    }

    public static boolean isHospital(String v) {
        return HOSPITAL.matcher(v).matches();
    }

    public static boolean isSource(String v) {
        return SOURCE.matcher(v).matches();
    }

    /** A plain decimal number (no exponent, no thousands separator); null when empty. */
    Double decimal(String column, String v) {
        if (v.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(v).matches()) {
            problem(column, "is not a decimal number (digits with an optional '.')");
            return null;
        }
        return Double.parseDouble(v);
    }

    /** Age in years, 0-130; null when empty. */
    Double age(String column, String v) {
        Double a = decimal(column, v);
        if (a != null && (a < 0 || a > MAX_AGE)) {
            problem(column, "age is outside 0-" + (int) MAX_AGE);
            return null;
        }
        return a;
    }

    /** yes/no, 1/0, true/false (any case); null when empty. */
    Boolean yesNo(String column, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "1", "yes", "y", "true" -> Boolean.TRUE;
            case "0", "no", "n", "false" -> Boolean.FALSE;
            default -> {
                problem(column, "is not one of yes, no, 1, 0, true, false (or empty for unknown)");
                yield null;
            }
        };
    }

    /** female/male, F/M (any case); null when empty. */
    Integer sex(String column, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "f", "female" -> Admission.FEMALE;
            case "m", "male" -> Admission.MALE;
            default -> {
                problem(column, "is not one of female, male, F, M (or empty for unknown)");
                yield null;
            }
        };
    }

    /**
     * A local date-time {@code yyyy-MM-ddTHH:mm[:ss]} (a space instead of T too), or a date (midnight), from
     * 2019-01-01 to tomorrow. A trailing offset or Z is accepted and dropped: times are the hospital's local time
     * as written.
     */
    public LocalDateTime dateTime(String column, String v, boolean required) {
        if (v.isEmpty()) {
            if (required) {
                problem(column, "is missing");
            }
            return null;
        }
        LocalDateTime t = parseDateTime(v);
        if (t == null) {
            problem(column, "is not a date-time in yyyy-MM-ddTHH:mm[:ss] or yyyy-MM-dd form");
            return null;
        }
        return inRange(column, t);
    }

    /** A date {@code yyyy-MM-dd} from 2019-01-01 to tomorrow; null when empty. */
    LocalDate date(String column, String v) {
        if (v.isEmpty()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(v);
            return inRange(column, d.atStartOfDay()) == null ? null : d;
        } catch (DateTimeParseException e) {
            problem(column, "is not a date in yyyy-MM-dd form");
            return null;
        }
    }

    /** Checks a time lies between 2019-01-01 and tomorrow (COVID-19 admissions, no future). */
    LocalDateTime inRange(String column, LocalDateTime t) {
        if (t.toLocalDate().isBefore(EARLIEST) || t.toLocalDate().isAfter(LocalDate.now().plusDays(1))) {
            problem(column, "date is outside 2019-01-01..today");
            return null;
        }
        return t;
    }

    /** The parsed local date-time, or null when the text is none of the accepted forms. */
    static LocalDateTime parseDateTime(String v) {
        String s = v.length() > 10 && v.charAt(10) == ' ' ? v.substring(0, 10) + "T" + v.substring(11) : v;
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.endsWith("Z") || s.matches(".*[+-][0-9]{2}:[0-9]{2}$")) {
                return OffsetDateTime.parse(s.endsWith("Z") ? s.substring(0, s.length() - 1) + "+00:00" : s)
                        .toLocalDateTime();
            }
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

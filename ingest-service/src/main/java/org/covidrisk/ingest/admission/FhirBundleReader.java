package org.covidrisk.ingest.admission;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.covidrisk.ingest.dge.RowViolation;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;

/**
 * Reads FHIR R4 Bundles (JSON; one per file, or several one after the other, e.g. one per line as NDJSON) through
 * HAPI FHIR, one Bundle at a time: Jackson finds where each Bundle ends, HAPI parses that Bundle alone, so memory
 * is bounded by the largest Bundle ({@link #MAX_BUNDLE_BYTES}), not by the file. Each Patient of a Bundle is one
 * admission: its one Encounter gives admission and discharge (and death through the discharge disposition or
 * Patient.deceased), the hospital (Encounter.serviceProvider, else Patient.managingOrganization: the identifier of
 * the reference or of the Organization it points to), Observations with a LOINC code of {@link FhirCodes} give
 * vital signs and laboratory results (the first within the admission window), Conditions with a SNOMED CT or
 * ICD-10 code give comorbidities (a refuted one is absent; an unlisted one stays unknown). A Bundle is stored
 * whole or not at all, as FHIR defines a transaction: one problem makes the whole Bundle invalid, reported on the
 * line the Bundle starts, with the entry and element at fault.
 */
public final class FhirBundleReader implements AdmissionReader {

    /** Stored as the batch layout and the default source. */
    public static final String FORMAT = "FHIR_BUNDLE";
    public static final String SOURCE = "FHIR";

    /** Largest Bundle accepted; one admission's Bundle is some tens of KiB. */
    public static final int MAX_BUNDLE_BYTES = 8 << 20;
    private static final int MAX_PROBLEMS_PER_BUNDLE = 20;
    private static final Pattern HAPI_ELEMENT = Pattern.compile("\\[element=\"([A-Za-z0-9_.\\[\\]]{1,64})\"]");

    /** Expensive to build (it scans the model classes), thread-safe once built: one per process. */
    private static final class Context {
        static final FhirContext R4 = FhirContext.forR4();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Duration labWindow;
    private final long maxRecords;

    /**
     * @param source what the patient ids are unique within
     * @param labWindow how long after admission an observation still counts as the presentation value
     * @param maxRecords refuse files with more Bundles or patients than this
     */
    public FhirBundleReader(String source, Duration labWindow, long maxRecords) {
        this.source = source;
        this.labWindow = labWindow;
        this.maxRecords = maxRecords;
    }

    @Override
    public <E extends Exception> Summary read(Path file, Handler<E> handler) throws AdmissionFileException, E {
        long records = 0;
        long bundles = 0;
        try (BoundedInput in = new BoundedInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
                JsonParser p = JSON.createParser(in)) {
            while (true) {
                in.startValue();
                JsonToken t = next(p);
                if (t == null) {
                    break;
                }
                long line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    throw new AdmissionFileException(line, "", "expected a JSON object (a FHIR Bundle)");
                }
                if (++bundles > maxRecords) {
                    throw new AdmissionFileException(line, "", "more than " + maxRecords + " Bundles; split the file");
                }
                JsonNode node = tree(p, line);
                List<RowViolation> problems = new ArrayList<>();
                List<Admission> admissions = bundle(node, new Fields(line, problems));
                if (!problems.isEmpty()) {
                    records++;
                    if (!handler.invalid(line, problems.size() > MAX_PROBLEMS_PER_BUNDLE
                            ? List.copyOf(problems.subList(0, MAX_PROBLEMS_PER_BUNDLE))
                            : problems)) {
                        break;
                    }
                    continue;
                }
                boolean more = true;
                for (Admission a : admissions) {
                    if (++records > maxRecords) {
                        throw new AdmissionFileException(line, "", "more than " + maxRecords + " patients; split the "
                                + "file");
                    }
                    more = handler.record(line, a);
                    if (!more) {
                        break;
                    }
                }
                if (!more) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new AdmissionFileException(0, "", "unreadable file");
        }
        if (bundles == 0) {
            throw new AdmissionFileException(0, "", "the file holds no FHIR Bundle");
        }
        return new Summary(FORMAT, records);
    }

    private static JsonToken next(JsonParser p) throws AdmissionFileException, IOException {
        try {
            return p.nextToken();
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw tooLarge(e, p.currentLocation().getLineNr());
        }
    }

    private static JsonNode tree(JsonParser p, long line) throws AdmissionFileException, IOException {
        try {
            return JSON.readTree(p);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw tooLarge(e, line);
        }
    }

    /** The bound of {@link BoundedInput} as a problem of the Bundle's line; other read errors as they are. */
    private static IOException tooLarge(IOException e, long line) throws AdmissionFileException {
        if (e.getMessage() != null && e.getMessage().startsWith(BoundedInput.TOO_LARGE)) {
            throw new AdmissionFileException(line, "", e.getMessage());
        }
        return e;
    }

    /** Where the JSON broke, without Jackson's message (it quotes the offending text). */
    private static AdmissionFileException malformed(JsonProcessingException e) {
        long line = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNr(), 0);
        String what = e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                ? "the JSON ends inside a value"
                : e.getMessage() != null && e.getMessage().contains("Invalid UTF-8")
                        ? "not UTF-8 text"
                        : "malformed JSON";
        return new AdmissionFileException(line, "", what);
    }

    /** The admissions of one Bundle, or none with problems added. */
    private List<Admission> bundle(JsonNode node, Fields f) {
        JsonNode type = node.get("resourceType");
        if (type == null || !"Bundle".equals(type.asText())) {
            f.problem("resourceType", "is not Bundle");
            return List.of();
        }
        Bundle bundle;
        Collecting errors = new Collecting(f);
        try {
            IParser parser = Context.R4.newJsonParser().setParserErrorHandler(errors);
            bundle = parser.parseResource(Bundle.class, node.toString());
        } catch (DataFormatException e) {
            Matcher m = HAPI_ELEMENT.matcher(e.getMessage() == null ? "" : e.getMessage());
            f.problem(m.find() ? m.group(1) : "", "is not valid FHIR R4 JSON");
            return List.of();
        }
        if (!errors.clean) {
            return List.of();
        }
        return new BundleContents(bundle, f).admissions();
    }

    /** HAPI's lenient handler, except that an invalid value or a wrong JSON type is a problem of the Bundle. */
    private static final class Collecting extends LenientErrorHandler {
        private final Fields f;
        boolean clean = true;

        Collecting(Fields f) {
            super(false);
            this.f = f;
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            clean = false;
            f.problem(element(location), "invalid value");
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String element,
                ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType expected,
                ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType expectedScalar,
                ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType found,
                ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType foundScalar) {
            clean = false;
            f.problem(element == null ? element(location) : element, "has the wrong JSON type");
        }

        private static String element(IParseLocation location) {
            String e = location == null ? null : location.getParentElementName();
            return e == null ? "" : e;
        }
    }

    /** The resources of one Bundle, indexed by the references that may point at them. */
    private final class BundleContents {
        private final Fields f;
        private final Map<String, Resource> byReference = new HashMap<>();
        private final Map<Resource, Integer> entryIndex = new HashMap<>();
        private final Map<Patient, Record> records = new LinkedHashMap<>();
        private final List<Resource> entries = new ArrayList<>();

        BundleContents(Bundle bundle, Fields f) {
            this.f = f;
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                Bundle.BundleEntryComponent e = bundle.getEntry().get(i);
                Resource r = e.getResource();
                if (r == null) {
                    continue;
                }
                entries.add(r);
                entryIndex.put(r, i);
                if (e.hasFullUrl()) {
                    byReference.put(e.getFullUrl(), r);
                    byReference.put(tail(e.getFullUrl()), r);
                }
                if (r.hasIdElement() && r.getIdElement().getIdPart() != null && !r.getIdElement().isUrn()) {
                    byReference.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
                }
                if (r instanceof Patient p) {
                    records.put(p, new Record(p));
                }
            }
        }

        List<Admission> admissions() {
            if (records.isEmpty()) {
                f.problem("entry", "the Bundle holds no Patient");
                return List.of();
            }
            for (Resource r : entries) {
                switch (r) {
                    case Encounter e -> owner(e, e.getSubject(), "Encounter.subject").encounters.add(e);
                    case Observation o -> {
                        if (o.getStatus() != Observation.ObservationStatus.ENTEREDINERROR && o
                                .getStatus() != Observation.ObservationStatus.CANCELLED) {
                            owner(o, o.getSubject(), "Observation.subject").observations.add(o);
                        }
                    }
                    case Condition c -> owner(c, c.getSubject(), "Condition.subject").conditions.add(c);
                    default -> {
                        // Patients are the records; Organizations are looked up; other resources are not used.
                    }
                }
            }
            List<Admission> out = new ArrayList<>();
            for (Record rec : records.values()) {
                Admission a = rec.admission();
                if (a != null) {
                    out.add(a);
                }
            }
            return out;
        }

        /** The record of the Patient a reference points to; a sink record (with a problem) when none. */
        private Record owner(Resource r, Reference subject, String element) {
            Resource target = resolve(subject);
            if (target instanceof Patient p) {
                return records.get(p);
            }
            f.problem(where(r, element), "does not refer to a Patient of the Bundle");
            return new Record(null);
        }

        private Resource resolve(Reference ref) {
            if (ref == null || !ref.hasReference()) {
                return null;
            }
            String s = ref.getReference();
            Resource r = byReference.get(s);
            return r != null ? r : byReference.get(tail(s));
        }

        /** "Patient/1" of "http://host/fhir/Patient/1" (the last two path segments). */
        private static String tail(String url) {
            if (url.startsWith("urn:")) {
                return url;
            }
            int last = url.lastIndexOf('/');
            int before = last > 0 ? url.lastIndexOf('/', last - 1) : -1;
            return last < 0 ? url : url.substring(before + 1);
        }

        private String where(Resource r, String element) {
            Integer i = entryIndex.get(r);
            return "entry[" + (i == null ? "?" : i) + "]." + element;
        }

        /** One Patient and what refers to it. */
        private final class Record {
            final Patient patient;
            final List<Encounter> encounters = new ArrayList<>();
            final List<Observation> observations = new ArrayList<>();
            final List<Condition> conditions = new ArrayList<>();

            Record(Patient patient) {
                this.patient = patient;
            }

            Admission admission() {
                int before = problemCount();
                Admission a = new Admission();
                a.source = source;
                a.patientId = patientId();
                if (encounters.size() != 1) {
                    f.problem(where(patient, "Patient"), encounters.isEmpty()
                            ? "no Encounter refers to this Patient (the admission)"
                            : "more than one Encounter refers to this Patient: send one admission per Bundle "
                                    + "and Patient");
                    return null;
                }
                Encounter e = encounters.get(0);
                a.admissionTime = time(e, "Encounter.period.start", e.getPeriod().getStartElement(), true);
                a.hospital = hospital(e);
                if (patient.hasGender()) {
                    a.sex = patient.getGender() == AdministrativeGender.MALE
                            ? Admission.MALE
                            : patient.getGender() == AdministrativeGender.FEMALE ? Admission.FEMALE : null;
                }
                age(a);
                outcome(a, e);
                for (Observation o : observations) {
                    observation(a, o);
                }
                for (Condition c : conditions) {
                    condition(a, c);
                }
                return problemCount() == before ? a : null;
            }

            private int problemCount() {
                return f.count();
            }

            /** The first identifier's value (a medical record number), else the resource id. */
            private String patientId() {
                for (Identifier i : patient.getIdentifier()) {
                    if (i.hasValue()) {
                        return f.id(where(patient, "Patient.identifier.value"), i.getValue().strip());
                    }
                }
                if (patient.hasIdElement() && !patient.getIdElement().isUrn() && patient.getIdElement()
                        .getIdPart() != null) {
                    return f.id(where(patient, "Patient.id"), patient.getIdElement().getIdPart());
                }
                f.problem(where(patient, "Patient.identifier"), "the Patient has neither an identifier nor an id");
                return null;
            }

            private String hospital(Encounter e) {
                String h = organisation(e.getServiceProvider());
                String element = "Encounter.serviceProvider";
                if (h == null) {
                    h = organisation(patient.getManagingOrganization());
                    element = "Patient.managingOrganization";
                }
                if (h == null) {
                    f.problem(where(e, "Encounter.serviceProvider"), "no hospital: Encounter.serviceProvider or "
                            + "Patient.managingOrganization needs an identifier (or an Organization of the Bundle "
                            + "with one)");
                    return null;
                }
                return f.hospital(where(element.startsWith("Patient") ? patient : e, element), h);
            }

            private String organisation(Reference ref) {
                if (ref == null) {
                    return null;
                }
                if (ref.hasIdentifier() && ref.getIdentifier().hasValue()) {
                    return ref.getIdentifier().getValue().strip();
                }
                if (resolve(ref) instanceof Organization o) {
                    for (Identifier i : o.getIdentifier()) {
                        if (i.hasValue()) {
                            return i.getValue().strip();
                        }
                    }
                }
                return null;
            }

            private void age(Admission a) {
                if (!patient.hasBirthDate() || a.admissionTime == null) {
                    return;
                }
                LocalDateTime born = time(patient, "Patient.birthDate", patient.getBirthDateElement(), false);
                if (born == null) {
                    return;
                }
                LocalDate admitted = a.admissionTime.toLocalDate();
                if (born.toLocalDate().isAfter(admitted)) {
                    f.problem(where(patient, "Patient.birthDate"), "is after the admission");
                    return;
                }
                int years = Period.between(born.toLocalDate(), admitted).getYears();
                if (years > Fields.MAX_AGE) {
                    f.problem(where(patient, "Patient.birthDate"), "gives an age over " + (int) Fields.MAX_AGE);
                    return;
                }
                a.age = (double) years;
            }

            private void outcome(Admission a, Encounter e) {
                LocalDateTime end = e.getPeriod().hasEnd()
                        ? time(e, "Encounter.period.end", e.getPeriod().getEndElement(), false)
                        : null;
                boolean expired = e.hasHospitalization() && e.getHospitalization().hasDischargeDisposition() && e
                        .getHospitalization().getDischargeDisposition().getCoding().stream()
                        .anyMatch(c -> FhirCodes.EXPIRED
                                .equals(c.getCode()));
                LocalDateTime deceasedAt = null;
                boolean deceased = false;
                Type d = patient.getDeceased();
                if (d instanceof BooleanType b) {
                    deceased = b.booleanValue();
                } else if (d instanceof DateTimeType dt) {
                    deceased = true;
                    deceasedAt = time(patient, "Patient.deceasedDateTime", dt, false);
                }
                if (expired || deceased) {
                    a.outcome = Admission.DIED;
                    a.outcomeTime = deceasedAt != null ? deceasedAt : end;
                } else if (end != null) {
                    a.outcome = Admission.DISCHARGED_ALIVE;
                    a.outcomeTime = end;
                }
                if (a.outcomeTime != null && a.admissionTime != null && a.outcomeTime.isBefore(a.admissionTime)) {
                    f.problem(where(deceasedAt != null ? patient : e, deceasedAt != null
                            ? "Patient.deceasedDateTime"
                            : "Encounter.period.end"), "is before the admission");
                }
            }

            private void observation(Admission a, Observation o) {
                List<Object[]> values = new ArrayList<>(); // {Loinc, Quantity-or-null, element}
                for (Coding c : o.getCode().getCoding()) {
                    if (FhirCodes.LOINC.equals(c.getSystem()) && FhirCodes.LOINC_CODES.containsKey(c.getCode())) {
                        values.add(new Object[]{FhirCodes.LOINC_CODES.get(c.getCode()), o.hasValueQuantity()
                                ? o.getValueQuantity()
                                : null, "Observation.valueQuantity", o.hasValue()});
                        break;
                    }
                }
                for (int i = 0; i < o.getComponent().size(); i++) {
                    Observation.ObservationComponentComponent comp = o.getComponent().get(i);
                    for (Coding c : comp.getCode().getCoding()) {
                        if (FhirCodes.LOINC.equals(c.getSystem()) && FhirCodes.LOINC_CODES.containsKey(c
                                .getCode())) {
                            values.add(new Object[]{FhirCodes.LOINC_CODES.get(c.getCode()), comp.hasValueQuantity()
                                    ? comp.getValueQuantity()
                                    : null, "Observation.component[" + i + "].valueQuantity", comp.hasValue()});
                            break;
                        }
                    }
                }
                if (values.isEmpty()) {
                    return;
                }
                LocalDateTime taken = effective(o);
                for (Object[] v : values) {
                    FhirCodes.Loinc loinc = (FhirCodes.Loinc) v[0];
                    Quantity q = (Quantity) v[1];
                    String element = (String) v[2];
                    if (q == null) {
                        if ((Boolean) v[3]) {
                            f.problem(where(o, element), "LOINC " + loinc.code() + " needs a Quantity value");
                        }
                        continue; // no value (e.g. a dataAbsentReason): nothing measured
                    }
                    measurement(a, o, loinc, q, element, taken);
                }
            }

            private void measurement(Admission a, Observation o, FhirCodes.Loinc loinc, Quantity q, String element,
                    LocalDateTime taken) {
                if (!q.hasValue()) {
                    return;
                }
                String unit = q.hasCode() && (!q.hasSystem() || FhirCodes.UCUM.equals(q.getSystem()))
                        ? q.getCode()
                        : q.hasUnit() ? q.getUnit() : "";
                double given = q.getValue().doubleValue();
                Analytes.Analyte an = Analytes.get(loinc.analyte());
                Analytes.Canonical c;
                if (loinc.bloodUreaNitrogen()) {
                    c = "mg/dL".equals(Analytes.normalise(unit))
                            ? Analytes.canonical(an, given / 2.8014, "mmol/L")
                            : new Analytes.Canonical(Double.NaN, "unit is not mg/dL for urea nitrogen (LOINC 3094-0)");
                } else {
                    c = Analytes.canonical(an, given, unit);
                }
                if (c.problem() != null) {
                    f.problem(where(o, element), c.problem());
                    return;
                }
                if (taken != null && a.admissionTime != null && (taken.isBefore(a.admissionTime) || taken.isAfter(
                        a.admissionTime.plus(labWindow)))) {
                    return; // outside the admission window: the course of the stay, not the presentation
                }
                Admission.Item seen = a.item(an.code());
                if (seen == null || seen.takenAt() != null && (taken == null || taken.isBefore(seen.takenAt()))) {
                    if (seen != null) {
                        a.items.remove(seen);
                    }
                    a.items.add(new Admission.Item(an.kind(), an.code(), c.value(), an.unit(), given, unit, taken));
                }
            }

            private LocalDateTime effective(Observation o) {
                if (o.getEffective() instanceof DateTimeType dt) {
                    return time(o, "Observation.effectiveDateTime", dt, false);
                }
                if (o.getEffective() instanceof org.hl7.fhir.r4.model.Period p && p.hasStart()) {
                    return time(o, "Observation.effectivePeriod.start", p.getStartElement(), false);
                }
                return null;
            }

            private void condition(Admission a, Condition c) {
                String status = verification(c.getVerificationStatus());
                if ("entered-in-error".equals(status)) {
                    return;
                }
                boolean present = !"refuted".equals(status);
                for (Coding coding : c.getCode().getCoding()) {
                    if (FhirCodes.isCovid(coding.getSystem(), coding.getCode()) && present && c
                            .getOnset() instanceof DateTimeType onset) {
                        LocalDateTime t = time(c, "Condition.onsetDateTime", onset, false);
                        if (t != null) {
                            a.symptomOnsetDate = t.toLocalDate();
                        }
                    }
                    String code = FhirCodes.comorbidity(coding.getSystem(), coding.getCode());
                    if (code == null) {
                        continue;
                    }
                    Admission.Item seen = a.item(code);
                    if (seen == null || present && seen.value() == 0) {
                        if (seen != null) {
                            a.items.remove(seen);
                        }
                        double v = present ? 1 : 0;
                        a.items.add(new Admission.Item(Admission.Kind.COMORBIDITY, code, v, "1", v, "1", null));
                    }
                    break;
                }
            }

            private static String verification(CodeableConcept cc) {
                for (Coding c : cc.getCoding()) {
                    if (c.hasCode()) {
                        return c.getCode();
                    }
                }
                return "";
            }

            /** A FHIR date or date-time as local time as written; at least a whole day. */
            private LocalDateTime time(Resource r, String element, BaseDateTimeType t, boolean required) {
                String v = t == null || t.isEmpty() ? "" : t.getValueAsString();
                if (v == null || v.isEmpty()) {
                    if (required) {
                        f.problem(where(r, element), "is missing");
                    }
                    return null;
                }
                LocalDateTime parsed = Fields.parseDateTime(v);
                if (parsed == null) {
                    f.problem(where(r, element), "is not a date precise to the day");
                    return null;
                }
                return r instanceof Patient && element.endsWith("birthDate")
                        ? parsed
                        : f.inRange(where(r,
                                element), parsed);
            }
        }
    }

    /** Counts the bytes of the value being read and refuses one larger than {@link #MAX_BUNDLE_BYTES}. */
    private static final class BoundedInput extends FilterInputStream {
        static final String TOO_LARGE = "a Bundle is larger than";
        private long sinceValue;

        BoundedInput(InputStream in) {
            super(in);
        }

        void startValue() {
            sinceValue = 0;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            sinceValue += n;
            if (sinceValue > MAX_BUNDLE_BYTES + 65536L) {
                throw new IOException(TOO_LARGE + " " + MAX_BUNDLE_BYTES + " bytes");
            }
        }
    }
}

package org.covidrisk.gateway.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.Promotion;
import org.covidrisk.ensemble.v1.Report;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.RowProblem;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;

/** The REST views of the gRPC contract: stable JSON shapes for the API. */
public final class Views {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Views() {
    }

    /** Result of an upload; in quarantine mode with the skipped rows and the first of their problems. */
    public record UploadReportView(String batchId, String layout, long rowsRead, long rowsStored, long deaths,
            List<String> hospitals, boolean replayed, String sha256, long rowsQuarantined,
            List<RowProblemView> quarantined) {
        public static UploadReportView of(UploadReport r) {
            return new UploadReportView(r.getBatchId(), r.getLayout(), r.getRowsRead(), r.getRowsStored(),
                    r.getDeaths(), r.getHospitalsList(), r.getReplayed(), r.getSha256(), r.getRowsQuarantined(),
                    r.getQuarantinedList().stream().map(RowProblemView::of).toList());
        }
    }

    /**
     * A risk score. {@code clinicalProbability}: with an X-ray second-layer score ({@code imageUsed}), the clinical
     * model's own probability; null otherwise.
     */
    public record ScoreView(String patientId, String hospital, double probability, int stage, String modelId,
            int modelVersion, String learner, List<String> imputed, boolean imageUsed, String imageNote,
            Double confidenceBinHitRate, boolean abstain, String abstainReason, List<ContributionView> explanation,
            String cohort, Double clinicalProbability) {
        public static ScoreView of(ScoreResponse r) {
            double hit = r.getConfidenceBinHitRate();
            double clinical = r.getClinicalProbability();
            return new ScoreView(r.getPatientId(), r.getHospital(), r.getProbability(), r.getStage(),
                    r.getModelId(), r.getModelVersion(), r.getLearner(), r.getImputedList(), r.getImageUsed(),
                    r.getImageNote(), Double.isNaN(hit) || !r.hasField(ScoreResponse.getDescriptor()
                            .findFieldByName("confidence_bin_hit_rate")) ? null : hit,
                    r.getAbstain(), r.getAbstainReason().isEmpty() ? null : r.getAbstainReason(),
                    r.getExplanationList().stream().map(c -> new ContributionView(c.getFeature(), c.getValue(),
                            c.getContribution())).toList(),
                    Cohorts.name(r.getCohort()), Double.isNaN(clinical) || !r.hasField(ScoreResponse.getDescriptor()
                            .findFieldByName("clinical_probability")) ? null : clinical);
        }
    }

    /** One feature's contribution to the log-odds of a score (tree SHAP). */
    public record ContributionView(String feature, double value, double contribution) {
    }

    /** A model version of the registry. */
    public record ModelView(String modelId, int version, String learner, int stage, String featureSet, long nTrain,
            long nDeaths, Map<String, Double> metrics, JsonNode provenance, String createdAt, String createdBy,
            boolean active, String cohort) {
        public static ModelView of(ModelInfo m) {
            return of(m, h -> true);
        }

        /**
         * The model as a caller sees it: the per-hospital hold-out rows of its provenance are kept only for the
         * hospitals the caller may see (an analyst: their own).
         */
        public static ModelView of(ModelInfo m, Predicate<String> hospitalVisible) {
            JsonNode provenance;
            try {
                provenance = JSON.readTree(m.getProvenanceJson());
            } catch (Exception e) {
                provenance = null;
            }
            if (provenance instanceof ObjectNode o && o.get("perHospital") instanceof ArrayNode rows) {
                ArrayNode kept = JSON.createArrayNode();
                rows.forEach(r -> {
                    if (hospitalVisible.test(r.path("group").asText(null))) {
                        kept.add(r);
                    }
                });
                o.set("perHospital", kept);
            }
            return new ModelView(m.getModelId(), m.getVersion(), m.getLearner(), m.getStage(), m.getFeatureSet(),
                    m.getNTrain(), m.getNDeaths(), new LinkedHashMap<>(m.getMetricsMap()), provenance,
                    m.getCreatedAt(), m.getCreatedBy(), m.getActive(), Cohorts.name(m.getCohort()));
        }
    }

    /** A stored patient episode; yes/no values are null when unknown. */
    public record PatientView(String patientId, String hospital, String source, String admissionDate,
            String symptomOnsetDate, boolean died, String deathDate, String sex, Integer age, String patientType,
            String covidStatus, Boolean pneumonia, Boolean intubated, Boolean icu, Map<String, Boolean> history) {
        public static PatientView of(PatientRecord p) {
            Map<String, Boolean> h = new LinkedHashMap<>();
            h.put("diabetes", p.hasDiabetes() ? p.getDiabetes() : null);
            h.put("copd", p.hasCopd() ? p.getCopd() : null);
            h.put("asthma", p.hasAsthma() ? p.getAsthma() : null);
            h.put("immunosuppressed", p.hasImmunosuppressed() ? p.getImmunosuppressed() : null);
            h.put("hypertension", p.hasHypertension() ? p.getHypertension() : null);
            h.put("otherDisease", p.hasOtherDisease() ? p.getOtherDisease() : null);
            h.put("cardiovascular", p.hasCardiovascular() ? p.getCardiovascular() : null);
            h.put("obesity", p.hasObesity() ? p.getObesity() : null);
            h.put("chronicKidneyDisease", p.hasChronicKidneyDisease() ? p.getChronicKidneyDisease() : null);
            h.put("smoker", p.hasSmoker() ? p.getSmoker() : null);
            h.put("pregnant", p.hasPregnant() ? p.getPregnant() : null);
            return new PatientView(p.getPatientId(), p.getHospital(), p.getSource(), p.getAdmissionDate(),
                    p.getSymptomOnsetDate(), p.getDied(), p.getDeathDate(), enumName(p.getSex().name(), "SEX_"),
                    p.hasAge() ? p.getAge() : null, enumName(p.getPatientType().name(), "PATIENT_TYPE_"),
                    enumName(p.getCovidStatus().name(), "COVID_STATUS_"), p.hasPneumonia() ? p.getPneumonia() : null,
                    p.hasIntubated() ? p.getIntubated() : null, p.hasIcu() ? p.getIcu() : null, h);
        }

        private static String enumName(String name, String prefix) {
            String s = name.substring(prefix.length()).toLowerCase();
            return "unspecified".equals(s) ? null : s;
        }
    }

    /** One problem of one row: where and why, never the value. */
    public record RowProblemView(long line, String column, String reason) {
        public static RowProblemView of(RowProblem p) {
            return new RowProblemView(p.getLine(), p.getColumn(), p.getReason());
        }
    }

    /** Where an upload stands: receiving (bytes), storing (rows read), stored (report) or refused (message). */
    public record UploadStatusView(String batchId, String state, long bytesReceived, long rowsRead,
            UploadReportView report, String message) {
        public static UploadStatusView of(UploadStatus s) {
            return new UploadStatusView(s.getBatchId(), s.getState().name().substring("UPLOAD_STATE_".length())
                    .toLowerCase(), s.getBytesReceived(), s.getRowsRead(),
                    s.hasReport()
                            ? UploadReportView.of(s.getReport())
                            : null,
                    s.getMessage().isEmpty() ? null : s.getMessage());
        }
    }

    /** A page of a batch's quarantine report. */
    public record QuarantineView(String batchId, long rowsQuarantined, List<RowProblemView> problems,
            String nextPageToken) {
        public static QuarantineView of(ListQuarantineResponse r) {
            return new QuarantineView(r.getBatchId(), r.getRowsQuarantined(), r.getProblemsList().stream().map(
                    RowProblemView::of).toList(), r.getNextPageToken().isEmpty() ? null : r.getNextPageToken());
        }
    }

    /** A page of stored patients. */
    public record PatientPageView(List<PatientView> patients, String nextPageToken, long total) {
        public static PatientPageView of(ListPatientsResponse r) {
            return new PatientPageView(r.getPatientsList().stream().map(PatientView::of).toList(),
                    r.getNextPageToken().isEmpty() ? null : r.getNextPageToken(), r.getTotal());
        }
    }

    /** One item of a batch score: the score, or why there is none (the same answer for absent and foreign ids). */
    public record BatchItemView(String patientId, int status, ScoreView score, String error) {
    }

    /** A batch score. */
    public record BatchScoreView(String batchId, int requested, int scored, List<BatchItemView> items) {
    }

    /** A promotion of the registry. */
    public record PromotionView(String modelId, int version, int stage, String cohort, String previousModelId,
            int previousVersion, String promotedBy, String promotedAt, String reason) {
        public static PromotionView of(Promotion p) {
            return new PromotionView(p.getModelId(), p.getVersion(), p.getStage(), Cohorts.name(p.getCohort()),
                    p.getPreviousModelId().isEmpty() ? null : p.getPreviousModelId(), p.getPreviousVersion(),
                    p.getPromotedBy(), p.getPromotedAt(), p.getReason());
        }
    }

    /**
     * A model's performance report as JSON (the contract's field names in lowerCamelCase), with the per-hospital
     * rows kept only for the hospitals the caller may see, whatever the service sent.
     */
    public static JsonNode report(Report r, Predicate<String> hospitalVisible) {
        Report.Builder b = r.toBuilder().clearHospitals();
        r.getHospitalsList().stream().filter(h -> hospitalVisible.test(h.getHospital())).forEach(b::addHospitals);
        Report visible = b.build();
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(JsonFormat.printer().includingDefaultValueFields()
                    .print(visible));
            if (visible.hasModel()) {
                json.set("model", JSON.valueToTree(ModelView.of(visible.getModel(), hospitalVisible)));
            }
            return json;
        } catch (Exception e) {
            throw new IllegalStateException("report could not be written as JSON", e);
        }
    }
}

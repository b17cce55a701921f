package org.covidrisk.gateway.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.RowProblem;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** A risk score. */
    public record ScoreView(String patientId, String hospital, double probability, int stage, String modelId,
            int modelVersion, String learner, List<String> imputed, boolean imageUsed, String imageNote,
            Double confidenceBinHitRate, boolean abstain, String abstainReason, List<ContributionView> explanation) {
        public static ScoreView of(ScoreResponse r) {
            double hit = r.getConfidenceBinHitRate();
            return new ScoreView(r.getPatientId(), r.getHospital(), r.getProbability(), r.getStage(),
                    r.getModelId(), r.getModelVersion(), r.getLearner(), r.getImputedList(), r.getImageUsed(),
                    r.getImageNote(), Double.isNaN(hit) || !r.hasField(ScoreResponse.getDescriptor()
                            .findFieldByName("confidence_bin_hit_rate")) ? null : hit,
                    r.getAbstain(), r.getAbstainReason().isEmpty() ? null : r.getAbstainReason(),
                    r.getExplanationList().stream().map(c -> new ContributionView(c.getFeature(), c.getValue(),
                            c.getContribution())).toList());
        }
    }

    /** One feature's contribution to the log-odds of a score (tree SHAP). */
    public record ContributionView(String feature, double value, double contribution) {
    }

    /** A model version of the registry. */
    public record ModelView(String modelId, int version, String learner, int stage, String featureSet, long nTrain,
            long nDeaths, Map<String, Double> metrics, JsonNode provenance, String createdAt, String createdBy,
            boolean active) {
        public static ModelView of(ModelInfo m) {
            JsonNode provenance;
            try {
                provenance = JSON.readTree(m.getProvenanceJson());
            } catch (Exception e) {
                provenance = null;
            }
            return new ModelView(m.getModelId(), m.getVersion(), m.getLearner(), m.getStage(), m.getFeatureSet(),
                    m.getNTrain(), m.getNDeaths(), new LinkedHashMap<>(m.getMetricsMap()), provenance,
                    m.getCreatedAt(), m.getCreatedBy(), m.getActive());
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
}

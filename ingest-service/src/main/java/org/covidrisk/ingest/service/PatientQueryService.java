package org.covidrisk.ingest.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.mapping.PatientMapper;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.security.Caller;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** Reads stored patients, always within the hospitals the caller may see. */
@ApplicationScoped
public class PatientQueryService {

    @Inject
    IngestConfig config;

    /** The patient, when it exists and belongs to one of the caller's hospitals; empty otherwise. */
    public Optional<PatientRecord> find(Caller caller, String patientKey) {
        return QuarkusTransaction.requiringNew().call(() -> Patient.<Patient>find("patientKey", patientKey)
                .firstResultOptional().filter(p -> caller.belongsTo(p.hospital)).map(PatientMapper::toRecord));
    }

    /** Streams the cohort page by page (keyset pagination on the id), calling the sink for each record. */
    public long streamCohort(CohortRequest request, Consumer<PatientRecord> sink) {
        StringBuilder where = new StringBuilder("id > :after");
        if (request.getHospitalisedOnly()) {
            where.append(" and patientType = 2");
        }
        if (request.getConfirmedOnly()) {
            where.append(" and covidStatus = 1");
        }
        if (request.getHospitalsCount() > 0) {
            where.append(" and hospital in :hospitals");
        }
        String query = where + " order by id";
        long after = -1;
        long sent = 0;
        while (true) {
            final long cursor = after;
            List<Patient> page = QuarkusTransaction.requiringNew().call(() -> {
                var params = io.quarkus.panache.common.Parameters.with("after", cursor);
                if (request.getHospitalsCount() > 0) {
                    params = params.and("hospitals", new ArrayList<>(request.getHospitalsList()));
                }
                return Patient.<Patient>find(query, params).page(0, config.cohortPageSize()).list();
            });
            if (page.isEmpty()) {
                return sent;
            }
            for (Patient p : page) {
                sink.accept(PatientMapper.toRecord(p));
                sent++;
            }
            after = page.get(page.size() - 1).id;
        }
    }
}

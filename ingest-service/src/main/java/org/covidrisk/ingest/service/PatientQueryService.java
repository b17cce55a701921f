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

    /** One page of patients: the records, the key of the last one (null on the last page) and the total. */
    public record Page(List<PatientRecord> patients, String lastKey, long total) {
    }

    /**
     * A page of the patients of the given hospitals ordered by patient key, after {@code afterKey} (keyset
     * paging: stable under concurrent inserts, no offset scan). The caller has already narrowed the hospitals to
     * those of the token.
     */
    public Page page(List<String> hospitals, String afterKey, int size) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var params = io.quarkus.panache.common.Parameters.with("hospitals", hospitals);
            long total = Patient.count("hospital in :hospitals", params);
            String query = "hospital in :hospitals" + (afterKey == null ? "" : " and patientKey > :after")
                    + " order by patientKey";
            if (afterKey != null) {
                params = params.and("after", afterKey);
            }
            // one more than asked tells whether another page follows
            List<Patient> rows = Patient.<Patient>find(query, params).range(0, size).list();
            boolean more = rows.size() > size;
            List<Patient> pageRows = more ? rows.subList(0, size) : rows;
            return new Page(pageRows.stream().map(PatientMapper::toRecord).toList(),
                    more ? pageRows.get(pageRows.size() - 1).patientKey : null, total);
        });
    }

    /** Streams the cohort page by page (keyset pagination on the id), calling the sink for each record. */
    public long streamCohort(CohortRequest request, Consumer<PatientRecord> sink) {
        StringBuilder where = new StringBuilder("from Patient p where p.id > :after");
        if (request.getHospitalisedOnly()) {
            where.append(" and p.patientType = 2");
        }
        if (request.getConfirmedOnly()) {
            where.append(" and p.covidStatus = 1");
        }
        if (request.getHospitalsCount() > 0) {
            where.append(" and p.hospital in :hospitals");
        }
        if (request.getWithImageOnly()) {
            // images are stored by patient id and hospital (ImageStore), without a foreign key to the patient row
            where.append(" and exists (select 1 from XrayImage x where x.patientKey = p.patientKey"
                    + " and x.hospital = p.hospital)");
        }
        String query = where + " order by p.id";
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

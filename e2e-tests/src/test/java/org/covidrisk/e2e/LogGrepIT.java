package org.covidrisk.e2e;

import static io.restassured.RestAssured.given;
import static org.covidrisk.e2e.SharedSuite.config;
import static org.covidrisk.e2e.SharedSuite.home;
import static org.covidrisk.e2e.SharedSuite.token;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;

/**
 * No patient data in any log: plants a patient with distinctive values, uploads, reads, lists, scores it (stored,
 * batch and ad hoc), then greps the log of every process of the run (Keycloak and the five services) for the planted
 * id and values. Runs last, so the logs hold the whole run.
 */
@ExtendWith(SharedSuite.class)
@Order(100)
class LogGrepIT {

    static final String PLANTED_ID = "zqplant7";
    static final String ADMISSION = "2021-02-17";
    static final String ONSET = "2021-02-11";
    static final String DEATH = "2021-02-23";
    static final String AGE = "113";

    @Test
    void plantedPatientValuesAppearInNoProcessLog() throws Exception {
        SharedSuite.ensureCohortAndModel();
        SharedSuite.createUser("lg-steward", "data-steward", List.of(home));
        String csv = SharedSuite.plantedCsv(home, PLANTED_ID, Map.of("EDAD", AGE, "FECHA_INGRESO", "\"" + ADMISSION
                + "\"", "FECHA_SINTOMAS", "\"" + ONSET + "\"", "FECHA_DEF", "\"" + DEATH + "\""));
        given().auth().oauth2(token("lg-steward")).contentType("text/csv").header("Batch-Id", "log-grep")
                .body(csv.getBytes(StandardCharsets.UTF_8)).post("/api/v1/uploads/dge").then().statusCode(200)
                .body("rowsStored", equalTo(1));
        String doc = token("clinician-home");
        given().auth().oauth2(doc).get("/api/v1/patients/" + PLANTED_ID).then().statusCode(200)
                .body("age", equalTo(113)).body("admissionDate", equalTo(ADMISSION));
        given().auth().oauth2(doc).get("/api/v1/patients?pageSize=500").then().statusCode(200);
        given().auth().oauth2(doc).post("/api/v1/patients/" + PLANTED_ID + "/score").then().statusCode(200);
        given().auth().oauth2(doc).contentType(ContentType.JSON)
                .body("{\"patientIds\":[\"" + PLANTED_ID + "\"],\"stage\":4}").post("/api/v1/scores/batch").then()
                .statusCode(200).body("scored", equalTo(1));
        given().auth().oauth2(doc).contentType(ContentType.JSON)
                .body("{\"reference\":\"" + PLANTED_ID + "-bedside\",\"age\":" + AGE
                        + ",\"sex\":\"male\",\"covidStatus\":\"confirmed\","
                        + "\"pneumonia\":true,\"hospitalised\":true,\"intubated\":false,\"icu\":false,"
                        + "\"diabetes\":false}")
                .post("/api/v1/scores").then().statusCode(200);
        // an invalid row of the same patient: refusals name line and column, never the value
        given().auth().oauth2(token("lg-steward")).contentType("text/csv").header("Batch-Id", "log-grep-bad")
                .body(SharedSuite.plantedCsv(home, PLANTED_ID + "b", Map.of("EDAD", "1" + AGE + "9"))
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/uploads/dge").then().statusCode(400)
                .body("errors[0].field", equalTo("line 2, column EDAD"));

        Path logs = config.runDir().resolve("logs");
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertEquals(6, files.size(), "keycloak and five services: " + files);
        Pattern planted = Pattern.compile(Pattern.quote(PLANTED_ID) + "|" + ADMISSION + "|" + ONSET + "|" + DEATH
                + "|1" + AGE + "9|(?i:age|edad)\\W{0,3}" + AGE);
        List<String> hits = new ArrayList<>();
        long lines = 0;
        for (Path f : files) {
            List<String> content = Files.readAllLines(f, StandardCharsets.UTF_8);
            lines += content.size();
            for (String line : content) {
                if (planted.matcher(line).find()) {
                    hits.add(f.getFileName() + ": " + line);
                }
            }
        }
        System.out.printf("[e2e] log grep: %d lines in %d process logs, %d with a planted value%n", lines,
                files.size(), hits.size());
        // the grep reads the live logs of this run: the upload above left its (value-free) line
        assertTrue(Files.readString(logs.resolve("ingest-service.log")).contains("batch log-grep stored: 1 rows"),
                "the ingest log holds the upload's line");
        assertEquals(List.of(), hits);
    }
}

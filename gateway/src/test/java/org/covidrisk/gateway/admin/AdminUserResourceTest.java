package org.covidrisk.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.covidrisk.gateway.rest.FakeUserDirectory;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class AdminUserResourceTest {

    static final String SEC = TestTokens.token("sec", List.of(), "security-admin");
    static final String NETWORK = TestTokens.token("net", List.of(), "network-analyst");

    @Inject
    FakeUserDirectory users;

    @BeforeEach
    void reset() {
        users.reset();
    }

    static JsonPath auditOf(String target) {
        return auditOf(target, "");
    }

    static JsonPath auditOf(String target, String query) {
        return given().auth().oauth2(NETWORK).when().get("/api/v1/audit?actor=sec&limit=500" + query).then()
                .statusCode(200)
                .extract().jsonPath().setRootPath("events.findAll { it.target == '" + target + "' }");
    }

    @Test
    void securityAdminListsAndReadsUsers() {
        given().auth().oauth2(SEC).when().get("/api/v1/admin/users").then().statusCode(200)
                .body("username", equalTo(List.of("ana", "doc", "sec")))
                .body("find { it.username == 'doc' }.hospitals", equalTo(List.of("MX-09-04")));
        given().auth().oauth2(SEC).when().get("/api/v1/admin/users/ana").then().statusCode(200)
                .body("roles", equalTo(List.of("analyst")));
        given().auth().oauth2(SEC).when().get("/api/v1/admin/users/nobody").then().statusCode(404)
                .contentType("application/problem+json").body("errors[0].field", equalTo("username"));
    }

    @Test
    void grantsAndRevokesAssignableRolesAndEveryChangeIsAudited() {
        given().auth().oauth2(SEC).when().put("/api/v1/admin/users/doc/roles/analyst").then().statusCode(200)
                .body("roles", equalTo(List.of("analyst", "clinician")));
        given().auth().oauth2(SEC).when().delete("/api/v1/admin/users/doc/roles/clinician").then().statusCode(200)
                .body("roles", equalTo(List.of("analyst")));
        given().auth().oauth2(SEC).contentType(ContentType.JSON).body("{\"hospitals\": [\"MX-15-12\", \"MX-09-04\"]}")
                .when().put("/api/v1/admin/users/doc/hospitals").then().statusCode(200)
                .body("hospitals", equalTo(List.of("MX-15-12", "MX-09-04")));
        JsonPath rows = auditOf("doc");
        List<String> actions = rows.getList("action");
        assertEquals(List.of("HOSPITAL_SET", "ROLE_REVOKE", "ROLE_GRANT"), actions.subList(0, 3));
        assertEquals(List.of("hospitals MX-15-12,MX-09-04", "role clinician", "role analyst"),
                rows.<String>getList("detail").subList(0, 3));
        assertEquals(List.of(200, 200, 200), rows.<Integer>getList("outcome").subList(0, 3));
    }

    @Test
    void theRemitExcludesSecurityAdminOtherRolesAndOnesOwnAccount() {
        given().auth().oauth2(SEC).when().put("/api/v1/admin/users/doc/roles/security-admin").then()
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("outside a security admin's remit"))
                .body("errors[0].field", equalTo("role"));
        given().auth().oauth2(SEC).when().put("/api/v1/admin/users/doc/roles/realm-admin").then().statusCode(403);
        given().auth().oauth2(SEC).when().delete("/api/v1/admin/users/ana/roles/security-admin").then()
                .statusCode(403);
        given().auth().oauth2(SEC).when().put("/api/v1/admin/users/sec/roles/clinician").then().statusCode(403)
                .body("detail", equalTo("a security admin cannot change their own account"));
        given().auth().oauth2(SEC).contentType(ContentType.JSON).body("{\"hospitals\": [\"MX-09-04\"]}").when()
                .put("/api/v1/admin/users/SEC/hospitals").then().statusCode(403);
        given().auth().oauth2(SEC).when().get("/api/v1/admin/users/doc").then()
                .body("roles", equalTo(List.of("clinician"))).body("hospitals", equalTo(List.of("MX-09-04")));
        given().auth().oauth2(SEC).when().get("/api/v1/admin/users/sec").then()
                .body("roles", equalTo(List.of("security-admin"))).body("hospitals", equalTo(List.of()));
        JsonPath denied = auditOf("doc", "&action=ACCESS_DENIED");
        assertEquals("ACCESS_DENIED", denied.getString("[0].action"));
        assertEquals("wanted ROLE_GRANT, role realm-admin", denied.getString("[0].detail"));
        assertEquals(403, denied.getInt("[0].outcome"));
    }

    @Test
    void hospitalKeysAreValidatedAndOthersCannotManageUsers() {
        given().auth().oauth2(SEC).contentType(ContentType.JSON).body("{\"hospitals\": [\"MX-09-04\", \"bad key\"]}")
                .when().put("/api/v1/admin/users/doc/hospitals").then().statusCode(400)
                .contentType("application/problem+json").body("errors.reason", hasItem(containsString("hospital")));
        given().auth().oauth2(SEC).contentType(ContentType.JSON).body("{}").when()
                .put("/api/v1/admin/users/doc/hospitals").then().statusCode(400);
        given().auth().oauth2(SEC).when().get("/api/v1/admin/users/doc").then()
                .body("hospitals", equalTo(List.of("MX-09-04")));
        for (String role : List.of("clinician", "analyst", "data-steward", "model-admin", "network-analyst")) {
            given().auth().oauth2(TestTokens.token("u", List.of("MX-09-04"), role)).when()
                    .put("/api/v1/admin/users/doc/roles/analyst").then().statusCode(403);
            given().auth().oauth2(TestTokens.token("u", List.of("MX-09-04"), role)).when()
                    .get("/api/v1/admin/users").then().statusCode(403);
        }
        // a security admin reads no patient data
        given().auth().oauth2(SEC).when().get("/api/v1/patients/a1").then().statusCode(403)
                .body("detail", not(containsString("a1")));
    }
}

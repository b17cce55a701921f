package org.covidrisk.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void hospitalClaimMayBeAStringAListOrAJsonArray() {
        assertEquals(List.of("MX-09-04"), Caller.hospitalsOf("MX-09-04"));
        assertEquals(List.of("MX-09-04", "MX-15-12"), Caller.hospitalsOf(List.of("MX-09-04", " MX-15-12 ",
                "MX-09-04", "")));
        assertEquals(List.of("MX-02-04"), Caller.hospitalsOf(Json.createArrayBuilder().add("MX-02-04").build()));
        assertEquals(List.of(), Caller.hospitalsOf(null));
    }

    @Test
    void belongsToOnlyTheTokensHospitals() {
        Caller c = new Caller("doc", Set.of("clinician"), List.of("MX-09-04"), "t");
        assertTrue(c.belongsTo("MX-09-04"));
        assertFalse(c.belongsTo("MX-15-12"));
        assertFalse(c.belongsTo(null));
        assertEquals("MX-09-04", c.homeHospital());
        assertEquals(null, new Caller("admin", Set.of(), List.of(), "t").homeHospital());
    }
}

package org.covidrisk.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds small DGE 2022-layout CSV texts for tests, row by row, overriding single fields. */
public final class DgeRows {

    public static final List<String> HEADER_2022 = List.of("FECHA_ACTUALIZACION", "ID_REGISTRO", "ORIGEN", "SECTOR",
            "ENTIDAD_UM", "SEXO", "ENTIDAD_NAC", "ENTIDAD_RES", "MUNICIPIO_RES", "TIPO_PACIENTE", "FECHA_INGRESO",
            "FECHA_SINTOMAS", "FECHA_DEF", "INTUBADO", "NEUMONIA", "EDAD", "NACIONALIDAD", "EMBARAZO",
            "HABLA_LENGUA_INDIG", "INDIGENA", "DIABETES", "EPOC", "ASMA", "INMUSUPR", "HIPERTENSION", "OTRA_COM",
            "CARDIOVASCULAR", "OBESIDAD", "RENAL_CRONICA", "TABAQUISMO", "OTRO_CASO", "TOMA_MUESTRA_LAB",
            "RESULTADO_LAB", "TOMA_MUESTRA_ANTIGENO", "RESULTADO_ANTIGENO", "CLASIFICACION_FINAL", "MIGRANTE",
            "PAIS_NACIONALIDAD", "PAIS_ORIGEN", "UCI");

    private final List<String> lines = new ArrayList<>();

    public DgeRows() {
        lines.add(String.join(",", HEADER_2022));
    }

    /** Adds one hospitalised, confirmed row of hospital MX-{state}-{sector}, with field overrides. */
    public DgeRows row(String id, String state, int sector, Map<String, String> overrides) {
        lines.add(String.join(",", values(id, state, sector, overrides)));
        return this;
    }

    /** The field values of such a row, in {@link #HEADER_2022} order. */
    public static List<String> values(String id, String state, int sector, Map<String, String> overrides) {
        List<String> values = new ArrayList<>();
        for (String c : HEADER_2022) {
            String v = switch (c) {
                case "FECHA_ACTUALIZACION" -> "2022-07-14";
                case "ID_REGISTRO" -> id;
                case "ORIGEN" -> "1";
                case "SECTOR" -> Integer.toString(sector);
                case "ENTIDAD_UM", "ENTIDAD_NAC", "ENTIDAD_RES" -> state;
                case "MUNICIPIO_RES" -> "001";
                case "SEXO" -> "2";
                case "TIPO_PACIENTE" -> "2";
                case "FECHA_INGRESO" -> "2021-07-05";
                case "FECHA_SINTOMAS" -> "2021-07-01";
                case "FECHA_DEF" -> "9999-99-99";
                case "EDAD" -> "50";
                case "NACIONALIDAD" -> "1";
                case "EMBARAZO" -> "97";
                case "CLASIFICACION_FINAL" -> "3";
                case "PAIS_NACIONALIDAD" -> "México";
                case "PAIS_ORIGEN" -> "97";
                case "MIGRANTE" -> "99";
                default -> "2";
            };
            values.add(overrides.getOrDefault(c, v));
        }
        return values;
    }

    public DgeRows row(String id, String state, int sector) {
        return row(id, state, sector, Map.of());
    }

    public String csv() {
        return String.join("\n", lines) + "\n";
    }
}

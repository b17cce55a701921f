package org.covidrisk.ingest.dge;

import java.util.List;
import java.util.Set;

/**
 * The two layouts of the Mexican DGE COVID-19 open data: 2020 (test result in {@code RESULTADO}) and 2022
 * ({@code CLASIFICACION_FINAL}, antigen and lab columns, {@code INDIGENA}).
 */
public enum DgeLayout {
    DGE_2020("RESULTADO"), DGE_2022("CLASIFICACION_FINAL");

    /** Columns both layouts carry and the suite reads. */
    public static final List<String> COMMON_COLUMNS = List.of("ID_REGISTRO", "ORIGEN", "SECTOR", "ENTIDAD_UM",
            "SEXO", "ENTIDAD_NAC", "ENTIDAD_RES", "TIPO_PACIENTE", "FECHA_INGRESO", "FECHA_SINTOMAS", "FECHA_DEF",
            "INTUBADO", "NEUMONIA", "EDAD", "NACIONALIDAD", "EMBARAZO", "HABLA_LENGUA_INDIG", "DIABETES", "EPOC",
            "ASMA", "INMUSUPR", "HIPERTENSION", "OTRA_COM", "CARDIOVASCULAR", "OBESIDAD", "RENAL_CRONICA",
            "TABAQUISMO", "OTRO_CASO", "UCI");

    /** The column that decides the COVID-19 status in this layout. */
    public final String statusColumn;

    DgeLayout(String statusColumn) {
        this.statusColumn = statusColumn;
    }

    /** The layout whose status column the header carries, or null when it carries neither. */
    public static DgeLayout detect(Set<String> header) {
        if (header.contains(DGE_2022.statusColumn)) {
            return DGE_2022;
        }
        if (header.contains(DGE_2020.statusColumn)) {
            return DGE_2020;
        }
        return null;
    }

    /** Maps the layout's status code to the suite's: 1 confirmed, 2 negative, 3 pending / not conclusive. */
    public Integer covidStatus(int code) {
        if (this == DGE_2020) {
            return switch (code) {
                case 1 -> 1;
                case 2 -> 2;
                case 3 -> 3;
                default -> null;
            };
        }
        // CLASIFICACION_FINAL: 1-3 confirmed (association, committee, lab), 7 negative, 4-6 invalid / not
        // processed / suspected.
        return switch (code) {
            case 1, 2, 3 -> 1;
            case 7 -> 2;
            case 4, 5, 6 -> 3;
            default -> null;
        };
    }

    /** Highest valid status code of this layout. */
    public int maxStatusCode() {
        return this == DGE_2020 ? 3 : 7;
    }
}

package org.covidrisk.feature.imputation;

import java.util.Objects;

/** One variable of an imputation frame: its name and measurement level. */
public record Column(String name, ColumnKind kind) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}

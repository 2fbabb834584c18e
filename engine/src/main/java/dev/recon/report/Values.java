package dev.recon.report;

import dev.recon.base.Shown;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.Outcome;
import dev.recon.result.RowChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared shaping of row values for the human-readable formats. */
final class Values {
    private Values() {
    }

    /** Characters of a value the human-readable formats show; the rest is counted, not printed. */
    static final int SHOWN = Shown.SHOWN;

    /** A value as a person reads it ({@link Shown#value}). */
    static String display(String value) {
        return Shown.value(value);
    }

    /** Characters never printed as themselves ({@link Shown#hidden}). */
    static boolean hidden(int c) {
        return Shown.hidden(c);
    }

    /** How a run ended, in the words the human-readable formats use. */
    static String status(Outcome outcome) {
        return switch (outcome) {
            case IN_SYNC -> "in sync";
            case DIFFERENCES -> "differences found";
            case CONVERGED -> "converged";
            case FAILED_ROWS -> "some rows failed";
            default -> "a mapping ended in an error";
        };
    }

    /** Target key column names to values. */
    static Map<String, String> key(MappingPlan plan, RowChange change) {
        return key(plan, change.key());
    }

    /** Target column names to one side's values (keys included). */
    static Map<String, String> row(MappingPlan plan, List<String> values) {
        Map<String, String> m = new LinkedHashMap<>();
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < values.size(); i++) {
            m.put(all.get(i).targetColumn(), values.get(i));
        }
        return m;
    }

    /** The value of one target column on one side. */
    static String value(MappingPlan plan, List<String> values, String targetColumn) {
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).targetColumn().equals(targetColumn)) {
                return values.get(i);
            }
        }
        throw new IllegalArgumentException(targetColumn);
    }

    static String keyText(MappingPlan plan, RowChange change) {
        return keyText(key(plan, change.key()));
    }

    /** Target key column names to the given key values. */
    static Map<String, String> key(MappingPlan plan, List<String> key) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < plan.keys().size(); i++) {
            m.put(plan.keys().get(i).targetColumn(), key.get(i));
        }
        return m;
    }

    static String keyText(Map<String, String> key) {
        return Shown.key(key);
    }
}

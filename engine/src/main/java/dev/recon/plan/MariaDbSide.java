package dev.recon.plan;

import dev.recon.base.ReconException;
import dev.recon.mariadb.MariaDbSnapshot;
import dev.recon.mariadb.MariaDbTable;
import dev.recon.mariadb.MariaDbValues.Read;
import java.util.ArrayList;
import java.util.List;

/**
 * A mapping's MariaDB or MySQL side, source or target: its table and, for every mapped column
 * in the plan's order (keys first), how it is read ({@link dev.recon.mariadb.MariaDbValues}):
 * printed as PostgreSQL prints the value in the type the mapping compares in, and the keys
 * ordered as recon orders them. {@code where} is the mapping's filter, in MariaDB's SQL (null
 * for a target); {@code names} the side's columns in the order of {@code reads},
 * {@code connection} the side's connection name.
 */
public record MariaDbSide(MariaDbTable table, List<Read> reads, List<String> names, int nKeys, String where,
        String connection) {
    public MariaDbSide {
        reads = List.copyOf(reads);
        names = List.copyOf(names);
    }

    /**
     * Fails, naming the column and the row's key, when a value read ({@code values} in the order
     * of {@code reads}) is a zero date: PostgreSQL has no value to compare it with or write.
     */
    public void check(String[] values, String context) {
        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i).isZeroDate(values[i])) {
                throw new ReconException(context + ": source column " + names.get(i) + " of "
                        + table.displayName() + " holds the zero date " + values[i] + " in the row with key "
                        + java.util.Arrays.asList(values).subList(0, nKeys) + ", which PostgreSQL has no value for: correct"
                        + " the row, or set zero_dates: null on connection '" + connection + "' to read zero"
                        + " dates as NULL (docs/configuration.md)");
            }
        }
    }

    /** Every row: the columns as text, then a false gone flag (no soft deletes on MariaDB), in key order. */
    public String ordered() {
        List<Read> columns = new ArrayList<>(reads.subList(nKeys, reads.size()));
        columns.add(new Read("0", null));
        return MariaDbSnapshot.ordered(table, reads.subList(0, nKeys), columns, where);
    }
}

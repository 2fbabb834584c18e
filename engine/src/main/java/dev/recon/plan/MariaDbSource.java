package dev.recon.plan;

import dev.recon.mariadb.MariaDbSnapshot;
import dev.recon.mariadb.MariaDbTable;
import dev.recon.mariadb.MariaDbValues.Read;
import java.util.ArrayList;
import java.util.List;

/**
 * A mapping's MariaDB or MySQL source: its table and, for every mapped column in the plan's
 * order (keys first), how it is read ({@link dev.recon.mariadb.MariaDbValues}): printed as
 * PostgreSQL prints the value in the target column's type, and the keys ordered as recon
 * orders them. {@code where} is the mapping's filter, in MariaDB's SQL.
 */
public record MariaDbSource(MariaDbTable table, List<Read> reads, int nKeys, String where) {
    public MariaDbSource {
        reads = List.copyOf(reads);
    }

    /** Every row: the columns as text, then a false gone flag (a source row is never soft-deleted), in key order. */
    public String ordered() {
        List<Read> columns = new ArrayList<>(reads.subList(nKeys, reads.size()));
        columns.add(new Read("0", null));
        return MariaDbSnapshot.ordered(table, reads.subList(0, nKeys), columns, where);
    }
}

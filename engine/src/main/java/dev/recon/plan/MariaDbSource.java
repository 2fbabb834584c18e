package dev.recon.plan;

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

    /** Every row: the columns as text, a false gone flag, in key order. */
    public String ordered() {
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            select.add(reads.get(i).select());
            if (i < nKeys) {
                order.add(reads.get(i).order());
            }
        }
        select.add("0");
        return "SELECT " + String.join(", ", select) + " FROM " + table.sqlName()
                + (where == null ? "" : " WHERE (" + where + ")") + " ORDER BY " + String.join(", ", order);
    }
}

package dev.recon.plan;

import static dev.recon.plan.MappingCheck.reason;

import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
import dev.recon.config.MappingConfig;
import dev.recon.config.Operation;
import dev.recon.db.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Write checks of a sync: the soft-delete marker, the columns an insert must fill, the
 * privileges each operation needs.
 */
public final class WriteChecks {
    private final MappingCheck check;
    private final MappingConfig sync;

    WriteChecks(MappingCheck check) {
        this.check = check;
        this.sync = check.sync;
    }

    private void problem(String text) {
        check.problem(text);
    }

    public Optional<SoftDelete> softDelete(TableInfo target, List<ColumnMapping> keys,
            List<ColumnMapping> columns) {
        if (!(sync.deletes() instanceof DeletePolicy.Soft soft)) {
            return Optional.empty();
        }
        Optional<ColumnInfo> c = target.column(soft.column());
        if (c.isEmpty()) {
            problem("deletes.soft: target table " + target.displayName() + " has no column '" + soft.column()
                    + "'");
            return Optional.empty();
        }
        ColumnInfo col = c.get();
        // as written too: a mapped column with a problem of its own is not among the checked ones
        boolean mapped = keys.stream().anyMatch(k -> k.targetColumn().equals(col.name()))
                || columns.stream().anyMatch(k -> k.targetColumn().equals(col.name()))
                || sync.key().containsValue(col.name()) || sync.columns().containsValue(col.name());
        if (mapped) {
            problem("deletes.soft: column '" + col.name() + "' is also mapped; the soft-delete marker must be"
                    + " a column that only recon writes");
        }
        boolean isBoolean = col.type().equals("boolean");
        if (!isBoolean && !"D".equals(col.typeCategory())) {
            problem("deletes.soft: column '" + col.name() + "' is " + col.type()
                    + "; it must be boolean (set true) or a date/timestamp (set to now())");
        }
        return Optional.of(new SoftDelete(col.name(), isBoolean));
    }

    public void checkWritable(TableInfo target, List<ColumnMapping> keys, List<ColumnMapping> columns,
            Optional<SoftDelete> soft) {
        Set<String> written = new HashSet<>();
        keys.forEach(k -> written.add(k.targetColumn()));
        columns.forEach(k -> written.add(k.targetColumn()));
        soft.ifPresent(s -> written.add(s.column()));
        for (ColumnInfo c : target.columns()) {
            if (written.contains(c.name()) && c.generated()) {
                problem("target column '" + c.name() + "' of " + target.displayName()
                        + " is a generated column and cannot be written; remove it from the mapping");
            }
            // a column paired in the mapping whose pair is refused: that refusal is said, not this
            if (!written.contains(c.name()) && c.notNull() && !c.hasDefault() && !c.generated()
                    && !check.isNamed(c.name(), false)) {
                problem("target column '" + c.name() + "' of " + target.displayName()
                        + " is NOT NULL without a default and is not mapped; inserts would fail."
                        + " Map a source column or expression to it");
            }
        }
    }

    /**
     * The target role may write what the sync writes: INSERT for inserts, UPDATE for
     * updates, upserts and soft deletes, DELETE for deletes. A missing privilege would
     * refuse every row alike, so it is a problem of the mapping, found before any row is read.
     */
    public void checkPrivileges(Session target, ConnectionConfig conn, TableInfo table,
            Optional<SoftDelete> softDelete, List<ColumnMapping> keys, List<ColumnMapping> mapped) {
        boolean soft = softDelete.isPresent();
        // the columns each privilege must cover when it is granted on columns, not the table
        List<String> written = new ArrayList<>();
        keys.forEach(k -> written.add(k.targetColumn()));
        mapped.forEach(m -> written.add(m.targetColumn()));
        softDelete.ifPresent(sd -> written.add(sd.column()));
        List<String> needed = new ArrayList<>();
        if (!sync.skip().contains(Operation.INSERT)) {
            needed.add("INSERT");
        }
        boolean deletes = !sync.skip().contains(Operation.DELETE)
                && !(sync.deletes() instanceof DeletePolicy.Ignore);
        if ((!sync.skip().contains(Operation.UPDATE) && !sync.key().isEmpty()) || (deletes && soft)) {
            needed.add("UPDATE");
        }
        if (deletes && !soft) {
            needed.add("DELETE");
        }
        if (needed.isEmpty()) {
            return;
        }
        try {
            // one query for all of them; INSERT and UPDATE may be granted on columns alone: then on every
            // column the sync writes
            List<String> tests = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            for (String privilege : needed) {
                tests.add("has_table_privilege(CAST(? AS regclass), ?)" + (privilege.equals("DELETE") ? ""
                        : " OR (SELECT bool_and(has_column_privilege(CAST(? AS regclass), c, ?))"
                                + " FROM unnest(CAST(? AS text[])) AS c)"));
                params.addAll(List.of(table.sqlName(), privilege));
                if (!privilege.equals("DELETE")) {
                    params.addAll(List.of(table.sqlName(), privilege, written.toArray(new String[0])));
                }
            }
            List<Boolean> granted = target.one("SELECT " + String.join(", ", tests), rs -> {
                List<Boolean> each = new ArrayList<>();
                for (int i = 1; i <= needed.size(); i++) {
                    each.add(rs.getBoolean(i));
                }
                return each;
            }, params.toArray());
            for (int i = 0; i < needed.size(); i++) {
                String privilege = needed.get(i);
                if (!granted.get(i)) {
                    problem("the role of connection '" + conn.name() + "' lacks the " + privilege
                            + " privilege on target table " + table.displayName() + ", which the sync needs;"
                            + " GRANT " + privilege + " ON " + table.sqlName() + " TO <that role>, or skip the"
                            + " operation (skip: [...])");
                }
            }
        } catch (RuntimeException e) {
            problem("cannot read the privileges on target table " + table.displayName() + ": " + reason(e));
        }
    }
}

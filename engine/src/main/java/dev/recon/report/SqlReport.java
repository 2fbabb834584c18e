package dev.recon.report;

import dev.recon.config.DeletePolicy;
import dev.recon.config.Operation;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SoftDelete;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.sql.Sql;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/** The statements a sync would run, one per differing row, for review. Nothing is executed. */
public final class SqlReport implements ReportWriter {
    private final Writer out;
    private String currentSync;

    /** How the current mapping's target spells a change, or null when its engine has no SQL of recon's. */
    private ChangeStatements statements;

    SqlReport(Writer out) {
        this.out = out;
    }

    @Override
    public void change(MappingPlan plan, RowChange c) throws IOException {
        if (!plan.name().equals(currentSync)) {
            currentSync = plan.name();
            out.write("-- mapping " + plan.name() + ": " + plan.sourceTable().displayName() + " -> "
                    + plan.targetTable().displayName() + System.lineSeparator());
            statements = plan.targetSide().engine().feature(ChangeStatements.class).orElse(null);
            if (statements == null) {
                // say so once, write none
                out.write("-- its target is " + plan.targetSide().engine().label() + ", for which recon writes no"
                        + " SQL yet; recon sync applies its changes (the other formats list them)"
                        + System.lineSeparator());
            }
        }
        if (statements != null) {
            out.write(statements.statement(plan, c) + System.lineSeparator());
        }
    }

    @Override
    public void finish(RunResult report) throws IOException {
        for (String error : report.errors()) {
            // a mapping that could not be compared has no statements: say so, not nothing
            out.write("-- error: " + error.replace("\n", System.lineSeparator() + "--   ") + System.lineSeparator());
        }
        if (report.inSync()) {
            out.write("-- every mapping is in sync; nothing to run" + System.lineSeparator());
        }
        out.flush();
    }

    /** Comments only: the run failed before comparing, so there is nothing to run (and the file says why). */
    @Override
    public boolean failed(String message, List<String> errors) throws IOException {
        out.write("-- error: " + message + System.lineSeparator());
        for (String error : errors) {
            out.write("-- error: " + error.replace("\n", System.lineSeparator() + "--   ") + System.lineSeparator());
        }
        out.write("-- nothing was compared; no statement to run" + System.lineSeparator());
        out.flush();
        return true;
    }

    public static String statement(MappingPlan plan, RowChange c) {
        String table = plan.targetTable().sqlName();
        List<ColumnMapping> all = plan.allColumns();
        SoftDelete soft = plan.softDelete().orElse(null);
        if (plan.multiset()) {
            return multisetStatement(plan, c);
        }
        switch (c.operation()) {
            case INSERT: {
                List<String> cols = new ArrayList<>();
                List<String> vals = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    cols.add(Sql.quote(all.get(i).targetColumn()));
                    vals.add(Sql.typedLiteral(c.source().get(i), all.get(i).type().writeType()));
                }
                List<String> keys = plan.keys().stream().map(k -> Sql.quote(k.targetColumn())).toList();
                List<String> sets = new ArrayList<>();
                for (ColumnMapping m : plan.columns()) {
                    sets.add(Sql.quote(m.targetColumn()) + " = EXCLUDED." + Sql.quote(m.targetColumn()));
                }
                return "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES ("
                        + String.join(", ", vals) + ") ON CONFLICT (" + String.join(", ", keys) + ") DO "
                        + (sets.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", sets)) + ";";
            }
            case UPDATE: {
                List<String> sets = new ArrayList<>();
                int nKeys = plan.keys().size();
                for (int i = nKeys; i < all.size(); i++) {
                    sets.add(Sql.quote(all.get(i).targetColumn()) + " = "
                            + Sql.typedLiteral(c.source().get(i), all.get(i).type().writeType()));
                }
                if (c.revive() && soft != null) {
                    sets.add(Sql.quote(soft.column()) + " = " + soft.liveValue());
                }
                return "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + keyCondition(plan, c)
                        + ";";
            }
            default: {
                if (plan.deletes() instanceof DeletePolicy.Soft && soft != null) {
                    return "UPDATE " + table + " SET " + Sql.quote(soft.column()) + " = "
                            + soft.markValue() + " WHERE " + keyCondition(plan, c) + ";";
                }
                return "DELETE FROM " + table + " WHERE " + keyCondition(plan, c) + ";";
            }
        }
    }

    /** A table without a key: a missing copy is inserted as it is; a surplus copy is one of the equal rows, deleted by ctid. */
    private static String multisetStatement(MappingPlan plan, RowChange c) {
        String table = plan.targetTable().sqlName();
        List<ColumnMapping> columns = plan.keyColumns();
        List<String> cols = new ArrayList<>();
        List<String> vals = new ArrayList<>();
        List<String> match = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnMapping m = columns.get(i);
            String v = c.key().get(i);
            cols.add(Sql.quote(m.targetColumn()));
            vals.add(Sql.typedLiteral(v, m.type().writeType()));
            String column = m.comparable(Sql.quote(m.targetColumn()));
            match.add(v == null ? column + " IS NULL" : column + " = "
                    + Sql.typedLiteral(v, m.byText() ? "text" : m.type().writeType()));
        }
        if (c.operation() == Operation.INSERT) {
            return "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", vals)
                    + ");";
        }
        // ctids repeat across the partitions of a partitioned table: with its tableoid, one row
        return "DELETE FROM " + table + " WHERE (tableoid, ctid) = (SELECT tableoid, ctid FROM " + table + " WHERE "
                + String.join(" AND ", match) + " LIMIT 1);";
    }

    private static String keyCondition(MappingPlan plan, RowChange c) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < plan.keys().size(); i++) {
            ColumnMapping k = plan.keys().get(i);
            String v = c.key().get(i);
            parts.add(Sql.quote(k.targetColumn()) + (v == null ? " IS NULL" : " = " + Sql.typedLiteral(v, k.type().writeType())));
        }
        return String.join(" AND ", parts);
    }
}

package dev.recon.plan;

import static dev.recon.plan.MappingCheck.IDENTIFIER;
import static dev.recon.plan.MappingCheck.columnNames;
import static dev.recon.plan.MappingCheck.reason;

import dev.recon.catalog.Catalog;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.DeletePolicy;
import dev.recon.config.MappingConfig;
import dev.recon.sql.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Column pairing: which source column or expression each target column is compared with, in
 * which type ({@link ValueType}), and whether a source value may not fit the target's type;
 * the columns a mapping shares by name; the key of a table without one.
 */
public final class ColumnPairing {
    private final MappingCheck check;
    private final MappingConfig sync;
    /** Type categories whose members compare with one another after a cast to the target type. */
    private static final Set<String> COMPARABLE_CATEGORIES = Set.of("N", "S", "D", "B", "T", "V", "I");

    ColumnPairing(MappingCheck check) {
        this.check = check;
        this.sync = check.sync;
    }

    private void problem(String text) {
        check.problem(text);
    }

    /** With columns shared by name, each {@code compare} entry must name one of them. */
    public void checkCompared(List<ColumnMapping> columns) {
        if (!sync.sharedColumns()) {
            return;
        }
        for (String c : sync.compare()) {
            if (columns.stream().noneMatch(m -> m.targetColumn().equals(c) || m.sourceLabel().equals(c))) {
                problem("compare: '" + c + "' is not a column both tables have (shared: " + String.join(", ",
                        columns.stream().map(ColumnMapping::targetColumn).toList()) + ")");
            }
        }
    }

    /**
     * A table without a key is compared as a multiset of its mapped columns: it needs some,
     * and neither {@code compare} (every column is compared) nor soft deletes (a soft-deleted
     * copy has no key to be revived by).
     */
    public void multisetChecks(TableInfo targetTable, List<ColumnMapping> columns) {
        if (columns.isEmpty()) {
            problem("target table " + targetTable.displayName() + " has no key, so it is compared as a multiset"
                    + " of its mapped columns, but no column is mapped");
        }
        if (!sync.compare().isEmpty()) {
            problem("compare: a table without a key is compared as a multiset of all its mapped columns;"
                    + " remove compare, or give a key");
        }
        if (sync.deletes() instanceof DeletePolicy.Soft) {
            problem("deletes.soft needs a key: target table " + targetTable.displayName() + " has none, so its"
                    + " rows are compared as a multiset and a surplus copy can only be deleted; use deletes:"
                    + " delete or ignore, or give a key");
        }
    }

    /**
     * The key of a multiset: every mapped column (NULLs match NULLs where the target allows
     * them; a type whose equal values may print differently is compared by its text, so that
     * joining, numbering copies, sorting and hashing all agree), then the copy number.
     */
    public List<ColumnMapping> multisetKey(TableInfo targetTable, List<ColumnMapping> columns, boolean join) {
        List<ColumnMapping> parts = new ArrayList<>();
        for (ColumnMapping m : columns) {
            boolean nullable = targetTable.column(m.targetColumn()).map(c -> !c.notNull()).orElse(true);
            ValueType t = m.type().byItsTextWhenAmbiguous();
            parts.add(new ColumnMapping(m.sourceLabel(), m.sourceSql(), m.sourceIsExpression(), m.targetColumn(),
                    m.targetType(), true, t, m.fit(), nullable, m.targetCollation(), m.sourceType()));
        }
        parts.add(ColumnMapping.copyNumber(parts, join));
        return parts;
    }

    /**
     * The mapped columns: as the file lists them, or, when it gives no {@code columns}, every
     * column both tables have by name, in the target's order, except the key, generated
     * target columns and the soft-delete marker.
     */
    public Map<String, String> sharedColumns(TableInfo sourceTable, TableInfo targetTable) {
        if (!sync.sharedColumns()) {
            return sync.columns();
        }
        Map<String, String> shared = new LinkedHashMap<>();
        String marker = sync.deletes() instanceof DeletePolicy.Soft soft ? soft.column() : null;
        for (ColumnInfo c : targetTable.columns()) {
            if (sync.key().containsValue(c.name()) || c.generated() || c.name().equals(marker)) {
                continue;
            }
            // a renamed column comes from its source name; the others from the same name
            String from = sync.rename().entrySet().stream().filter(r -> r.getValue().equals(c.name()))
                    .map(Map.Entry::getKey).findFirst().orElse(c.name());
            if (sourceTable.columns().stream().anyMatch(s -> s.name().equals(from))) {
                shared.put(from, c.name());
            }
        }
        return shared;
    }

    public Optional<ColumnMapping> mapping(String section, String sourceWritten, String targetWritten,
            boolean compared, TableInfo sourceTable, TableInfo targetTable, Catalog sourceCatalog,
            Catalog targetCatalog, ValueTypes valueTypes) {
        Optional<ColumnInfo> targetColumn = targetTable.column(targetWritten);
        if (targetColumn.isEmpty()) {
            problem(section + ": target table " + targetTable.displayName() + " has no column '" + targetWritten
                    + "' (columns: " + columnNames(targetTable) + ")");
        }
        Optional<ColumnInfo> sourceColumn = sourceTable.column(sourceWritten);
        Catalog.ExpressionType sourceType = null;
        int sourceTypmod = -1;
        String sourceSql;
        boolean expression = false;
        if (sourceColumn.isPresent()) {
            ColumnInfo c = sourceColumn.get();
            sourceSql = Sql.quote(c.name());
            sourceType = new Catalog.ExpressionType(c.type(), c.typeOid(), c.typeCategory());
            sourceTypmod = c.typmod();
        } else if (IDENTIFIER.matcher(sourceWritten).matches()) {
            problem(section + ": source table " + sourceTable.displayName() + " has no column '" + sourceWritten
                    + "' (columns: " + columnNames(sourceTable) + ")");
            return Optional.empty();
        } else {
            expression = true;
            String unfit = Sql.notSelfContained(sourceWritten);
            if (unfit != null) {
                problem(section + ": source expression '" + sourceWritten + "' is not one expression: " + unfit
                        + " (recon places it inside its own queries, in parentheses)");
                return Optional.empty();
            }
            sourceSql = "(" + sourceWritten + ")";
            try {
                sourceType = sourceCatalog.expressionType(sourceTable, sourceWritten);
                if ("numeric".equals(sourceType.name())) {
                    // "price::numeric(10,2)" fits a numeric(10,2) column: its modifier says so
                    sourceTypmod = sourceCatalog.expressionTypmod(sourceTable, sourceWritten);
                    if (sourceTypmod >= 4) {
                        sourceType = new Catalog.ExpressionType("numeric(" + (((sourceTypmod - 4) >> 16) & 0xffff)
                                + "," + ((sourceTypmod - 4) & 0xffff) + ")", sourceType.oid(), sourceType.category());
                    }
                }
            } catch (RuntimeException e) {
                problem(section + ": source expression '" + sourceWritten + "' is not valid on "
                        + sourceTable.displayName() + ": " + reason(e));
                return Optional.empty();
            }
        }
        if (targetColumn.isEmpty()) {
            return Optional.empty();
        }
        ColumnInfo t = targetColumn.get();
        if (!comparable(sourceType, t, targetCatalog)) {
            problem(section + ": source " + (expression ? "expression '" : "column '") + sourceWritten + "' ("
                    + sourceType.name() + ") cannot be compared with target column '" + t.name() + "' ("
                    + t.type() + "); convert it explicitly, e.g. map \"" + sourceWritten + "::"
                    // a user type may not exist on the source's server; its text form always does
                    + (t.typeOid() < 16384 ? t.type() : "text") + "\" to " + t.name());
            return Optional.empty();
        }
        ValueType type;
        try {
            type = t.collationDeterministic() ? valueTypes.of(t) : valueTypes.of(t).askingTheTarget();
        } catch (RuntimeException e) {
            problem(section + ": cannot read the type of target column '" + t.name() + "': " + reason(e));
            return Optional.empty();
        }
        return Optional.of(new ColumnMapping(sourceWritten, sourceSql, expression, t.name(), t.type(), compared,
                type, valueTypes.fit(sourceType, sourceTypmod, t), section.equals("key") && !t.notNull(), t.collation(),
                sourceType.name()));
    }

    public boolean comparable(Catalog.ExpressionType source, ColumnInfo target, Catalog targetCatalog) {
        boolean builtIn = source.oid() < 16384;
        if ((source.oid() == target.typeOid() && builtIn) || "X".equals(source.category())) {
            return true;
        }
        // a user type (enum, domain, extension) of the same name: the same type on another server
        if (!builtIn && source.name().equals(target.type().replaceAll("\\(.*\\)$", ""))) {
            return true;
        }
        // enums compare by their labels, so text and enums compare with one another
        Set<String> labels = Set.of("S", "E");
        if (labels.contains(source.category()) && labels.contains(target.typeCategory())
                && ("E".equals(source.category()) || "E".equals(target.typeCategory()))) {
            return true;
        }
        if (source.category().equals(target.typeCategory())
                && COMPARABLE_CATEGORIES.contains(source.category())) {
            return true;
        }
        // Oids of built-in types are the same on every server; user types must match by name.
        return source.oid() < 16384 && targetCatalog.assignable(source.oid(), target.typeOid());
    }
}

package dev.recon.diff;

import dev.recon.config.ColumnRule;
import dev.recon.config.Operation;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.ValueType;
import dev.recon.result.RowChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mapping's comparison rules applied to the changes its strategy found: every strategy finds
 * the rows whose values differ in the compared type, and here each differing column with a
 * rule is asked the rule ({@link ColumnRule#equal}), in Java, so that join, merge and hash give
 * the same answer. An update whose every differing column is equal under its rule is not a
 * change: {@link #apply} says so by returning null (and the caller counts it); one with other
 * differences keeps only those in {@code changed}.
 */
public final class RuleCheck {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, ColumnRule> rules;
    /** Per column: a binary float compared as a 4-byte one ({@code Boolean.TRUE}), as a double ({@code FALSE}), or not. */
    private final Map<String, Boolean> floats = new HashMap<>();

    public RuleCheck(MappingPlan plan) {
        this.rules = plan.rules();
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping m = all.get(i);
            index.put(m.targetColumn(), i);
            if (m.type().kind() == ValueType.Kind.FLOAT) {
                floats.put(m.targetColumn(), m.type().compareType().equals("real"));
            }
        }
    }

    /**
     * A binary float's text as one spelling of its value, whichever engine printed it: a
     * 4-byte float may arrive as its shortest text ({@code 0.2}) or as the double it holds
     * ({@code 0.20000000298023224}), and a tolerance must see the same number either way.
     */
    static String floatText(String v, boolean fourBytes) {
        if (v == null) {
            return null;
        }
        try {
            return fourBytes ? Float.toString(Float.parseFloat(v)) : Double.toString(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return v;
        }
    }

    /** True when the mapping has rules to apply. */
    public boolean any() {
        return !rules.isEmpty();
    }

    /** The columns of an update that its rules forgive: differing byte for byte, equal under the rule. */
    public List<String> forgiven(RowChange c) {
        List<String> forgiven = new ArrayList<>();
        if (c.operation() != Operation.UPDATE) {
            return forgiven;
        }
        for (String column : c.changed()) {
            ColumnRule rule = rules.get(column);
            if (rule != null) {
                int i = index.get(column);
                Boolean fourBytes = floats.get(column);
                String source = c.source().get(i);
                String target = c.target().get(i);
                if (fourBytes != null) {
                    source = floatText(source, fourBytes);
                    target = floatText(target, fourBytes);
                }
                if (rule.equal(source, target)) {
                    forgiven.add(column);
                }
            }
        }
        return forgiven;
    }

    /**
     * The change as the rules leave it: as it is, without the forgiven columns, or null when
     * nothing is left to write (every difference forgiven, and no soft-deleted row to revive).
     */
    public RowChange apply(RowChange c, List<String> forgiven) {
        if (forgiven.isEmpty()) {
            return c;
        }
        List<String> left = new ArrayList<>(c.changed());
        left.removeAll(forgiven);
        if (left.isEmpty() && !c.revive()) {
            return null;
        }
        return new RowChange(c.operation(), c.key(), c.source(), c.target(), left, c.revive());
    }
}

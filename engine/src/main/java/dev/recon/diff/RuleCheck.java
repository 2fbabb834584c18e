package dev.recon.diff;

import dev.recon.config.ColumnRule;
import dev.recon.config.Operation;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
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

    public RuleCheck(MappingPlan plan) {
        this.rules = plan.rules();
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i).targetColumn(), i);
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
                if (rule.equal(c.source().get(i), c.target().get(i))) {
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

package dev.recon.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of {@code recon diff --key}: {@code COLUMN=VALUE[,COLUMN=VALUE]}, one argument per
 * key, naming every key column of the target by name; a component written {@code COLUMN}
 * alone (no {@code =}) is NULL. Values are text in the key's type and hold no comma.
 */
public final class KeyArguments {
    private KeyArguments() {
    }

    public static List<Map<String, String>> parse(MappingPlan plan, List<String> arguments) {
        List<String> names = plan.keys().stream().map(ColumnMapping::targetColumn).toList();
        List<Map<String, String>> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (plan.multiset() && !arguments.isEmpty()) {
            throw new PlanException("--key does not fit the mappings:", List.of("mapping '" + plan.name()
                    + "' has no key (its table is compared as a multiset of its columns), so --key cannot pick its"
                    + " rows; leave it out of --sync, or give it a key"));
        }
        for (String argument : arguments) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String part : argument.split(",")) {
                int eq = part.indexOf('=');
                String column = (eq < 0 ? part : part.substring(0, eq)).trim();
                if (!names.contains(column)) {
                    problems.add("--key '" + argument + "': mapping '" + plan.name() + "' has no key column '"
                            + column + "' (its key: " + String.join(", ", names) + ")");
                    continue;
                }
                key.put(column, eq < 0 ? null : part.substring(eq + 1));
            }
            if (key.size() != names.size() && problems.isEmpty()) {
                problems.add("--key '" + argument + "': name every key column of mapping '" + plan.name() + "' ("
                        + String.join(", ", names) + ")");
            }
            out.add(key);
        }
        if (!problems.isEmpty()) {
            throw new PlanException("--key does not fit the mappings:", problems);
        }
        return out;
    }
}

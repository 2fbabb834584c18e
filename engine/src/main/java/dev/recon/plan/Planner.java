package dev.recon.plan;

import dev.recon.base.PlanException;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.connect.Databases;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks every mapping against the live catalogs and turns it into a {@link MappingPlan}.
 * Reads metadata only (probe queries end in {@code WHERE false} or {@code LIMIT 0}); every
 * problem of every mapping is gathered before one {@link PlanException} is thrown.
 */
public final class Planner {
    private final ReconConfig config;
    private final Databases databases;

    public Planner(ReconConfig config, Databases databases) {
        this.config = config;
        this.databases = databases;
    }

    /** The plans of a run, and the selected tables of schema entries that cannot be compared (by name). */
    /** The plans, the refused mappings (name to why), and every selected mapping's name in the file's order. */
    public record Planned(List<MappingPlan> plans, Map<String, String> refused, List<String> order) {
    }

    /**
     * Plans the named mappings (all when {@code only} is empty; a schema entry's name selects
     * its tables). Every problem is listed at once, the refused tables of schema entries too.
     */
    public List<MappingPlan> plan(Collection<String> only, Purpose purpose) {
        Planned planned = plan(only, purpose, true);
        return planned.plans();
    }

    /**
     * Plans a run: as {@link #plan}, except that a schema entry's table that cannot be
     * compared (no target table, no key) does not stop the others; it is the run's error.
     */
    public Planned planRun(Collection<String> only, Purpose purpose) {
        return plan(only, purpose, false);
    }

    private Planned plan(Collection<String> only, Purpose purpose, boolean refusedAreProblems) {
        List<String> problems = new ArrayList<>();
        Set<String> selected = new HashSet<>();
        for (String name : only) {
            List<String> names = config.select(name);
            if (names.isEmpty()) {
                // a schema entry's table refused at expansion is defined too (--sync names it; its error says why)
                problems.add("no mapping named '" + name + "' (defined: " + String.join(", ",
                        Stream.of(config.order().stream(), config.mappings().stream().map(MappingConfig::group)
                                .filter(Objects::nonNull)).flatMap(x -> x).distinct().toList()) + ")");
            }
            selected.addAll(names);
        }
        if (!problems.isEmpty()) {
            throw new PlanException("--sync names a mapping the file does not define:", problems);
        }
        Map<String, String> refused = new LinkedHashMap<>();
        config.refused().forEach((name, why) -> {
            if (only.isEmpty() || selected.contains(name)) {
                if (refusedAreProblems) {
                    problems.add(why);
                } else {
                    refused.put(name, why);
                }
            }
        });
        List<MappingPlan> plans = new ArrayList<>();
        // a run's plan hands its connections on to the run's first read snapshots
        Catalogs shared = new Catalogs(config, databases, !refusedAreProblems);
        try {
            // every table of the run read at once per connection, not four queries a table
            Map<String, List<String>> tables = new LinkedHashMap<>();
            Map<String, String> sides = new HashMap<>();
            for (MappingConfig sync : config.mappings()) {
                if (only.isEmpty() || selected.contains(sync.name())) {
                    tables.computeIfAbsent(sync.source().connection(), c -> new ArrayList<>()).add(sync.source().table());
                    tables.computeIfAbsent(sync.target().connection(), c -> new ArrayList<>()).add(sync.target().table());
                    sides.putIfAbsent(sync.source().connection(), "source");
                    sides.putIfAbsent(sync.target().connection(), "target");
                }
            }
            tables.forEach((connection, names) -> {
                ConnectionConfig conn = config.connection(connection);
                conn.engine().feature(PlanTables.class).ifPresent(p -> p.prefetch(shared, conn,
                        sides.get(connection), names));
            });
            for (MappingConfig sync : config.mappings()) {
                if (only.isEmpty() || selected.contains(sync.name())) {
                    if (sync.group() != null && !refusedAreProblems) {
                        // a table of a schema entry that cannot run is an error of that table alone
                        List<String> own = new ArrayList<>();
                        Optional<MappingPlan> plan = planOne(new MappingCheck(sync, purpose, shared, own));
                        if (own.isEmpty()) {
                            plan.ifPresent(plans::add);
                        } else {
                            refused.put(sync.name(), String.join("; ", own));
                        }
                        continue;
                    }
                    planOne(new MappingCheck(sync, purpose, shared, problems)).ifPresent(plans::add);
                }
            }
        } finally {
            shared.close();
        }
        if (only.isEmpty() && problems.isEmpty()) {
            entryRulesApplyToSomeTable(plans, refused, problems);
        }
        if (!problems.isEmpty()) {
            throw new PlanException(heading(problems, shared), problems);
        }
        List<String> order = config.order().stream()
                .filter(name -> only.isEmpty() || selected.contains(name)).toList();
        return new Planned(plans, refused, order);
    }

    /**
     * The heading of the problems: "cannot connect" when a server could not be reached, "cannot
     * run as written" when the file does not fit the tables, both when there are both.
     */
    private static String heading(List<String> problems, Catalogs shared) {
        long unreachable = problems.stream().filter(shared::isUnreachable).count();
        long written = problems.size() - unreachable;
        List<String> connections = shared.failedConnections();
        String connect = "cannot connect to " + (connections.size() == 1 ? "connection " : "connections ")
                + String.join(", ", connections.stream().map(c -> "'" + c + "'").toList());
        String asWritten = "the mappings cannot run as written (" + written + (written == 1 ? " problem" : " problems")
                + ")";
        String head = unreachable == 0 ? asWritten : written == 0 ? connect : connect + ", and " + asWritten;
        return head + "; nothing was read or written:";
    }

    /**
     * A schema entry's rule that applies to none of its tables (no table has the column, or
     * only as a key or without a key) is a problem: a typo would otherwise forgive nothing,
     * silently. Said only when every table of the entry was planned.
     */
    private void entryRulesApplyToSomeTable(List<MappingPlan> plans, Map<String, String> refused,
            List<String> problems) {
        Map<String, Set<String>> named = new LinkedHashMap<>();
        Set<String> incomplete = new HashSet<>();
        for (MappingConfig sync : config.mappings()) {
            if (sync.group() != null) {
                Set<String> entryRules = named.computeIfAbsent(sync.group(), g -> new java.util.TreeSet<>());
                sync.rules().keySet().stream().filter(c -> !sync.ruleMustApply(c)).forEach(entryRules::add);
                if (refused.containsKey(sync.name())) {
                    incomplete.add(sync.group());
                }
            }
        }
        config.refused().keySet().forEach(name -> named.keySet().stream().filter(g -> name.startsWith(g + "."))
                .forEach(incomplete::add));
        Map<String, String> groupOf = new HashMap<>();
        config.mappings().forEach(m -> groupOf.put(m.name(), m.group()));
        named.forEach((group, columns) -> {
            if (incomplete.contains(group) || columns.isEmpty()) {
                return;
            }
            Set<String> applied = new HashSet<>();
            plans.stream().filter(p -> group.equals(groupOf.get(p.name()))).forEach(p -> applied.addAll(
                    p.rules().keySet()));
            for (String column : columns) {
                if (!applied.contains(column)) {
                    problems.add("schema entry '" + group + "': rules." + column + ": no table of the entry has a"
                            + " compared column '" + column + "' with a key to pair its rows by, so the rule applies"
                            + " nowhere (a misspelt column?)");
                }
            }
        });
    }

    /** Checks one mapping by the one pipeline ({@link MappingPipeline}). */
    private Optional<MappingPlan> planOne(MappingCheck check) {
        MappingConfig sync = check.sync();
        return new MappingPipeline(check).plan(config.connection(sync.source().connection()),
                config.connection(sync.target().connection()));
    }
}

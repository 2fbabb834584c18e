package dev.recon.init;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mapping file {@code recon init} writes from a {@link Survey}: tables with equal names in
 * one schema entry (its renamed columns as overrides), renamed tables as single mappings with
 * their columns; every guessed pair with its confidence and runner-up in a comment, and
 * everything left unpaired listed in comments, so that nothing is dropped silently.
 */
public final class MappingFile {
    /** A YAML scalar that needs no quotes (and is not read as a boolean, a number or null). */
    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final Set<String> YAML_WORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off",
            "null", "none");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

    private MappingFile() {
    }

    /** The file's text, dated {@code today}. */
    public static String render(Survey survey, LocalDate today) {
        return render(survey, today, new java.util.HashMap<>());
    }

    /** The file's text; {@code tables} gets each mapping's name (a schema entry's {@code ENTRY.TABLE}) and its source table. */
    static String render(Survey survey, LocalDate today, java.util.Map<String, String> tables) {
        StringBuilder out = new StringBuilder();
        // the editors' lines (docs/configuration.md, Editor support): `recon schema > recon.schema.json` makes it
        out.append("# yaml-language-server: $schema=./recon.schema.json\n");
        out.append("# $schema: ./recon.schema.json\n");
        out.append("# Written by `recon init` on ").append(today).append(": a guess at which ")
                .append(survey.sourceSchema()).append(" table and column is which ").append(survey.targetSchema())
                .append(" one.\n");
        out.append("# A guessed pair says its confidence (0-1) and the runner-up. Read it, then run\n");
        out.append("# `recon validate` and `recon diff` before any `recon sync` (docs/configuration.md).\n");
        out.append("connections:\n");
        connection(out, survey.source());
        if (!survey.oneConnection()) {
            connection(out, survey.target());
        }
        out.append("syncs:\n");
        out.append("  # deletes: delete is every mapping's default: a sync deletes target rows whose key is gone\n");
        out.append("  # from the source, within the delete guard (docs/sync.md); add `deletes: ignore` to keep them.\n");
        List<Pairing.TablePair> entry = new ArrayList<>();
        List<Pairing.TablePair> single = new ArrayList<>();
        for (Pairing.TablePair p : survey.pairs()) {
            (inSchemaEntry(p) && !survey.notWritten().containsKey(p.source().name()) ? entry : single).add(p);
        }
        Set<String> names = new HashSet<>();
        if (!entry.isEmpty()) {
            String name = schemaEntry(out, survey, entry, names);
            entry.forEach(p -> tables.put(name + "." + p.source().name(), p.source().name()));
        }
        for (Pairing.TablePair p : single) {
            tables.put(mapping(out, survey, p, names), p.source().name());
        }
        if (!survey.pairing().unpairedSource().isEmpty()) {
            out.append("# Source tables paired with none: ").append(String.join(", ",
                    survey.pairing().unpairedSource())).append("\n");
        }
        if (!survey.pairing().unpairedTarget().isEmpty()) {
            out.append("# Target tables paired with none: ").append(String.join(", ",
                    survey.pairing().unpairedTarget())).append("\n");
        }
        return out.toString();
    }

    private static void connection(StringBuilder out, Survey.Connection c) {
        out.append("  ").append(c.name()).append(":\n");
        out.append("    url: ").append(quoted(c.url())).append("\n");
        if (c.passwordVariable() != null) {
            out.append("    password: ${").append(c.passwordVariable()).append("}\n");
        }
    }

    /**
     * True when a schema entry compares the pair as init paired it: equal table names, every
     * column with an equal name on the other side paired with it, and the target's key paired.
     */
    static boolean inSchemaEntry(Pairing.TablePair p) {
        if (!p.sameName() || !p.keyPaired() || !p.refused().isEmpty()) {
            return false;
        }
        Set<String> targetNames = new HashSet<>();
        p.target().columns().forEach(c -> targetNames.add(c.name()));
        for (Pairing.Column c : p.source().columns()) {
            if (targetNames.contains(c.name()) && p.columns().stream().noneMatch(x -> x.source().equals(c.name())
                    && x.target().equals(c.name()))) {
                return false;
            }
        }
        // a renamed column must not take a name a source column has (rename adds to name matching)
        Set<String> sourceNames = new HashSet<>();
        p.source().columns().forEach(c -> sourceNames.add(c.name()));
        return p.columns().stream().filter(c -> !c.sameName()).noneMatch(c -> sourceNames.contains(c.target()));
    }

    /** Writes the schema entry of the equal-named tables; returns its name. */
    private static String schemaEntry(StringBuilder out, Survey survey, List<Pairing.TablePair> pairs,
            Set<String> names) {
        String name = unique(safe(survey.sourceSchema()), names);
        out.append("  # Tables with equal names, compared column by column by name (docs/configuration.md,\n");
        out.append("  # \"Whole schemas\"): named ").append(name).append(".TABLE.\n");
        out.append("  - name: ").append(name).append("\n");
        out.append("    source: { connection: ").append(survey.source().name()).append(", schema: ")
                .append(quoted(survey.sourceSchema())).append(" }\n");
        out.append("    target: { connection: ").append(survey.target().name()).append(", schema: ")
                .append(quoted(survey.targetSchema())).append(" }\n");
        out.append("    tables: [").append(String.join(", ", pairs.stream().map(p -> quoted(p.source().name()))
                .toList())).append("]\n");
        for (Pairing.TablePair p : pairs) {
            // what is left of each table, and what a sync would refuse, as comments of the entry
            StringBuilder notes = new StringBuilder();
            if (p.target().key().isEmpty()) {
                notes.append("    #   no primary key or unique index on the target, so it is compared as a multiset"
                        + " of its columns\n");
            }
            unpaired(notes, "    #   ", p);
            syncProblems(notes, "    #   ", survey, p);
            if (notes.length() > 0) {
                out.append("    # ").append(p.source().name()).append(":\n").append(notes);
            }
        }
        boolean header = false;
        for (Pairing.TablePair p : pairs) {
            List<Pairing.ColumnPair> renamed = p.columns().stream().filter(c -> !c.sameName()).toList();
            if (renamed.isEmpty()) {
                continue;
            }
            if (!header) {
                out.append("    overrides:\n");
                header = true;
            }
            out.append("      ").append(quoted(p.source().name())).append(":\n");
            out.append("        rename:\n");
            for (Pairing.ColumnPair c : renamed) {
                pairLine(out, "          ", quoted(c.source()), c);
            }
        }
        return name;
    }

    /** What {@code recon validate} says a sync of the pair's mapping would refuse, as comments. */
    private static void syncProblems(StringBuilder out, String indent, Survey survey, Pairing.TablePair p) {
        for (String problem : survey.syncProblems().getOrDefault(p.source().name(), List.of())) {
            out.append(indent).append("a sync refuses it as written (recon validate --diff-only accepts it): ")
                    .append(problem.replace("\n", " ")).append("\n");
        }
    }

    /** Writes a single mapping of a table pair (commented out when it cannot run as written); returns its name. */
    private static String mapping(StringBuilder out, Survey survey, Pairing.TablePair p, Set<String> names) {
        String name = unique(safe(p.target().name()), names);
        List<String> lines = new ArrayList<>();
        String why = null;
        List<String> refused = survey.notWritten().get(p.source().name());
        if (!p.keyPaired()) {
            why = "no source column pairs with the target's key column " + String.join(", ", p.target().key().stream()
                    .filter(k -> p.sourceOf(k).isEmpty()).toList()) + "; map one and uncomment";
        } else if (refused != null) {
            why = "recon validate refuses it: " + String.join("; ", refused).replace("\n", " ")
                    + "; fix it and uncomment";
        }
        lines.add("- name: " + name);
        lines.add("  source: { connection: " + survey.source().name() + ", table: "
                + quoted(survey.sourceRefs().get(p.source().name())) + " }");
        lines.add("  target: { connection: " + survey.target().name() + ", table: "
                + quoted(survey.targetRefs().get(p.target().name())) + " }");
        List<Pairing.ColumnPair> keys = new ArrayList<>();
        List<Pairing.ColumnPair> columns = new ArrayList<>();
        for (Pairing.ColumnPair c : p.columns()) {
            (p.target().key().contains(c.target()) ? keys : columns).add(c);
        }
        StringBuilder body = new StringBuilder();
        if (p.target().key().isEmpty()) {
            body.append("  key: none   # no primary key or unique index on the target: compared as a multiset of"
                    + " its columns\n");
        } else {
            body.append("  key:   # the target's ").append(p.target().key().size() == 1 ? "key" : "composite key")
                    .append("\n");
            for (Pairing.ColumnPair c : keys) {
                pairLine(body, "    ", source(survey, c.source()), c);
            }
        }
        if (columns.isEmpty()) {
            body.append("  columns: {}\n");
        } else {
            body.append("  columns:\n");
            for (Pairing.ColumnPair c : columns) {
                pairLine(body, "    ", source(survey, c.source()), c);
            }
        }
        for (String line : body.toString().split("\n")) {
            lines.add(line);
        }
        StringBuilder notes = new StringBuilder();
        unpaired(notes, "  ", p);
        out.append("  # ").append(p.source().name()).append(" -> ").append(p.target().name()).append(" (")
                .append(score(p.confidence())).append(next(p.next())).append(")\n");
        if (why != null) {
            out.append("  # Not written, as ").append(why).append(":\n");
        }
        for (String line : lines) {
            out.append(why != null ? "  # " : "  ").append(line).append("\n");
        }
        if (why == null) {
            syncProblems(notes, "  # ", survey, p);
        }
        out.append(notes);
        return name;
    }

    /** One pair's line: {@code source: target}, with the guess's confidence unless the names are equal. */
    private static void pairLine(StringBuilder out, String indent, String source, Pairing.ColumnPair c) {
        String line = indent + quoted(source) + ": " + quoted(c.target());
        out.append(line);
        if (!c.sameName() || c.confidence() < 1.0) {
            out.append(" ".repeat(Math.max(1, 44 - line.length()))).append("# ").append(score(c.confidence()))
                    .append(next(c.next()));
        }
        out.append("\n");
    }

    private static void unpaired(StringBuilder out, String indent, Pairing.TablePair p) {
        for (Pairing.Refusal r : p.refused()) {
            out.append(indent).append("# not comparable: ").append(r.source()).append(" -> ").append(r.target())
                    .append(": ").append(r.why().replace("\n", " ")).append("\n");
        }
        if (!p.unpairedSource().isEmpty()) {
            out.append(indent).append("# source columns paired with none: ").append(String.join(", ",
                    p.unpairedSource())).append("\n");
        }
        if (!p.unpairedTarget().isEmpty()) {
            List<String> described = new ArrayList<>();
            for (String column : p.unpairedTarget()) {
                Optional<Pairing.Column> c = p.target().column(column);
                boolean required = c.isPresent() && c.get().notNull() && !c.get().hasDefault();
                described.add(column + (required ? " (NOT NULL without a default: a sync cannot insert until it is"
                        + " mapped)" : ""));
            }
            out.append(indent).append("# target columns paired with none: ").append(String.join(", ", described))
                    .append("\n");
        }
    }

    private static String source(Survey survey, String column) {
        return survey.sourceColumnNames().getOrDefault(column, column);
    }

    /** A confidence as the file and the table print it ({@code 0.82}). */
    static String score(double confidence) {
        return String.format(Locale.ROOT, "%.2f", confidence);
    }

    private static String next(Optional<Pairing.Guess> next) {
        return next.map(g -> "; next: " + g.name() + " " + score(g.score())).orElse("; no other candidate");
    }

    /**
     * A mapping name the file accepts (ASCII letters, digits, {@code _ . -}, a letter or digit
     * first): accents dropped ({@code kündé} is {@code kunde}), anything else an underscore.
     */
    static String safe(String name) {
        String plain = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String s = plain.replaceAll("[^A-Za-z0-9_.\\-]", "_").replaceFirst("^[^A-Za-z0-9]+", "");
        return NAME.matcher(s).matches() ? s : "tables";
    }

    private static String unique(String name, Set<String> names) {
        String chosen = name;
        for (int i = 2; !names.add(chosen); i++) {
            chosen = name + "_" + i;
        }
        return chosen;
    }

    /** A YAML scalar: plain when that reads back as the same string, else double-quoted. */
    static String quoted(String value) {
        value = value.replace("${", "$${"); // the loader reads ${NAME} as an environment variable
        if (PLAIN_SCALAR.matcher(value).matches() && !YAML_WORDS.contains(value.toLowerCase(Locale.ROOT))) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

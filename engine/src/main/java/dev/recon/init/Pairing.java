package dev.recon.init;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code recon init}'s guess of which source table is which target table, and which column
 * which column: a pure function of the two catalogs' names, types and keys (no database), so
 * that it is tested on a table of real-world renames. Tables pair first by equal names, then by
 * names equal after normalization ({@link Names}), then by the likeness of their names and of
 * their columns; columns pair within a table pair the same way, weighed by their types, and
 * never where {@link Comparable} refuses the pair. Each pairing is one to one, best first.
 */
public final class Pairing {
    /** Below this a column pair is not proposed. */
    static final double COLUMN_THRESHOLD = 0.5;
    /** Below this a table pair is not proposed. */
    static final double TABLE_THRESHOLD = 0.45;
    /** A runner-up below this is not worth naming. */
    private static final double RUNNER_UP = 0.2;

    private Pairing() {
    }

    /** A column: its name and its type as its catalog spells it. */
    public record Column(String name, String type, boolean notNull, boolean hasDefault) {
        public Column(String name, String type) {
            this(name, type, false, false);
        }
    }

    /** A table: its name, its columns in order, and the columns of its first key (its primary key; empty for none). */
    public record Table(String name, List<Column> columns, List<String> key) {
        public Table {
            columns = List.copyOf(columns);
            key = List.copyOf(key);
        }

        Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /** Why two columns cannot be compared exactly (the rules {@code validate} uses), or empty when they can. */
    @FunctionalInterface
    public interface Comparable {
        Optional<String> refusal(Table source, Table target, Column sourceColumn, Column targetColumn);
    }

    /** The best alternative to a guess, and its score. */
    public record Guess(String name, double score) {
    }

    /** Two columns paired, with the guess's confidence and the source column's next-best target. */
    public record ColumnPair(String source, String target, double confidence, Optional<Guess> next) {
        public boolean sameName() {
            return source.equals(target);
        }
    }

    /** Two columns that are alike by name but cannot be compared, and why. */
    public record Refusal(String source, String target, String why) {
    }

    /** Two tables paired, their columns paired, and what is left on either side. */
    public record TablePair(Table source, Table target, double confidence, Optional<Guess> next,
            List<ColumnPair> columns, List<String> unpairedSource, List<String> unpairedTarget,
            List<Refusal> refused) {
        public boolean sameName() {
            return source.name().equals(target.name());
        }

        /** The source column paired with a target column, if any. */
        public Optional<String> sourceOf(String targetColumn) {
            return columns.stream().filter(c -> c.target().equals(targetColumn)).map(ColumnPair::source).findFirst();
        }

        /** True when every column of the target's key has a source column. */
        public boolean keyPaired() {
            return target.key().stream().allMatch(k -> sourceOf(k).isPresent());
        }
    }

    /** The pairs found, and the tables left on either side. */
    public record Result(List<TablePair> tables, List<String> unpairedSource, List<String> unpairedTarget) {
    }

    /** Pairs the tables of two schemas, then the columns of each pair. */
    public static Result pair(List<Table> sources, List<Table> targets, Comparable comparable) {
        List<Shape> s = sources.stream().map(Shape::new).toList();
        List<Shape> t = targets.stream().map(Shape::new).toList();
        double[][] score = new double[s.size()][t.size()];
        for (int i = 0; i < s.size(); i++) {
            for (int j : candidates(s.get(i), t)) {
                score[i][j] = tableScore(s.get(i), t.get(j));
            }
        }
        int[] chosen = assign(score, TABLE_THRESHOLD);
        List<TablePair> pairs = new ArrayList<>();
        Set<Integer> pairedTargets = new HashSet<>();
        List<String> unpairedSource = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            int j = chosen[i];
            if (j < 0) {
                unpairedSource.add(sources.get(i).name());
                continue;
            }
            pairedTargets.add(j);
            pairs.add(columns(s.get(i), t.get(j), score[i][j], runnerUp(score[i], j, targets, Table::name),
                    comparable));
        }
        List<String> unpairedTarget = new ArrayList<>();
        for (int j = 0; j < t.size(); j++) {
            if (!pairedTargets.contains(j)) {
                unpairedTarget.add(targets.get(j).name());
            }
        }
        return new Result(pairs, unpairedSource, unpairedTarget);
    }

    /** How many targets of a source table are scored in full (the rest by a quick estimate are far behind). */
    static final int CANDIDATES = 12;

    /**
     * The targets worth scoring in full for a source table: those whose names are alike, and
     * the best by a quick estimate (names, and the column names they share exactly). Scoring
     * every pair in full costs tables × tables × columns²; this keeps large schemas fast.
     */
    static List<Integer> candidates(Shape s, List<Shape> targets) {
        if (targets.size() <= CANDIDATES) {
            return java.util.stream.IntStream.range(0, targets.size()).boxed().toList();
        }
        double[] quick = new double[targets.size()];
        List<Integer> chosen = new ArrayList<>();
        for (int j = 0; j < targets.size(); j++) {
            Shape t = targets.get(j);
            double name = Names.similarity(s.table.name(), t.table.name(), s.meaning, t.meaning);
            Set<String> common = new HashSet<>(s.columnKeys);
            common.retainAll(t.columnKeys);
            int n = s.columnKeys.size() + t.columnKeys.size();
            quick[j] = 0.5 * name + 0.5 * (n == 0 ? 0 : 2.0 * common.size() / n);
            if (name >= TABLE_THRESHOLD) {
                chosen.add(j);
            }
        }
        java.util.stream.IntStream.range(0, targets.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -quick[j])).limit(CANDIDATES)
                .filter(j -> !chosen.contains(j)).forEach(chosen::add);
        return chosen;
    }

    /** Pairs the columns of two tables already paired (with {@code confidence}, and {@code next} the runner-up). */
    static TablePair columns(Shape s, Shape t, double confidence, Optional<Guess> next, Comparable comparable) {
        int n = s.table.columns().size();
        int m = t.table.columns().size();
        double[][] score = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                score[i][j] = columnScore(s, i, t, j);
            }
        }
        // a pair the rules refuse is never proposed; the best refused pair of a column left alone is said
        Map<Long, String> refusals = new HashMap<>();
        double[][] allowed = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                allowed[i][j] = score[i][j];
                if (score[i][j] >= COLUMN_THRESHOLD) {
                    Optional<String> why = comparable.refusal(s.table, t.table, s.table.columns().get(i),
                            t.table.columns().get(j));
                    if (why.isPresent()) {
                        refusals.put((long) i * m + j, why.get());
                        allowed[i][j] = 0;
                    }
                }
            }
        }
        int[] chosen = assign(allowed, COLUMN_THRESHOLD);
        List<ColumnPair> pairs = new ArrayList<>();
        boolean[] targetPaired = new boolean[m];
        List<String> unpairedSource = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = chosen[i];
            if (j < 0) {
                unpairedSource.add(s.table.columns().get(i).name());
                continue;
            }
            targetPaired[j] = true;
            pairs.add(new ColumnPair(s.table.columns().get(i).name(), t.table.columns().get(j).name(), score[i][j],
                    runnerUp(score[i], j, t.table.columns(), Column::name)));
        }
        // in the target's column order
        Map<String, Integer> order = new HashMap<>();
        for (int j = 0; j < m; j++) {
            order.put(t.table.columns().get(j).name(), j);
        }
        pairs.sort(Comparator.comparing(p -> order.get(p.target())));
        List<String> unpairedTarget = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            if (targetPaired[j]) {
                continue;
            }
            unpairedTarget.add(t.table.columns().get(j).name());
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (chosen[i] < 0 && refusals.containsKey((long) i * m + j) && (best < 0 || score[i][j] > score[best][j])) {
                    best = i;
                }
            }
            if (best >= 0) {
                refused.add(new Refusal(s.table.columns().get(best).name(), t.table.columns().get(j).name(),
                        refusals.get((long) best * m + j)));
            }
        }
        return new TablePair(s.table, t.table, confidence, next, pairs, unpairedSource, unpairedTarget, refused);
    }

    /** The best score in {@code row} other than at {@code chosen}, as a guess, when it is worth naming. */
    private static <T> Optional<Guess> runnerUp(double[] row, int chosen, List<T> items,
            java.util.function.Function<T, String> name) {
        int best = -1;
        for (int j = 0; j < row.length; j++) {
            if (j != chosen && (best < 0 || row[j] > row[best])) {
                best = j;
            }
        }
        return best >= 0 && row[best] >= RUNNER_UP ? Optional.of(new Guess(name.apply(items.get(best)), row[best]))
                : Optional.empty();
    }

    /**
     * One to one, best first: the highest score at or above {@code threshold} pairs its row and
     * column, then the next among those left; equal scores go to the pair nearest the diagonal
     * (columns in the same place), then the first. The column of each row, or -1.
     */
    static int[] assign(double[][] score, double threshold) {
        int n = score.length;
        int m = n == 0 ? 0 : score[0].length;
        List<int[]> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (score[i][j] >= threshold) {
                    candidates.add(new int[] {i, j});
                }
            }
        }
        candidates.sort(Comparator.<int[]>comparingDouble(c -> -score[c[0]][c[1]])
                .thenComparingInt(c -> Math.abs(c[0] - c[1])).thenComparingInt(c -> c[0]).thenComparingInt(c -> c[1]));
        int[] chosen = new int[n];
        java.util.Arrays.fill(chosen, -1);
        boolean[] taken = new boolean[m];
        for (int[] c : candidates) {
            if (chosen[c[0]] < 0 && !taken[c[1]]) {
                chosen[c[0]] = c[1];
                taken[c[1]] = true;
            }
        }
        return chosen;
    }

    /**
     * How alike two tables are: 1 for equal names; names equal after normalization count most;
     * otherwise the names and the columns count alike (how well the columns pair by name and type).
     */
    static double tableScore(Shape s, Shape t) {
        double name = Names.similarity(s.table.name(), t.table.name(), s.meaning, t.meaning);
        if (name == 1.0) {
            return 1.0;
        }
        double columns = overlap(s, t);
        // names that say little (emp, staff_members) leave it to the columns: alike columns pair the tables
        return name >= 0.9 ? 0.8 * name + 0.2 * columns : Math.max(0.5 * name + 0.5 * columns, 0.65 * columns);
    }

    /** How well two tables' columns pair, by name and type only: 1 when every column has an equal one. */
    static double overlap(Shape s, Shape t) {
        int n = s.table.columns().size();
        int m = t.table.columns().size();
        if (n == 0 || m == 0) {
            return 0;
        }
        double[][] score = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                score[i][j] = columnScore(s, i, t, j);
            }
        }
        int[] chosen = assign(score, COLUMN_THRESHOLD);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (chosen[i] >= 0) {
                sum += score[i][chosen[i]];
            }
        }
        return 2 * sum / (n + m);
    }

    /**
     * How alike two columns are: by their names, also without the words of their tables' names
     * ({@code cust_id} of {@code tbl_cust} is {@code id}), weighed by how alike their types are.
     */
    static double columnScore(Shape s, int i, Shape t, int j) {
        Column a = s.table.columns().get(i);
        Column b = t.table.columns().get(j);
        double name = Names.similarity(a.name(), b.name(), s.columns.get(i), t.columns.get(j));
        List<String> strippedA = s.stripped.get(i);
        List<String> strippedB = t.stripped.get(j);
        if (name < 0.93 && (strippedA != s.columns.get(i) || strippedB != t.columns.get(j))) {
            name = Math.max(name, 0.97 * Names.similarity(strippedA, strippedB));
        }
        return name * typeLikeness(s.families.get(i), t.families.get(j));
    }

    /** The kinds of value a column's type holds, as far as pairing needs them. */
    enum Family { INTEGER, DECIMAL, FLOAT, TEXT, BOOLEAN, DATE, TIME, TIMESTAMP, JSON, BYTES, UUID, OTHER }

    static Family family(String type) {
        String t = type.toLowerCase(Locale.ROOT).trim();
        if (t.startsWith("tinyint(1)") || t.startsWith("bool") || t.equals("bit(1)") || t.equals("bit")) {
            return Family.BOOLEAN;
        }
        if (t.matches("(tiny|small|medium|big)?int.*|integer.*|(big|small)?serial.*|int[248].*")) {
            return Family.INTEGER;
        }
        if (t.startsWith("numeric") || t.startsWith("decimal") || t.startsWith("money") || t.startsWith("number")) {
            return Family.DECIMAL;
        }
        if (t.startsWith("real") || t.startsWith("double") || t.startsWith("float")) {
            return Family.FLOAT;
        }
        if (t.matches(".*(char|text|string|clob|citext|enum|set\\().*") || t.equals("name")) {
            return Family.TEXT;
        }
        if (t.startsWith("timestamp") || t.startsWith("datetime")) {
            return Family.TIMESTAMP;
        }
        if (t.equals("date")) {
            return Family.DATE;
        }
        if (t.startsWith("time")) {
            return Family.TIME;
        }
        if (t.startsWith("json")) {
            return Family.JSON;
        }
        if (t.startsWith("bytea") || t.contains("blob") || t.contains("binary")) {
            return Family.BYTES;
        }
        if (t.equals("uuid")) {
            return Family.UUID;
        }
        return Family.OTHER;
    }

    /** 1 for one family, less for families that hold alike values (numbers, dates and times), least otherwise. */
    static double typeLikeness(Family a, Family b) {
        if (a == b) {
            return 1.0;
        }
        Set<Family> numbers = Set.of(Family.INTEGER, Family.DECIMAL, Family.FLOAT);
        Set<Family> times = Set.of(Family.DATE, Family.TIMESTAMP);
        if (numbers.contains(a) && numbers.contains(b) || times.contains(a) && times.contains(b)) {
            return 0.92;
        }
        if (a == Family.TEXT || b == Family.TEXT || a == Family.OTHER || b == Family.OTHER) {
            return 0.8;
        }
        return 0.7;
    }

    /** A table with its names' meanings worked out once. */
    static final class Shape {
        final Table table;
        final List<String> meaning;
        final List<List<String>> columns = new ArrayList<>();
        /** Each column's meaning without its table's words (the same list when nothing is left out). */
        final List<List<String>> stripped = new ArrayList<>();
        /** The columns' meanings without their table's words, as sorted text (for the quick estimate). */
        final Set<String> columnKeys = new HashSet<>();
        /** Each column's type family. */
        final List<Family> families = new ArrayList<>();

        Shape(Table table) {
            this.table = table;
            this.meaning = Names.tableMeaning(table.name());
            Set<String> tableWords = new HashSet<>(meaning);
            for (Column c : table.columns()) {
                families.add(family(c.type()));
                List<String> m = Names.meaning(c.name());
                columns.add(m);
                List<String> rest = m.stream().filter(w -> !tableWords.contains(w)).toList();
                stripped.add(rest.isEmpty() || rest.size() == m.size() ? m : rest);
                columnKeys.add(String.join(" ", stripped.get(stripped.size() - 1).stream().sorted().toList()));
            }
        }
    }
}

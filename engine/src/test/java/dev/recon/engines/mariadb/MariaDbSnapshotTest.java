package dev.recon.engines.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.engines.mariadb.MariaDbValues.Read;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB table read in key order through {@link MariaDbSnapshot} and its rules gives, row
 * for row, what recon reads from the same rows in PostgreSQL ordered by {@code COLLATE "C"}:
 * the order a merge of the two needs. Keys that a case- and accent-blind, PAD SPACE collation
 * calls equal ('a', 'A', 'a ', 'á') still sort apart, byte by byte.
 */
class MariaDbSnapshotTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static final String[] REGIONS = {"a", "A", "a ", "á", "b", "B", "é", "e", "z", "日本", "\uD83D\uDE00", ""};

    @Test
    void readsInTheOrderAndTextPostgresGivesTheSameRows() throws SQLException {
        maria.execute("CREATE TABLE people (region varchar(10) NOT NULL, id int NOT NULL, name varchar(40),"
                + " born date, paid decimal(10,2), at datetime(6), vip tinyint(1),"
                + " PRIMARY KEY (region, id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
        pg.execute("CREATE TABLE people (region text NOT NULL, id int NOT NULL, name text, born date,"
                + " paid numeric(10,2), at timestamp, vip boolean, PRIMARY KEY (region, id))");
        Random random = new Random(15);
        try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
             PreparedStatement mi = m.prepareStatement("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement pi = p.prepareStatement("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 300; i++) {
                // ids apart per region row, so that a collation calling two regions equal cannot collide
                Object[] row = {REGIONS[random.nextInt(REGIONS.length)], i, random.nextInt(5) == 0 ? null
                        : "name " + (char) ('a' + random.nextInt(26)) + " " + random.nextInt(1000),
                        random.nextInt(6) == 0 ? null : LocalDate.of(1000 + random.nextInt(9000), 1 + random.nextInt(12),
                                1 + random.nextInt(28)),
                        random.nextInt(6) == 0 ? null : BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 2),
                        random.nextInt(6) == 0 ? null : LocalDateTime.of(2000 + random.nextInt(30), 1 + random.nextInt(12),
                                1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                                random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000) * 1000),
                        random.nextInt(4) == 0 ? null : random.nextBoolean()};
                for (int c = 0; c < row.length; c++) {
                    mi.setObject(c + 1, row[c]);
                    pi.setObject(c + 1, row[c]);
                }
                mi.execute();
                pi.execute();
            }
        }
        MariaDbTable table;
        try (Connection m = maria.connect()) {
            table = new MariaDbCatalog(m).table("people").orElseThrow();
        }
        String[] pgTypes = {"text", "integer", "text", "date", "numeric(10,2)", "timestamp without time zone",
                "boolean"};
        List<Read> rules = new ArrayList<>();
        for (int c = 0; c < pgTypes.length; c++) {
            rules.add((Read) MariaDbValues.rule(table.columns().get(c), pgTypes[c]));
        }
        String sql = MariaDbSnapshot.ordered(table, rules.subList(0, 2), rules.subList(2, rules.size()), null);
        List<List<String>> fromMaria = new ArrayList<>();
        try (MariaDbSnapshot snapshot = MariaDbSnapshot.begin(maria.connect())) {
            assertThat(snapshot.stream(sql, r -> fromMaria.add(List.of(nulls(r))))).isEqualTo(300);
        }
        List<List<String>> fromPg = new ArrayList<>();
        try (Connection p = DriverManager.getConnection(pg.url()); Statement s = p.createStatement()) {
            for (String setting : dev.recon.engines.postgres.PostgresEngine.SESSION_SETTINGS) {
                s.execute(setting);
            }
            // each value as text, as recon reads a side (a boolean's text is true/false, its output format t/f)
            try (ResultSet rs = s.executeQuery("SELECT region::text, id::text, name::text, born::text, paid::text,"
                    + " at::text, vip::text FROM people ORDER BY people.region COLLATE \"C\", people.id")) {
                while (rs.next()) {
                    String[] r = new String[7];
                    for (int c = 0; c < 7; c++) {
                        r[c] = rs.getString(c + 1);
                    }
                    fromPg.add(List.of(nulls(r)));
                }
            }
        }
        assertThat(fromMaria).isEqualTo(fromPg);
        // every region kept apart from the ones its collation calls equal
        assertThat(fromMaria.stream().map(r -> r.get(0)).distinct().toList()).containsSubsequence("A", "B", "a", "a ",
                "b", "z", "á");
    }

    @Test
    void theSnapshotDoesNotSeeLaterWrites() throws SQLException {
        maria.execute("CREATE TABLE counted (id int PRIMARY KEY) ENGINE=InnoDB");
        maria.execute("INSERT INTO counted VALUES (1), (2)");
        try (Connection m = maria.connect()) {
            MariaDbTable table = new MariaDbCatalog(m).table("counted").orElseThrow();
            Read id = (Read) MariaDbValues.rule(table.columns().get(0), "integer");
            String sql = MariaDbSnapshot.ordered(table, List.of(id), List.of(), null);
            try (MariaDbSnapshot snapshot = MariaDbSnapshot.begin(maria.connect())) {
                assertThat(snapshot.stream(sql, r -> { })).isEqualTo(2);
                maria.execute("INSERT INTO counted VALUES (3)");
                assertThat(snapshot.stream(sql, r -> { })).isEqualTo(2);
                // read-only: a write in the snapshot is refused
                try (Statement s = snapshot.connection().createStatement()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("INSERT INTO counted VALUES (4)"))
                            .isInstanceOf(SQLException.class);
                }
            }
            try (MariaDbSnapshot later = MariaDbSnapshot.begin(maria.connect())) {
                assertThat(later.stream(sql, r -> { })).isEqualTo(3);
            }
        }
    }

    /** A row's values, NULL as the string "<null>" (List.of holds no null). */
    private static String[] nulls(String[] row) {
        String[] out = new String[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = row[i] == null ? "<null>" : row[i];
        }
        return out;
    }
}

package dev.recon.engines.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.recon.engines.mariadb.MariaDbValues.Read;
import dev.recon.engines.mariadb.MariaDbValues.Refused;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Each rule of {@link MariaDbValues} against both real servers: the same values stored in a
 * MariaDB column and in its PostgreSQL counterpart print the same text (MariaDB through the
 * rule, PostgreSQL as recon's read snapshots read it) and sort in the same order; values the
 * target type cannot hold print differently from every value it can.
 */
class MariaDbValuesTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static final AtomicInteger TABLES = new AtomicInteger();

    /** One value as each side writes it (SQL literals); pg null: the target type cannot hold it. */
    record Value(String maria, String pg) {
    }

    static Value v(String both) {
        return new Value(both, both);
    }

    static Value v(String maria, String pg) {
        return new Value(maria, pg);
    }

    /**
     * Stores the values in both, reads them as recon would, and returns MariaDB's texts, after
     * checking them against PostgreSQL's (and the key orders, when {@code ordered}).
     */
    private List<String> same(String mariaType, String pgType, boolean ordered, Value... values) throws SQLException {
        return same(mariaType, pgType, ordered, false, values);
    }

    /** The same, with the rule of a compared column ({@code inTargetType}) or of a key. */
    private List<String> same(String mariaType, String pgType, boolean ordered, boolean inTargetType, Value... values)
            throws SQLException {
        MariaDbColumn column = column(mariaType);
        MariaDbValues.Rule rule = MariaDbValues.rule(column, pgType, false, inTargetType);
        assertThat(rule).as(mariaType + " -> " + pgType).isInstanceOf(Read.class);
        Read read = (Read) rule;
        String table = "t" + TABLES.get();
        List<String> mariaText = new ArrayList<>();
        List<String> pgText = new ArrayList<>();
        List<Integer> mariaOrder = new ArrayList<>();
        List<Integer> pgOrder = new ArrayList<>();
        try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
             Statement ms = m.createStatement(); Statement ps = p.createStatement()) {
            ms.execute("SET time_zone = '+00:00'");
            for (String setting : dev.recon.engines.postgres.PostgresEngine.SESSION_SETTINGS) {
                ps.execute(setting);
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i].pg() == null) {
                    continue;
                }
                ms.execute("INSERT INTO " + table + " VALUES (" + i + ", " + values[i].maria() + ")");
                ps.execute("INSERT INTO " + table + " VALUES (" + i + ", " + values[i].pg() + ")");
            }
            try (ResultSet rs = ms.executeQuery("SELECT " + read.select() + " FROM " + table + " ORDER BY i")) {
                while (rs.next()) {
                    mariaText.add(rs.getString(1));
                }
            }
            try (ResultSet rs = ps.executeQuery("SELECT v::text FROM " + table + " ORDER BY i")) {
                while (rs.next()) {
                    pgText.add(rs.getString(1));
                }
            }
            assertThat(mariaText).as(mariaType + " -> " + pgType).isEqualTo(pgText);
            if (ordered) {
                try (ResultSet rs = ms.executeQuery("SELECT i FROM " + table + " ORDER BY " + read.order() + ", i")) {
                    while (rs.next()) {
                        mariaOrder.add(rs.getInt(1));
                    }
                }
                String collate = pgType.startsWith("text") || pgType.startsWith("character") ? " COLLATE \"C\"" : "";
                try (ResultSet rs = ps.executeQuery("SELECT i FROM " + table + " ORDER BY v" + collate + ", i")) {
                    while (rs.next()) {
                        pgOrder.add(rs.getInt(1));
                    }
                }
                assertThat(mariaOrder).as("key order of " + mariaType + " -> " + pgType).isEqualTo(pgOrder);
            }
            // what the target cannot hold: printed as it is, unequal to every value it can
            List<String> unfit = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i].pg() == null) {
                    ms.execute("INSERT INTO " + table + " VALUES (" + i + ", " + values[i].maria() + ")");
                    try (ResultSet rs = ms.executeQuery("SELECT " + read.select() + " FROM " + table + " WHERE i = "
                            + i)) {
                        rs.next();
                        unfit.add(rs.getString(1));
                    }
                }
            }
            assertThat(unfit).as("unfit values of " + mariaType + " -> " + pgType).doesNotContainAnyElementsOf(pgText);
            return unfit;
        }
    }

    /** Creates the table on both sides and reads the MariaDB column back from the catalog. */
    private MariaDbColumn column(String mariaType) throws SQLException {
        String table = "t" + TABLES.incrementAndGet();
        maria.execute("CREATE TABLE " + table + " (i int PRIMARY KEY, v " + mariaType + ")");
        try (Connection m = maria.connect()) {
            return new MariaDbCatalog(m).table(table).orElseThrow().column("v").orElseThrow();
        }
    }

    private List<String> check(String mariaType, String pgType, boolean ordered, Value... values) throws SQLException {
        String table = "t" + (TABLES.get() + 1);
        pg.execute("CREATE TABLE " + table + " (i int PRIMARY KEY, v " + pgType + ")");
        return same(mariaType, pgType, ordered, values);
    }

    @Test
    void integersAndDecimalsPrintAsPostgresNumbersDo() throws SQLException {
        check("bigint", "bigint", true, v("0"), v("-1"), v("9223372036854775807"), v("-9223372036854775808"), v("NULL"));
        check("tinyint unsigned", "smallint", true, v("0"), v("255"), v("7"));
        check("int", "numeric(12,2)", true, v("5"), v("-3"), v("NULL"));
        check("decimal(6,1)", "numeric(8,3)", true, v("1.5"), v("-12345.6"));
        check("decimal(10,2)", "numeric(12,2)", true, v("12.50"), v("-0.01"), v("0"), v("99999999.99"), v("NULL"));
        check("decimal(30,10)", "numeric", true, v("1.5000000000"), v("-12345678901234567890.0000000001"));
    }

    @Test
    void aColumnIsReadInTheTargetsNumericTypeRoundedAsPostgresRoundsAndAsItIsWhereItCannotBeHeld()
            throws SQLException {
        // the PostgreSQL side stores the values in the target type: its cast rounds them, half away from zero
        pg.execute("CREATE TABLE t" + (TABLES.get() + 1) + " (i int PRIMARY KEY, v numeric(12,2))");
        same("decimal(10,3)", "numeric(12,2)", false, true, v("12.345"), v("-12.345"), v("-0.001"), v("0.005"),
                v("-0.005"), v("9999999.999"), v("0"), v("NULL"));
        // rounding can add a digit the target has no room for: 99.995 would be 100.00 in numeric(4,2)
        pg.execute("CREATE TABLE t" + (TABLES.get() + 1) + " (i int PRIMARY KEY, v numeric(4,2))");
        List<String> unfit = same("decimal(6,3)", "numeric(4,2)", false, true, v("99.994"), v("-99.994"), v("12.5"),
                v("99.995", null), v("-99.999", null), v("100.000", null), v("NULL"));
        assertThat(unfit).containsExactly("99.995", "-99.999", "100.000");
        pg.execute("CREATE TABLE t" + (TABLES.get() + 1) + " (i int PRIMARY KEY, v numeric(12,2))");
        unfit = same("bigint", "numeric(12,2)", false, true, v("5"), v("-3"), v("9999999999"), v("-9999999999"),
                v("10000000000", null), v("-9223372036854775808", null));
        assertThat(unfit).containsExactly("10000000000", "-9223372036854775808");
        // PostgreSQL's numeric(3,5) and numeric(4,-2) have no MariaDB counterpart to read in: refused, not a crash
        assertThat(MariaDbValues.rule(column("decimal(10,3)"), "numeric(3,5)", false, true)).isInstanceOf(Refused.class);
        assertThat(MariaDbValues.rule(column("decimal(10,3)"), "numeric(4,-2)", false, true))
                .isInstanceOf(Refused.class);
        // a decimal into an integer type: rounded half away from zero, as PostgreSQL's cast from numeric rounds
        pg.execute("CREATE TABLE t" + (TABLES.get() + 1) + " (i int PRIMARY KEY, v smallint)");
        unfit = same("decimal(10,3)", "smallint", false, true, v("12.5"), v("-12.5"), v("0.499"), v("-0.4"),
                v("32767.499"), v("-32768.4"), v("NULL"), v("32767.5", null), v("-32768.5", null), v("9999999.999", null));
        assertThat(unfit).containsExactly("32767.500", "-32768.500", "9999999.999");
        pg.execute("CREATE TABLE t" + (TABLES.get() + 1) + " (i int PRIMARY KEY, v bigint)");
        unfit = same("decimal(30,1)", "bigint", false, true, v("9223372036854775807.4"), v("-9223372036854775808.4"),
                v("1.5"), v("9223372036854775807.5", null), v("-9223372036854775808.5", null));
        assertThat(unfit).containsExactly("9223372036854775807.5", "-9223372036854775808.5");
        assertThat(MariaDbValues.rule(column("decimal(10,0)"), "integer", false, false)).isInstanceOf(Refused.class);
        // a key is compared exactly or refused (two source keys would be one target key)
        assertThat(MariaDbValues.rule(column("decimal(10,3)"), "numeric(12,2)", false, false))
                .isInstanceOf(Refused.class);
    }

    @Test
    void booleansAreZeroAndOneAndAnythingElseDiffers() throws SQLException {
        List<String> unfit = check("tinyint(1)", "boolean", true, v("0", "false"), v("1", "true"), v("NULL", "NULL"),
                v("2", null), v("-1", null));
        assertThat(unfit).containsExactly("2", "-1");
        check("bit(1)", "boolean", false, v("b'0'", "false"), v("b'1'", "true"));
    }

    @Test
    void textIsCharacterForCharacterAndSortsByItsBytes() throws SQLException {
        // trailing spaces count (MariaDB's PAD SPACE collations would call 'a ' and 'a' equal)
        check("varchar(40)", "text", true, v("'a'"), v("'a '"), v("'A'"), v("''"), v("NULL"), v("'é'"), v("'e'"),
                v("'z'"), v("'ä'"), v("'日本'"), v("'\uD83D\uDE00'"), v("'ab\\tc'", "E'ab\\tc'"));
        check("enum('small','large')", "text", true, v("'small'"), v("'large'"));
        // a set prints its members in the order the type declares them, as MariaDB stores it
        check("set('a','b','c')", "text", true, v("'c,a'", "'a,c'"), v("''"), v("'b'"), v("NULL"));
        check("char(3) CHARACTER SET latin1", "character varying(3)", true, v("'ü'"), v("'abc'"), v("'u'"));
    }

    @Test
    void timesPrintTheirFractionAsPostgresDoes() throws SQLException {
        check("datetime(6)", "timestamp without time zone", true, v("'2024-01-01 10:00:00'"),
                v("'2024-01-01 10:00:00.5'"), v("'2024-01-01 10:00:00.123456'"), v("'0999-12-31 23:59:59.000001'"),
                v("'2024-01-01 10:00:10'"), v("NULL"));
        check("datetime", "timestamp(0) without time zone", true, v("'2024-02-29 00:00:00'"));
        List<String> zero = check("date", "date", true, v("'2024-01-31'"), v("'1000-01-01'"), v("'0000-00-00'", null));
        assertThat(zero).containsExactly("0000-00-00");
        check("timestamp(3) NULL", "timestamp(3) with time zone", true, v("'2024-06-01 12:00:00.250'",
                "'2024-06-01 12:00:00.25+00'"), v("'2024-06-01 12:00:00'", "'2024-06-01 12:00:00+00'"));
        check("time(6)", "time without time zone", true, v("'10:00:00'"), v("'23:59:59.999999'"), v("'00:00:00.5'"),
                v("'25:00:00'", null));
    }

    @Test
    void uuidsBytesAndJson() throws SQLException {
        check("char(36)", "uuid", true, v("'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
                "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"), v("'00000000-0000-0000-0000-000000000001'"));
        check("varbinary(10)", "bytea", true, v("X'00FF10'", "'\\x00ff10'"), v("X''", "'\\x'"), v("X'7F'", "'\\x7f'"));
        check("blob", "bytea", true, v("X'DEADBEEF'", "'\\xdeadbeef'"), v("X''", "'\\x'"));
        // binary(n) is padded with zero bytes by MariaDB, and read so
        check("binary(3)", "bytea", true, v("X'01'", "'\\x010000'"), v("X'FFFFFF'", "'\\xffffff'"));
        // MariaDB's uuid sorts by its time fields first; recon orders by the text, as PostgreSQL's uuid does
        check("uuid", "uuid", true, v("'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
                v("'00000000-0000-0000-0000-000000000001'"), v("'ffffffff-0000-1000-8000-000000000000'"),
                v("'00000001-ffff-1000-8000-000000000000'"), v("'10000000-0000-0001-8000-000000000000'"), v("NULL"));
        // json is compared by the target as jsonb (its text differs, its value does not): the text is the source's
        MariaDbColumn json = column("json");
        assertThat(MariaDbValues.rule(json, "jsonb")).isEqualTo(new Read("`v`", "(`v` IS NULL), CAST(`v` AS BINARY)"));
    }

    @Test
    void pairsWithoutAnExactRuleAreRefusedWithTheReason() throws SQLException {
        assertThat(MariaDbValues.rule(column("decimal(10,3)"), "numeric(12,2)")).isEqualTo(new Refused(
                "source column v (decimal(10,3)) for a target column of type numeric(12,2): decimal(10,3) values may"
                        + " not fit numeric(12,2) (a cast would round or fail); a target of numeric(10,3) holds them"));
        // bigint's 19 digits do not fit numeric(12,2)'s 10 before the point
        assertThat(MariaDbValues.rule(column("bigint"), "numeric(12,2)")).isInstanceOf(Refused.class);
        assertThat(MariaDbValues.rule(column("datetime(6)"), "timestamp(3) without time zone"))
                .isInstanceOf(Refused.class);
        assertThat(MariaDbValues.rule(column("datetime"), "timestamp with time zone")).isInstanceOf(Refused.class);
        assertThat(MariaDbValues.rule(column("double"), "real")).isEqualTo(new Refused("source column v (double) for a"
                + " target column of type real: a double would be rounded to a real"));
        assertThat(MariaDbValues.rule(column("varchar(10)"), "integer")).isInstanceOf(Refused.class);
    }

    @Test
    void anyUnicodeTextReadsAndSortsAlike() throws SQLException {
        MariaDbColumn column = column("varchar(20)");
        String table = "t" + TABLES.get();
        pg.execute("CREATE TABLE " + table + " (i int PRIMARY KEY, v text)");
        Read read = (Read) MariaDbValues.rule(column, "text");
        Gen<Integer> codePoint = SourceDSL.integers().between(0, 5).flatMap(range -> switch (range) {
            case 0 -> SourceDSL.integers().between(0x20, 0x7e);
            case 1 -> SourceDSL.integers().between(0x09, 0x0d);
            case 2 -> SourceDSL.integers().between(0xa0, 0x2ff);
            case 3 -> SourceDSL.integers().between(0x3040, 0x30ff);
            case 4 -> SourceDSL.integers().between(0xe000, 0xfffd);
            default -> SourceDSL.integers().between(0x1f300, 0x1f64f);
        });
        Gen<String> text = SourceDSL.lists().of(codePoint).ofSizeBetween(0, 6)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
        AtomicInteger round = new AtomicInteger();
        qt().withExamples(40).forAll(SourceDSL.lists().of(text).ofSizeBetween(1, 12)).checkAssert(strings -> {
            try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
                 Statement ms = m.createStatement(); Statement ps = p.createStatement()) {
                ms.execute("DELETE FROM " + table);
                ps.execute("DELETE FROM " + table);
                try (PreparedStatement mi = m.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)");
                     PreparedStatement pi = p.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                    for (int i = 0; i < strings.size(); i++) {
                        mi.setInt(1, i);
                        mi.setString(2, strings.get(i));
                        mi.execute();
                        pi.setInt(1, i);
                        pi.setString(2, strings.get(i));
                        pi.execute();
                    }
                }
                assertThat(column(ms, "SELECT " + read.select() + " FROM " + table + " ORDER BY " + read.order()
                        + ", i")).as("round %d: %s", round.incrementAndGet(), strings)
                        .isEqualTo(column(ps, "SELECT v FROM " + table + " ORDER BY v COLLATE \"C\", i"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void zeroDatesAreFlaggedOrReadAsNull() throws SQLException {
        try (Connection m = maria.connect(); Statement ms = m.createStatement()) {
            ms.execute("SET sql_mode = ''");
            ms.execute("CREATE TABLE zd (i int PRIMARY KEY, d date NOT NULL, t datetime(3) NOT NULL,"
                    + " ts timestamp NOT NULL DEFAULT 0)");
            ms.execute("INSERT INTO zd VALUES (1, '0000-00-00', '0000-00-00 00:00:00', 0),"
                    + " (2, '2024-00-10', '2024-01-00 10:00:00.5', '2024-01-01 00:00:00'),"
                    + " (3, '2024-01-01', '2024-01-01 00:00:00.25', '2024-01-01 00:00:01')");
            MariaDbTable table = new MariaDbCatalog(m).table("zd").orElseThrow();
            String[][] types = {{"d", "date"}, {"t", "timestamp(3) without time zone"},
                {"ts", "timestamp with time zone"}};
            List<String> flagged = new ArrayList<>();
            List<String> asNull = new ArrayList<>();
            for (String[] ct : types) {
                MariaDbColumn c = table.column(ct[0]).orElseThrow();
                Read strict = (Read) MariaDbValues.rule(c, ct[1]);
                Read nulled = (Read) MariaDbValues.rule(c, ct[1], true);
                for (String text : column(ms, "SELECT " + strict.select() + " FROM zd ORDER BY " + strict.order()
                        + ", i")) {
                    flagged.add(ct[0] + " " + text + " " + strict.isZeroDate(text));
                }
                asNull.addAll(column(ms, "SELECT CONCAT(i, ' ', COALESCE(" + nulled.select() + ", 'NULL')) FROM zd"
                        + " ORDER BY " + nulled.order() + ", i"));
                assertThat(nulled.isZeroDate("0000-00-00")).isFalse();
            }
            assertThat(flagged).containsExactly("d 0000-00-00 true", "d 2024-00-10 true", "d 2024-01-01 false",
                    "t 0000-00-00 00:00:00 true", "t 2024-01-00 10:00:00.5 true", "t 2024-01-01 00:00:00.25 false",
                    "ts 0000-00-00 00:00:00+00 true", "ts 2024-01-01 00:00:00+00 false",
                    "ts 2024-01-01 00:00:01+00 false");
            // as NULL they sort last, as NULLs do
            assertThat(asNull).containsExactly("3 2024-01-01", "1 NULL", "2 NULL", "3 2024-01-01 00:00:00.25",
                    "1 NULL", "2 NULL", "2 2024-01-01 00:00:00+00", "3 2024-01-01 00:00:01+00", "1 NULL");
            // times are not dates: never flagged
            assertThat(((Read) MariaDbValues.rule(column("time"), "time without time zone")).isZeroDate("00:00:00"))
                    .isFalse();
        }
    }

    /**
     * Doubles and floats by value: every double MariaDB holds reads as text that parses to the
     * same double PostgreSQL's float8 holds; a float reads as its exact value, which a real
     * compares equal to ({@code 16777217} stored in a float is 16777216, which MariaDB's own
     * text would print as 16777200).
     */
    @Test
    void floatsReadAsTheValuesTheyHold() throws SQLException {
        String table = "t" + (TABLES.get() + 1);
        pg.execute("CREATE TABLE " + table + " (i int PRIMARY KEY, d float8, f real, fd float8)");
        maria.execute("CREATE TABLE " + table + " (i int PRIMARY KEY, d double, f float, fd float)");
        TABLES.incrementAndGet();
        java.util.Random r = new java.util.Random(42);
        List<Double> doubles = new ArrayList<>(List.of(0.1, 1e20, Double.MAX_VALUE, Double.MIN_VALUE,
                Double.MIN_NORMAL, 123456789.123456789, -0.0, 1e-7, 16777217.0, 5e-324, -2.5e-300));
        List<Float> floats = new ArrayList<>(List.of(0.1f, 16777217f, 1.0000001f, Float.MAX_VALUE, Float.MIN_VALUE,
                Float.MIN_NORMAL, 123456.7f, -0.0f, 1e-7f, 0.3f, 3.4028e38f));
        while (doubles.size() < 2000) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                doubles.add(r.nextBoolean() ? d : Math.round(d * 1000) / 1000.0);
            }
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isNaN(f) && !Float.isInfinite(f)) {
                floats.add(f);
            }
        }
        try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
             Statement ms = m.createStatement(); Statement ps = p.createStatement()) {
            MariaDbTable t = new MariaDbCatalog(m).table(table).orElseThrow();
            Read d = (Read) MariaDbValues.rule(t.column("d").orElseThrow(), "double precision");
            Read f = (Read) MariaDbValues.rule(t.column("f").orElseThrow(), "real");
            Read fd = (Read) MariaDbValues.rule(t.column("fd").orElseThrow(), "double precision");
            String marks = "INSERT INTO " + table + " VALUES (?, ?, ?, ?)";
            try (PreparedStatement mi = m.prepareStatement(marks); PreparedStatement pi = p.prepareStatement(marks)) {
                for (int i = 0; i < floats.size(); i++) {
                    for (PreparedStatement s : List.of(mi, pi)) {
                        s.setInt(1, i);
                        s.setDouble(2, doubles.get(i));
                        s.setFloat(3, floats.get(i));
                        s.setFloat(4, floats.get(i));
                        s.addBatch();
                    }
                }
                mi.executeBatch();
                pi.executeBatch();
            }
            List<String> mariaText = column(ms, "SELECT CONCAT_WS(' ', " + d.select() + ", " + f.select() + ", "
                    + fd.select() + ") FROM " + table + " ORDER BY " + d.order() + ", i");
            for (String setting : dev.recon.engines.postgres.PostgresEngine.SESSION_SETTINGS) {
                ps.execute(setting);
            }
            List<String> pgText = column(ps, "SELECT concat_ws(' ', d::text, f::text, fd::text) FROM " + table
                    + " ORDER BY d, i");
            assertThat(mariaText).hasSize(floats.size()).hasSameSizeAs(pgText);
            for (int i = 0; i < pgText.size(); i++) {
                String[] a = mariaText.get(i).split(" ");
                String[] b = pgText.get(i).split(" ");
                assertThat(Double.parseDouble(a[0]) == Double.parseDouble(b[0])).as("double %s = %s", a[0], b[0])
                        .isTrue();
                assertThat(Float.parseFloat(a[1]) == Float.parseFloat(b[1])).as("real %s = %s", a[1], b[1]).isTrue();
                assertThat(Double.parseDouble(a[2]) == Double.parseDouble(b[2])).as("float %s as float8 = %s", a[2],
                        b[2]).isTrue();
            }
            assertThat(column(ms, "SELECT " + f.select() + " FROM " + table + " WHERE i = 1"))
                    .containsExactly("16777216");
        }
    }

    private static List<String> column(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** A DATETIME late in 9999 is in year 10000 in UTC: printed as PostgreSQL prints it, without a + (a probe's find). */
    @org.junit.jupiter.api.Test
    void aLocalTimeInAZoneBecomesTheInstantPostgreSqlPrints() {
        Read read = new Read("x", "x", false).inZone(java.time.ZoneId.of("America/New_York"));
        assertThat(read.inUtc("9999-12-31 23:59:59.999999")).isEqualTo("10000-01-01 04:59:59.999999+00");
        assertThat(read.inUtc("2024-07-01 12:00:00")).isEqualTo("2024-07-01 16:00:00+00");
        assertThat(read.inUtc(null)).isNull();
    }
}
